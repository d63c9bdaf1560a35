import { data, redirect, type AppLoadContext } from "react-router";
import type { Role } from "../../db/schema";
import { can, type DeviceActor, type Permission, type UserActor } from "../../server/auth/permissions";
import { userActor, type SessionUser } from "../../server/auth/session";
import { deviceActor } from "../../server/devices/service";
import { t } from "../../server/i18n";

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
  if (!can(actor, permission)) throw data({ message: t("error.forbidden") }, { status: 403 });
  return { user, actor };
}

/** The paired device allowed `permission`, or a page that says how to pair one (or that this one is of another kind). */
export function requireDevice(context: AppLoadContext, permission: Permission): { actor: DeviceActor } {
  const device = context.auth.device;
  if (!device) throw data({ message: t("error.device_required") }, { status: 401 });
  const actor = deviceActor(device);
  if (!can(actor, permission)) {
    throw data({ message: t("error.device_wrong_kind", { kind: t(`pair.kind.${device.kind}`) }) }, { status: 403 });
  }
  return { actor };
}

/** Where to go after login: a local path from the query, or the role's start page. */
export function safeRedirect(to: string | null | undefined, fallback: string): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export const startPage = (role: Role) => (role === "officer" ? "/counter" : role === "supervisor" ? "/supervisor" : "/");
