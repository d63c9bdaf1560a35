/**
 * Liveness and readiness (decision 0032).
 *
 * - `/healthz`: the process lives and its event loop answers. Nothing else: a restart would not
 *   cure a database that is away, so an orchestrator must not restart us for it.
 * - `/readyz`: whether to send us traffic — 200 `ready`, or 503 `not_ready` with the reasons
 *   (`migrating`, `seeding`, `starting`, `stopping`, `database_unreachable`, `database_not_answering`). The database is
 *   asked on its own connection (never the requests' pool), within a second, at once while the
 *   gate knows it is down. A busy pool is said (`warnings: ["pool_saturated"]`) but is no reason
 *   to take the instance out: every instance would then be taken out one after another while the
 *   admission gate already turns the excess away. Likewise a broken link to the other nodes
 *   (`other_nodes_unreachable`: Redis away, or the PostgreSQL adapter's messages failing): requests
 *   are served right, only screens on other nodes miss this node's events until they resync, and
 *   every node would be taken out at once.
 */
import type { Request, Response } from "express";
import type { DatabaseHandle } from "../../db/client";
import type { NodesHealth } from "../nodes";
import type { DatabaseGate } from "./database-gate";

export type Phase = "migrating" | "seeding" | "starting" | "ready" | "stopping";

/** Where the process is in its life; the start-up sequence (server/index.ts) moves it along. */
export type Lifecycle = {
  phase: Phase;
  /** Set while the start-up cannot reach the database (it tries again). */
  databaseUnreachable?: boolean;
};

/** A pool that had work waiting, or refused some, this recently is reported saturated. */
const SATURATED_FOR_MS = 5_000;

export function liveness(_req: Request, res: Response) {
  res.set("Cache-Control", "no-store");
  res.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
}

export function readiness(deps: { lifecycle: Lifecycle; database?: DatabaseHandle; gate?: DatabaseGate; nodes?: { health(): NodesHealth | null } }) {
  return async (_req: Request, res: Response) => {
    const { lifecycle, database, gate } = deps;
    const reasons: string[] = [];
    const warnings: string[] = [];
    if (lifecycle.phase !== "ready") reasons.push(lifecycle.phase);
    if (lifecycle.databaseUnreachable) reasons.push("database_unreachable");
    const body: Record<string, unknown> = {};
    if (database && gate) {
      const db = await gate.check(1_000);
      if (db.state === "unreachable" && !reasons.includes("database_unreachable")) reasons.push("database_unreachable");
      if (db.state === "no_answer") reasons.push("database_not_answering");
      const pool = database.pool.stats();
      if (pool.waiting > 0 || (pool.lastRefusedAt !== null && Date.now() - pool.lastRefusedAt < SATURATED_FOR_MS)) warnings.push("pool_saturated");
      body.database = { driver: database.driver, ...db };
      body.pool = { max: pool.max, inUse: pool.inUse, waiting: pool.waiting, refused: pool.refused, waitMs: pool.waitMs };
    }
    const nodes = deps.nodes?.health();
    if (nodes) {
      if (!nodes.linked) warnings.push("other_nodes_unreachable");
      body.nodes = { adapter: nodes.adapter, linked: nodes.linked, lastFailureAt: nodes.lastFailureAt?.toISOString() ?? null };
    }
    res.set("Cache-Control", "no-store");
    res.status(reasons.length ? 503 : 200).json({
      status: reasons.length ? "not_ready" : "ready",
      reasons,
      warnings,
      ...body,
      uptimeSeconds: Math.round(process.uptime()),
    });
  };
}
