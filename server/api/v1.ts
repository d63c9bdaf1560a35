import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { clearCookie, SESSION_COOKIE, setCookie } from "../auth/cookies";
import { invalidateSession, type SessionUser } from "../auth/session";
import type { Device } from "../../db/schema";
import { t } from "../i18n";
import { AppError, isAppError } from "../errors";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../queue/counters";
import { getCentreSnapshot, getCounterQueue } from "../queue/read";
import {
  callInput,
  cancelInput,
  finishInput,
  id,
  issueInput,
  pauseInput,
  signOutInput,
  transferInput,
  transferTarget,
} from "../queue/inputs";
import {
  callNextTicket,
  callSpecificTicket,
  cancelTicket,
  finishTicket,
  issueTicket,
  markNoShow,
  recallTicket,
  rejoinTicket,
  transferTicket,
} from "../queue/service";
import type { AppServices } from "../services";

type Handler = (req: Request, res: Response) => Promise<unknown>;

const loginBody = z.object({ username: z.string().trim().min(1), password: z.string().min(1) });
/** JSON API for hardware and other systems; the same domain services as the pages. */
export function apiRouter(services: AppServices) {
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));

  const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
    handler(req, res).then((body) => {
      if (!res.headersSent) res.json(body);
    }, next);

  router.post(
    "/auth/login",
    route(async (req, res) => {
      const body = parse(loginBody, req.body);
      const { token, session, user } = await services.login.login({ ...body, address: req.ip ?? "unknown" });
      res.append("Set-Cookie", setCookie(SESSION_COOKIE, token, session.expiresAt, { secure: services.config.cookieSecure }));
      return { data: { user: { id: user.id, username: user.username, fullName: user.fullName, role: user.role } } };
    }),
  );

  router.post(
    "/auth/logout",
    route(async (_req, res) => {
      const session = res.locals.auth?.session;
      if (session) {
        await invalidateSession(services.db, session.id);
        services.sockets.disconnectSession(session.id);
      }
      res.append("Set-Cookie", clearCookie(SESSION_COOKIE, { secure: services.config.cookieSecure }));
      return { data: { ok: true } };
    }),
  );

  router.get(
    "/me",
    route(async (_req, res) => ({ data: { user: requireUser(res) } })),
  );

  router.get(
    "/snapshot",
    route(async (_req, res) => {
      const auth = res.locals.auth;
      const centreId = auth?.user?.centreId ?? auth?.device?.centreId;
      if (!centreId) throw new AppError("unauthenticated");
      return { data: await getCentreSnapshot(services, centreId) };
    }),
  );

  router.post(
    "/kiosk/tickets",
    route(async (req, res) => {
      const device = requireDevice(res, "kiosk");
      const body = parse(issueInput, req.body);
      const issued = await issueTicket(services, { centreId: device.centreId, ...body, channel: "kiosk", actor: { deviceId: device.id } });
      res.status(201);
      return { data: issued };
    }),
  );

  router.post(
    "/reception/tickets",
    route(async (req, res) => {
      const user = requireUser(res);
      const body = parse(issueInput, req.body);
      const issued = await issueTicket(services, { centreId: user.centreId, ...body, channel: "reception", actor: { userId: user.id } });
      res.status(201);
      return { data: issued };
    }),
  );

  router.post(
    "/counters/:counterId/sign-in",
    route(async (req, res) => {
      const user = requireUser(res);
      return { data: await signInToCounter(services, { userId: user.id, centreId: user.centreId, counterId: parse(id, req.params.counterId) }) };
    }),
  );

  router.post(
    "/counters/sign-out",
    route(async (req, res) => ({
      data: await signOutOfCounter(services, { userId: requireUser(res).id, ...parse(signOutInput, req.body ?? {}) }),
    })),
  );

  router.post(
    "/counters/pause",
    route(async (req, res) => ({
      data: await setCounterPaused(services, { userId: requireUser(res).id, paused: true, ...parse(pauseInput, req.body ?? {}) }),
    })),
  );

  router.post(
    "/counters/resume",
    route(async (_req, res) => ({ data: await setCounterPaused(services, { userId: requireUser(res).id, paused: false }) })),
  );

  router.get(
    "/counters/:counterId/queue",
    route(async (req, res) => {
      const user = requireUser(res);
      return { data: await getCounterQueue(services.db, { centreId: user.centreId, counterId: parse(id, req.params.counterId), userId: user.id }) };
    }),
  );

  router.post(
    "/counters/:counterId/call-next",
    route(async (req, res) => {
      const user = requireUser(res);
      return { data: await callNextTicket(services, { userId: user.id, counterId: parse(id, req.params.counterId) }) };
    }),
  );

  router.post(
    "/counters/:counterId/call",
    route(async (req, res) => {
      const user = requireUser(res);
      const body = parse(callInput, req.body);
      return { data: await callSpecificTicket(services, { userId: user.id, counterId: parse(id, req.params.counterId), ...body }) };
    }),
  );

  const ticketAction = (
    path: string,
    act: (user: SessionUser, ticketId: number, body: unknown) => Promise<unknown>,
  ) =>
    router.post(
      `/tickets/:ticketId/${path}`,
      route(async (req, res) => ({ data: await act(requireUser(res), parse(id, req.params.ticketId), req.body ?? {}) })),
    );

  ticketAction("recall", (user, ticketId) => recallTicket(services, { userId: user.id, ticketId }));
  ticketAction("no-show", (user, ticketId) => markNoShow(services, { userId: user.id, ticketId }));
  ticketAction("rejoin", (user, ticketId) => rejoinTicket(services, { userId: user.id, centreId: user.centreId, ticketId }));
  ticketAction("cancel", (user, ticketId, body) =>
    cancelTicket(services, { userId: user.id, centreId: user.centreId, ticketId, ...parse(cancelInput, body) }),
  );
  ticketAction("transfer", (user, ticketId, body) => {
    const input = parse(transferInput, body);
    return transferTicket(services, { userId: user.id, ticketId, to: transferTarget(input), note: input.note });
  });
  ticketAction("finish", (user, ticketId, body) =>
    finishTicket(services, { userId: user.id, centreId: user.centreId, ticketId, ...parse(finishInput, body) }),
  );

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

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("bad_request");
  return result.data;
}

function requireUser(res: Response): SessionUser {
  const user = res.locals.auth?.user;
  if (!user) throw new AppError("unauthenticated");
  return user;
}

function requireDevice(res: Response, kind: Device["kind"]): Device {
  const device = res.locals.auth?.device;
  if (!device) throw new AppError("device_required");
  if (device.kind !== kind) throw new AppError("device_wrong_kind", { kind: t(`pair.kind.${device.kind}`) });
  return device;
}
