/**
 * JSON API for hardware and other systems, over the same domain services as the pages. Every
 * route is declared with the permission it needs (server/auth/permissions.ts) and the principal
 * that acts (the staff session or the paired device); the router checks both before the
 * handler runs, and the services check again.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { clearCookie, SESSION_COOKIE, setCookie } from "../auth/cookies";
import { authorize, type Actor, type Permission } from "../auth/permissions";
import { endSession, userActor } from "../auth/session";
import { deviceActor } from "../devices/service";
import { AppError, isAppError } from "../errors";
import { t } from "../i18n";
import { finishTicket, markNoShow, recallTicket } from "../queue/at-counter";
import { callNextTicket, callSpecificTicket } from "../queue/calling";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../queue/counters";
import { callInput, cancelInput, finishInput, id, issueInput, pauseInput, signOutInput, transferInput, transferTarget } from "../queue/inputs";
import { issueTicket } from "../queue/issuing";
import { getCounterQueue } from "../queue/read";
import { snapshotFor } from "../queue/snapshot";
import { listTransferTargets, transferTicket } from "../queue/transfer";
import { cancelTicket, rejoinTicket } from "../queue/waiting";
import type { AppServices } from "../services";

type Call = { req: Request; res: Response; actor: Actor; services: AppServices };

export type ApiRoute = { method: "get" | "post"; path: string } & (
  | {
      /** The permission needed. */
      access: Permission;
      /** Who acts: the staff session, the paired device, or whichever the request carries. */
      as: "user" | "device" | "any";
      handle(call: Call): Promise<unknown>;
    }
  | {
      /** Open to anyone: logging in and out. */
      access: "public";
      handle(call: Omit<Call, "actor">): Promise<unknown>;
    }
);

const loginBody = z.object({ username: z.string().trim().min(1).max(200), password: z.string().min(1).max(1000) });
const counterId = (req: Request) => parse(id, req.params.counterId);
const ticketId = (req: Request) => parse(id, req.params.ticketId);
const body = (req: Request) => req.body ?? {};

export const API_ROUTES: ApiRoute[] = [
  {
    method: "post",
    path: "/auth/login",
    access: "public",
    async handle({ req, res, services }) {
      const input = parse(loginBody, req.body);
      const { token, session, user } = await services.login.login({ ...input, address: req.ip ?? "unknown" });
      res.append("Set-Cookie", setCookie(SESSION_COOKIE, token, session.expiresAt, { secure: services.config.cookieSecure }));
      return { user: { id: user.id, username: user.username, fullName: user.fullName, role: user.role } };
    },
  },
  {
    method: "post",
    path: "/auth/logout",
    access: "public",
    async handle({ res, services }) {
      const session = res.locals.auth?.session;
      if (session) await endSession(services, session.id);
      res.append("Set-Cookie", clearCookie(SESSION_COOKIE, { secure: services.config.cookieSecure }));
      return { ok: true };
    },
  },
  { method: "get", path: "/me", access: "queue.watch", as: "user", handle: async ({ res }) => ({ user: res.locals.auth!.user }) },
  { method: "get", path: "/snapshot", access: "queue.watch", as: "any", handle: ({ actor, services }) => snapshotFor(services, actor) },
  {
    method: "post",
    path: "/kiosk/tickets",
    access: "ticket.issue",
    as: "device",
    handle: async ({ req, res, actor, services }) => (res.status(201), issueTicket(services, actor, parse(issueInput, req.body))),
  },
  {
    method: "post",
    path: "/reception/tickets",
    access: "ticket.issue",
    as: "user",
    handle: async ({ req, res, actor, services }) => (res.status(201), issueTicket(services, actor, parse(issueInput, req.body))),
  },
  {
    method: "post",
    path: "/counters/:counterId/sign-in",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => signInToCounter(services, actor, { counterId: counterId(req) }),
  },
  {
    method: "post",
    path: "/counters/sign-out",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => signOutOfCounter(services, actor, parse(signOutInput, body(req))),
  },
  {
    method: "post",
    path: "/counters/pause",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => setCounterPaused(services, actor, { paused: true, ...parse(pauseInput, body(req)) }),
  },
  {
    method: "post",
    path: "/counters/resume",
    access: "counter.operate",
    as: "user",
    handle: ({ actor, services }) => setCounterPaused(services, actor, { paused: false }),
  },
  {
    method: "get",
    path: "/counters/:counterId/queue",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => getCounterQueue(services, actor, { counterId: counterId(req) }),
  },
  {
    method: "get",
    path: "/transfer-targets",
    access: "counter.operate",
    as: "user",
    handle: ({ actor, services }) => listTransferTargets(services, actor),
  },
  {
    method: "post",
    path: "/counters/:counterId/call-next",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => callNextTicket(services, actor, { counterId: counterId(req) }),
  },
  {
    method: "post",
    path: "/counters/:counterId/call",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => callSpecificTicket(services, actor, { counterId: counterId(req), ...parse(callInput, req.body) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/recall",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => recallTicket(services, actor, { ticketId: ticketId(req) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/no-show",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => markNoShow(services, actor, { ticketId: ticketId(req) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/rejoin",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => rejoinTicket(services, actor, { ticketId: ticketId(req) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/cancel",
    access: "ticket.cancel",
    as: "user",
    handle: ({ req, actor, services }) => cancelTicket(services, actor, { ticketId: ticketId(req), ...parse(cancelInput, body(req)) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/transfer",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => {
      const input = parse(transferInput, body(req));
      return transferTicket(services, actor, { ticketId: ticketId(req), to: transferTarget(input), note: input.note });
    },
  },
  {
    method: "post",
    path: "/tickets/:ticketId/finish",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => finishTicket(services, actor, { ticketId: ticketId(req), ...parse(finishInput, body(req)) }),
  },
];

export function apiRouter(services: AppServices) {
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));

  for (const route of API_ROUTES) {
    router[route.method](route.path, (req: Request, res: Response, next: NextFunction) => {
      const run = async () => {
        const data =
          route.access === "public"
            ? await route.handle({ req, res, services })
            : await route.handle({ req, res, services, actor: actingAs(res, route) });
        if (!res.headersSent) res.json({ data });
      };
      run().catch(next);
    });
  }

  router.use((_req, res) => {
    const error = new AppError("not_found");
    res.status(error.status).json(error.toJSON());
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isAppError(error)) {
      res.status(error.status).json(error.toJSON());
      return;
    }
    if (error instanceof SyntaxError && "body" in error) {
      const bad = new AppError("bad_request");
      res.status(bad.status).json(bad.toJSON());
      return;
    }
    services.logger.error({ err: error }, "API request failed");
    const internal = new AppError("internal");
    res.status(internal.status).json(internal.toJSON());
  });

  return router;
}

/** The principal a route acts as, refused when absent or not allowed by the permission table. */
function actingAs(res: Response, route: Extract<ApiRoute, { as: unknown }>): Actor {
  const auth = res.locals.auth;
  const user = auth?.user ? userActor(auth.user) : null;
  const device = auth?.device ? deviceActor(auth.device) : null;
  if (route.as === "device") {
    if (!device) throw new AppError("device_required");
    if (auth?.device) authorizeDevice(device, route.access, auth.device.kind);
    return device;
  }
  const actor = route.as === "user" ? user : (user ?? device);
  authorize(actor, route.access);
  return actor;
}

function authorizeDevice(device: Actor, permission: Permission, kind: "kiosk" | "display") {
  try {
    authorize(device, permission);
  } catch {
    throw new AppError("device_wrong_kind", { kind: t(`pair.kind.${kind}`) });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("bad_request");
  return result.data;
}
