/**
 * Benchmark: latency of issuing a ticket and of call-next + finish, with 10 counters working
 * at once on one field. Runs on the embedded PGlite, or on PostgreSQL when DATABASE_URL is
 * set (a fresh database is created and dropped). Prints figures; asserts nothing.
 *
 *   npm run bench                       # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { counterFields, counters } from "../db/schema";
import { seedDemo } from "../server/demo/seed";
import type { ServiceDeps } from "../server/context";
import { isAppError } from "../server/errors";
import { staffEveryCounter } from "../server/demo/staffed-centre";
import { SYSTEM_ACTOR } from "../server/auth/permissions";
import { createDevice, deviceActor } from "../server/devices/service";
import { finishTicket } from "../server/queue/at-counter";
import { callNextTicket } from "../server/queue/calling";
import { issueTicket } from "../server/queue/issuing";
import { getStaffSnapshot } from "../server/queue/snapshot";

const TICKETS = Number(process.env.BENCH_TICKETS ?? 2000);
const KIOSKS = 10;

async function open(): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({});
    return { handle, cleanup: () => handle.close() };
  }
  const name = `motcua_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDatabase({ url: target.toString(), max: 24 });
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function report(label: string, samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(28)} n=${String(samples.length).padStart(5)}  p50=${percentile(sorted, 50).toFixed(2)} ms  p95=${percentile(sorted, 95).toFixed(2)} ms  p99=${percentile(sorted, 99).toFixed(2)} ms  max=${sorted.at(-1)!.toFixed(2)} ms  throughput=${((samples.length / wallMs) * 1000).toFixed(0)}/s`,
  );
}

const { handle, cleanup } = await open();
try {
  await handle.migrate();
  // Ten kiosks' worth of tickets from one kiosk row: no pace between its tickets.
  const deps: ServiceDeps = { db: handle.db, events: { publish: () => {}, endConnections: () => {} }, config: { kioskPaceMs: 0 } };
  const { centreId } = await seedDemo(handle.db, { password: "Bench@Password1" });
  const [first] = await handle.db.select().from(counters).where(and(eq(counters.centreId, centreId), eq(counters.number, 1)));
  const [link] = await handle.db.select().from(counterFields).where(eq(counterFields.counterId, first!.id));
  const fieldId = link!.fieldId;
  const { counterRows, staff } = await staffEveryCounter(deps, { centreId, fieldIds: [fieldId], usernamePrefix: "bench" });
  const kiosk = deviceActor((await createDevice(deps, SYSTEM_ACTOR, { centreId, kind: "kiosk", name: "Máy lấy số đo tải" })).device);

  console.log(`driver=${handle.driver} tickets=${TICKETS} kiosks=${KIOSKS} counters=${counterRows.length}`);

  // One kiosk and one counter alone: the latency a person feels on a quiet morning.
  const soloIssue: number[] = [];
  const soloCall: number[] = [];
  let wallSolo = performance.now();
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await issueTicket(deps, kiosk, { fieldId });
    soloIssue.push(performance.now() - t0);
  }
  report("issue ticket (alone)", soloIssue, performance.now() - wallSolo);
  wallSolo = performance.now();
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const { ticket } = await callNextTicket(deps, staff[0]!.actor, { counterId: counterRows[0]!.id });
    soloCall.push(performance.now() - t0);
    await finishTicket(deps, staff[0]!.actor, { ticketId: ticket.id });
  }
  report("call next (alone)", soloCall, performance.now() - wallSolo);

  const issueTimes: number[] = [];
  let wall = performance.now();
  await Promise.all(
    Array.from({ length: KIOSKS }, async () => {
      for (let i = 0; i < TICKETS / KIOSKS; i++) {
        const t0 = performance.now();
        await issueTicket(deps, kiosk, { fieldId });
        issueTimes.push(performance.now() - t0);
      }
    }),
  );
  report("issue ticket", issueTimes, performance.now() - wall);

  const snapTimes: number[] = [];
  wall = performance.now();
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await getStaffSnapshot(deps, staff[0]!.actor);
    snapTimes.push(performance.now() - t0);
  }
  report("centre snapshot", snapTimes, performance.now() - wall);

  const callTimes: number[] = [];
  const finishTimes: number[] = [];
  wall = performance.now();
  await Promise.all(
    counterRows.map(async (c, i) => {
      const { actor } = staff[i]!;
      for (;;) {
        const t0 = performance.now();
        let ticketId: number;
        try {
          ticketId = (await callNextTicket(deps, actor, { counterId: c.id })).ticket.id;
        } catch (error) {
          if (isAppError(error) && error.code === "queue_empty") return;
          throw error;
        }
        callTimes.push(performance.now() - t0);
        const t1 = performance.now();
        await finishTicket(deps, actor, { ticketId });
        finishTimes.push(performance.now() - t1);
      }
    }),
  );
  const callWall = performance.now() - wall;
  report("call next (10 at once)", callTimes, callWall);
  report("finish (10 at once)", finishTimes, callWall);
  const mem = process.memoryUsage();
  console.log(`memory: rss=${(mem.rss / 2 ** 20).toFixed(0)} MiB heapUsed=${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
} finally {
  await cleanup();
}
