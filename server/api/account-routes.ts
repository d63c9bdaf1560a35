/** /api/v1 routes of signing in and out, one's own account, and the administrator's hold on staff accounts. */
import type { Response } from "express";
import { z } from "zod";
import { resetPassword, setUserActive } from "../admin/users";
import { changeOwnPassword } from "../auth/accounts";
import { clearCookie, setCookie } from "../auth/cookies";
import { loginInput } from "../auth/login-input";
import { endOwnSessions, endSession, listOwnSessions } from "../auth/session";
import { plainText } from "../input";
import { body, orRefusal, param, parse, type ApiRoute } from "./route";

const passwordChange = z.object({ currentPassword: plainText(1000), newPassword: plainText(1000) });
const passwordReset = z.object({ newPassword: plainText(1000) });
const sessionHandle = z.object({ handle: z.string().regex(/^[0-9a-f]{16}$/).optional() });
const currentSession = (res: Response) => res.locals.auth!.session!.id;


export const accountRoutes: ApiRoute[] = [
  {
    method: "post",
    path: "/auth/login",
    access: "public",
    async handle({ req, res, services }) {
      const input = parse(loginInput, req.body);
      const { token, session, user } = await services.login.login({
        ...input,
        address: req.ip ?? "unknown",
        userAgent: req.get("user-agent"),
        replaces: res.locals.auth?.session?.id,
      });
      res.append("Set-Cookie", setCookie("session", token, session.expiresAt, { secure: services.config.cookieSecure }));
      return { user: { id: user.id, username: user.username, fullName: user.fullName, role: user.role } };
    },
  },
  {
    method: "post",
    path: "/auth/logout",
    access: "public",
    async handle({ req, res, services }) {
      const session = res.locals.auth?.session;
      if (session) await endSession(services, session.id, { address: req.ip ?? null });
      res.append("Set-Cookie", clearCookie("session", { secure: services.config.cookieSecure }));
      return { ok: true };
    },
  },
  { method: "get", path: "/me", access: "account.self", as: "user", handle: async ({ res }) => ({ user: res.locals.auth!.user }) },
  {
    method: "get",
    path: "/account/sessions",
    access: "account.self",
    as: "user",
    handle: ({ res, actor, services }) => listOwnSessions(services, actor, currentSession(res)),
  },
  {
    method: "post",
    path: "/account/sessions/end",
    access: "account.self",
    as: "user",
    handle: async ({ req, res, actor, services }) => ({
      ended: await endOwnSessions(services, actor, { ...parse(sessionHandle, body(req)), currentSessionId: currentSession(res) }),
    }),
  },
  {
    method: "post",
    path: "/account/password",
    access: "account.self",
    as: "user",
    handle: async ({ req, res, actor, services }) =>
      orRefusal(await changeOwnPassword(services, actor, { ...parse(passwordChange, req.body), currentSessionId: currentSession(res) })),
  },
  {
    method: "post",
    path: "/users/:userId/password",
    access: "users.manage",
    as: "user",
    handle: async ({ req, actor, services }) =>
      orRefusal(await resetPassword(services, actor, { userId: param(req, "userId"), ...parse(passwordReset, req.body) })),
  },
  {
    method: "post",
    path: "/users/:userId/disable",
    access: "users.manage",
    as: "user",
    handle: ({ req, actor, services }) => setUserActive(services, actor, { userId: param(req, "userId"), active: false }),
  },
  {
    method: "post",
    path: "/users/:userId/enable",
    access: "users.manage",
    as: "user",
    handle: ({ req, actor, services }) => setUserActive(services, actor, { userId: param(req, "userId"), active: true }),
  },
];
