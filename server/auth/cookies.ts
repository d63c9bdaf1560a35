import { parse, serialize } from "cookie";

export const SESSION_COOKIE = "motcua_session";
export const DEVICE_COOKIE = "motcua_device";

export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[name] || undefined;
}

export type CookieOptions = { secure: boolean };

export function setCookie(name: string, value: string, expiresAt: Date, { secure }: CookieOptions): string {
  return serialize(name, value, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    expires: expiresAt,
  });
}

export function clearCookie(name: string, { secure }: CookieOptions): string {
  return serialize(name, "", { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 0 });
}
