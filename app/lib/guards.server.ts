import { data, redirect, type AppLoadContext } from "react-router";
import type { Device, Role } from "../../db/schema";
import type { SessionUser } from "../../server/auth/session";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";

/** The signed-in staff member, or a redirect to the login page (and back here after). */
export function requireUser(context: AppLoadContext, request: Request, roles?: Role[]): SessionUser {
  const user = context.auth.user;
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (roles && !roles.includes(user.role)) throw data({ message: t("error.forbidden") }, { status: 403 });
  return user;
}

/** The paired device of this kind, or a page that says how to pair one. */
export function requireDevice(context: AppLoadContext, kind: Device["kind"]): Device {
  const device = context.auth.device;
  if (!device) throw data({ message: t("error.device_required") }, { status: 401 });
  if (device.kind !== kind) {
    throw data({ message: t("error.device_wrong_kind", { kind: t(`pair.kind.${device.kind}`) }) }, { status: 403 });
  }
  return device;
}

export type ActionFailure = { ok: false; error: string; code: string };

/** Turns a domain refusal into the action's answer (with its status); anything else is a bug and is rethrown. */
export async function attempt<T>(work: () => Promise<T>): Promise<T | ReturnType<typeof data<ActionFailure>>> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) return data({ ok: false as const, error: error.message, code: error.code }, { status: error.status });
    throw error;
  }
}

/** Where to go after login: a local path from the query, or the role's start page. */
export function safeRedirect(to: string | null | undefined, fallback: string): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export const startPage = (role: Role) => (role === "officer" ? "/counter" : role === "supervisor" ? "/supervisor" : "/");
