import { parse, serialize } from "cookie";

/** The two cookies: a staff session, a paired device. */
export type CookieKind = "session" | "device";
export type CookieOptions = { secure: boolean };

/**
 * With Secure cookies the names carry the `__Host-` prefix: a browser then accepts them only
 * over HTTPS, for this host alone (no Domain) and the whole site (Path=/), so no sibling
 * subdomain or plain-HTTP page can plant or shadow them.
 */
export const cookieName = (kind: CookieKind, { secure }: CookieOptions) => `${secure ? "__Host-" : ""}motcua_${kind}`;

export function readCookie(cookieHeader: string | null | undefined, kind: CookieKind, options: CookieOptions): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[cookieName(kind, options)] || undefined;
}

export function setCookie(kind: CookieKind, value: string, expiresAt: Date, options: CookieOptions): string {
  return serialize(cookieName(kind, options), value, { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/", expires: expiresAt });
}

export function clearCookie(kind: CookieKind, options: CookieOptions): string {
  return serialize(cookieName(kind, options), "", { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/", maxAge: 0 });
}
