/**
 * /readyz says when this node's link to the other nodes is broken (decision 0031, 0032): with
 * Redis, a Redis that goes away and comes back — a Redis of the test's own, never the shared one;
 * with PostgreSQL's adapter, messages that cannot be sent. A warning, not a reason to take the
 * node out of service: requests are still served right.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { Server } from "socket.io";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/logger";
import { openNodes } from "../../server/nodes";
import { startAppProcess, type AppChild } from "../helpers/app-child";
import { createTestDatabase } from "../helpers/database";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The Redis half starts a redis-server of its own: CI installs it (.ci/run); a machine without it skips that half.
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
if (process.env.CI === "true" && !hasRedisServer) throw new Error("CI installs redis-server: the test of the link to other nodes needs it");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of this test's own on `port`, in memory only; resolves once it answers. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = createServer().listen(port, "127.0.0.1");
      socket.once("listening", () => socket.close(() => resolve(false)));
      socket.once("error", () => resolve(true)); // the port is taken: Redis listens
    });
    if (answered) return redis;
    await sleep(50);
  }
  redis.kill("SIGKILL");
  throw new Error("redis-server did not start");
}

/** Polls until `check` holds (or fails the test after `ms`). */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await sleep(200);
    last = await read();
  }
  return last;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("/readyz and the link to the other nodes", () => {
  it.skipIf(!hasRedisServer)("with Redis: warns while Redis is away, stays ready, and the warning goes when Redis is back", async () => {
    const database = await createTestDatabase({ postgres: true });
    cleanups.push(() => database.drop());
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(() => redis.kill("SIGKILL"));
    const app: AppChild = await startAppProcess(database.url!, 0, { REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(() => {
      app.child.kill("SIGKILL");
      return app.exited;
    });
    const readyz = async () => {
      const response = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; warnings: string[]; nodes?: { adapter: string; linked: boolean; lastFailureAt: string | null } } };
    };

    const linked = await until("ready and linked", readyz, (r) => r.status === 200 && r.body.nodes?.linked === true);
    expect(linked.body.warnings).not.toContain("other_nodes_unreachable");
    expect(linked.body.nodes).toMatchObject({ adapter: "redis", linked: true });

    redis.kill("SIGKILL");
    const away = await until("the warning", readyz, (r) => r.body.warnings.includes("other_nodes_unreachable"));
    expect(away.status).toBe(200);
    expect(away.body.status).toBe("ready");
    expect(away.body.nodes).toMatchObject({ adapter: "redis", linked: false });
    expect(away.body.nodes!.lastFailureAt).not.toBeNull();

    redis = await startRedis(port);
    const back = await until("linked again", readyz, (r) => r.body.nodes?.linked === true);
    expect(back.body.warnings).not.toContain("other_nodes_unreachable");
  }, 60_000);

  it("with PostgreSQL's adapter: a message that cannot reach the other nodes marks the link broken", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const logger = createLogger({ level: "silent" });
    // A PostgreSQL that is not there: every message the adapter sends (its first heartbeat at once) fails.
    const nodes = await openNodes({ adapter: "postgres", databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/none` }, { db: database.handle.db, logger });
    expect(nodes.health()).toMatchObject({ adapter: "postgres", linked: true, lastFailureAt: null });
    const io = new Server(createHttpServer(), { adapter: nodes.adapter });
    cleanups.push(async () => {
      await io.close();
      await nodes.close();
    });
    io.serverSideEmit("queue:events", []);
    const broken = await until("the link marked broken", async () => nodes.health()!, (h) => !h.linked, 10_000);
    expect(broken.lastFailureAt).toBeInstanceOf(Date);
  }, 30_000);
});
