/**
 * JSON API for hardware and other systems, over the same domain services as the pages. Every
 * route is declared with the permission it needs (server/auth/permissions.ts) and the principal
 * that acts (the staff session or the paired device); the router checks both before the
 * handler runs, and the services check again.
 */
import type { DeviceKind } from "../../db/schema";
import express, { type NextFunction, type Request, type Response } from "express";
import FindMyWay from "find-my-way";
import { authorize, userActor, type Actor, type Permission } from "../auth/permissions";
import { deviceActor } from "../devices/service";
import { AppError, isAppError } from "../errors";
import { RETRY_AFTER_SECONDS } from "../http/database-gate";
import { BODY_LIMIT_BYTES, clientErrorOf } from "../http/guards";
import { t } from "../i18n";
import { securityLog } from "../security-log";
import type { AppServices } from "../services";
import { accountRoutes } from "./account-routes";
import { adminRoutes } from "./admin-routes";
import { appointmentRoutes } from "./appointment-routes";
import { dossierRoutes } from "./dossier-routes";
import { procedureRoutes } from "./procedure-routes";
import { calendarRoutes } from "./calendar-routes";
import { queueRoutes } from "./queue-routes";
import { ratingRoutes } from "./rating-routes";
import { reportRoutes } from "./report-routes";
import { trackingRoutes } from "./tracking-routes";
import type { ApiRoute } from "./route";

export type { ApiRoute };
export const API_ROUTES: ApiRoute[] = [...accountRoutes, ...queueRoutes, ...adminRoutes, ...dossierRoutes, ...procedureRoutes, ...calendarRoutes, ...trackingRoutes, ...appointmentRoutes, ...ratingRoutes, ...reportRoutes];

/** The answers that refuse someone (not a domain rule): each is a line of the security log. */
const REFUSALS = new Set(["unauthenticated", "forbidden", "device_required", "device_wrong_kind"]);

export function apiRouter(services: AppServices) {
  const router = express.Router();
  router.use(express.json({ limit: BODY_LIMIT_BYTES }));

  // The routes in one table looked up by the path's segments (decision 0035): Express's router
  // tries its routes one after another, a regular expression each, at every request.
  // A path that cannot be decoded (a malformed %-escape) is found with no store: a 400, as Express answers it.
  const table = FindMyWay<FindMyWay.HTTPVersion.V1>({ caseSensitive: false, ignoreTrailingSlash: true, onBadUrl: () => {} });
  for (const route of API_ROUTES) {
    const handler: TableEntry["handler"] = (req, res, next) => {
      const run = async () => {
        const data =
          route.access === "public"
            ? await route.handle({ req, res, services })
            : await route.handle({ req, res, services, actor: actingAs(res, route) });
        if (!res.headersSent) res.json({ data });
      };
      run().catch(next);
    };
    // As Express has it: a GET route answers HEAD too.
    const entry: TableEntry = { handler, path: route.path };
    table.on(route.method === "get" ? ["GET", "HEAD"] : "POST", route.path, () => {}, entry);
  }
  router.use((req, res, next) => {
    // The path alone: the query string is Express's to parse (find-my-way would parse it again).
    const query = req.url.indexOf("?");
    const found = table.find(req.method as FindMyWay.HTTPMethod, query < 0 ? req.url : req.url.slice(0, query));
    if (!found) return next();
    const store = found.store as TableEntry | null;
    if (!store) return next(new AppError("bad_request"));
    req.params = found.params as Record<string, string>;
    // What Express's router sets: the route's own path (the request metrics are labelled with it).
    req.route = { path: store.path };
    store.handler(req, res, next);
  });

  router.use((_req, res) => {
    const error = new AppError("not_found");
    res.status(error.status).json(error.toJSON());
  });

  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (isAppError(error)) {
      if (REFUSALS.has(error.code)) {
        const auth = res.locals.auth;
        securityLog(services, "access.refused", { via: "api", method: req.method, path: req.originalUrl, code: error.code, userId: auth?.user?.id, deviceId: auth?.device?.id });
      }
      if (error.status === 429 && typeof error.params.seconds === "number") res.set("Retry-After", String(error.params.seconds));
      res.status(error.status).json(error.toJSON());
      return;
    }
    const client = clientErrorOf(error);
    if (client) {
      res.status(client.status).json(client.toJSON());
      return;
    }
    if (services.databaseGate.noteFailure(error)) {
      const unavailable = new AppError("database_unavailable");
      res.set("Retry-After", String(RETRY_AFTER_SECONDS)).status(unavailable.status).json(unavailable.toJSON());
      return;
    }
    services.logger.error({ err: error }, "API request failed");
    const internal = new AppError("internal");
    res.status(internal.status).json(internal.toJSON());
  });

  return router;
}

/** What the route table keeps for a route: its handler, and its path as declared (for `req.route`). */
type TableEntry = { handler: (req: Request, res: Response, next: NextFunction) => void; path: string };

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

function authorizeDevice(device: Actor, permission: Permission, kind: DeviceKind) {
  try {
    authorize(device, permission);
  } catch {
    throw new AppError("device_wrong_kind", { kind: t(`pair.kind.${kind}`) });
  }
}
