import { data, redirect, type AppLoadContext } from "react-router";
import type { Role } from "../../db/schema";
import { can, userActor, type DeviceActor, type Permission, type UserActor } from "../../server/auth/permissions";
import type { SessionUser } from "../../server/auth/session";
import { deviceActor } from "../../server/devices/service";
import { t } from "../../server/i18n";
import { securityLog } from "../../server/security-log";

/**
 * The signed-in staff member allowed `permission` by the permission table, or a redirect to
 * the login page (and back here after), or a 403 page.
 */
export function requireUser(context: AppLoadContext, request: Request, permission: Permission): { user: SessionUser; actor: UserActor } {
  const user = context.auth.user;
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const actor = userActor(user);
  if (!can(actor, permission)) {
    securityLog(context.services, "access.refused", { via: "page", path: new URL(request.url).pathname, permission, userId: user.id });
    throw data({ message: t("error.forbidden") }, { status: 403 });
  }
  return { user, actor };
}

/** The paired device allowed `permission`, or a page that says how to pair one (or that this one is of another kind). */
export function requireDevice(context: AppLoadContext, permission: Permission): { actor: DeviceActor } {
  const device = context.auth.device;
  if (!device) throw data({ message: t("error.device_required") }, { status: 401 });
  const actor = deviceActor(device);
  if (!can(actor, permission)) {
    securityLog(context.services, "access.refused", { via: "page", permission, deviceId: device.id });
    throw data({ message: t("error.device_wrong_kind", { kind: t(`pair.kind.${device.kind}`) }) }, { status: 403 });
  }
  return { actor };
}

/**
 * Where to go after login: a path of this site from the query, or the role's start page.
 * Browsers strip tabs and line breaks from URLs and read `\` as `/`, so `/\tevil.example` or
 * `/\\evil.example` would leave the site: anything with those, or not resolving to our own
 * origin, is refused.
 */
export function safeRedirect(to: string | null | undefined, fallback: string): string {
  if (!to || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(to)) return fallback;
  const base = "http://motcua.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  // `/.//evil.example` normalises to `//evil.example`, which a browser reads as another host.
  if (url.origin !== base || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}

export const startPage = (role: Role) => (role === "officer" ? "/counter" : role === "supervisor" ? "/supervisor" : "/");
