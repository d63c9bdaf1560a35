/**
 * Benchmark: waiting-room screens of a province (issue 13). 2,000 paired display devices connect
 * over Socket.IO as the TV page does (bench/lib/screen-worker.ts, in several processes) to the
 * real server in its own process (bench/serve.ts); then officers call at 100 calls/s over HTTP.
 * For every call, the delay from the call-next request's send to the `ticket.called` event's
 * receipt on EVERY screen of that centre: p50, p99, max, and the screens that never heard it.
 * First with the screens spread over all centres, then concentrated on a few big halls.
 *
 * Memory: the server's heap and RSS from /metrics (after a full GC in the server, median of three
 * reads) before and after the screens connect, idle: KiB per socket.
 *
 * Prints figure | value | target | ok?, writes bench/results/screens-<timestamp>.json, drops the
 * database. Asserts nothing. BENCH_SMOKE=1: a few screens, a few seconds (CI).
 *
 *   npm run bench:screens                  # postgres://postgres@127.0.0.1:5432/postgres, or DATABASE_URL
 *   BENCH_SMOKE=1 npm run bench:screens
 */
import { execSync } from "node:child_process";
import { throwawayDatabase } from "./lib/database";
import { HttpClient } from "./lib/http";
import { openLoop, type CallRecord } from "./lib/load";
import { provinceSettings, seedProvince, topUpQueues, type BenchCentre } from "./lib/province";
import { clockMs, fig, load, machine, printTable, round, row, setting, sleep, SMOKE, summarise, writeResults, type Row } from "./lib/report";
import { screenFleet } from "./lib/screen-fleet";
import type { ScreenNotes, ScreenSpec } from "./lib/screen-worker";
import { startServer, type ServerProcess } from "./lib/server";
import { deviceCookie, signInOfficers } from "./lib/staff";

const { centres: CENTRES, officers: OFFICERS, fields: FIELDS, seconds: SECONDS, warmup: WARMUP } = provinceSettings();
const SCREENS = setting("BENCH_SCREENS", 2000, 20);
const HALLS = Math.min(CENTRES, setting("BENCH_SCREEN_HALLS", 20, 2));
const RATE = setting("BENCH_SCREEN_RATE", 100, 10);
const PROCESSES = setting("BENCH_SCREEN_PROCESSES", 2, 1);
const LAYOUTS = (process.env.BENCH_SCREEN_LAYOUTS ?? (SMOKE ? "spread" : "spread,concentrated")).split(",") as Array<"spread" | "concentrated">;
/** How long after the last call the screens may still hear it before it counts as missed. */
const GRACE_MS = SMOKE ? 1_000 : 3_000;
/** How long the screens stay idle after connecting before the server's memory is read. */
const SETTLE_MS = SMOKE ? 500 : 3_000;

/** Each line says the machine's 1-minute load average: the cores are shared. */
const line = (s: string) => console.log(`[screens · load ${load()}] ${s}`);

// The server holds a descriptor per socket; the screen processes one each too.
const openFiles = Number(execSync("ulimit -n", { shell: "/bin/sh" }).toString().trim());
if (Number.isFinite(openFiles) && openFiles < SCREENS + 500) {
  line(`open files are limited to ${openFiles}, fewer than ${SCREENS} screens need: raise it (ulimit -n ${SCREENS + 1000}) or npm run bench:screens does`);
}

// Screen i of a layout belongs to centre i % (its centres); spread: all centres, concentrated: the first HALLS.
const spreadOn = (ci: number) => Math.floor(SCREENS / CENTRES) + (ci < SCREENS % CENTRES ? 1 : 0);
const hallOn = (ci: number) => (ci < HALLS ? Math.floor(SCREENS / HALLS) + (ci < SCREENS % HALLS ? 1 : 0) : 0);

const started = clockMs();
const loadAverageAtStart = load();
const db = await throwawayDatabase("motcua_bench_screens");
line(`database ${db.name} created and migrated in ${round((clockMs() - started) / 1000)} s`);
let server: ServerProcess | undefined;
let http: HttpClient | undefined;
try {
  const province = await seedProvince(db.sql, {
    centres: CENTRES,
    officers: OFFICERS,
    fields: FIELDS,
    screens: (ci) => (LAYOUTS.includes("spread") ? spreadOn(ci) : 0) + (LAYOUTS.includes("concentrated") ? hallOn(ci) : 0),
  });
  server = await startServer(db.url);
  http = new HttpClient(server.baseUrl);
  let t0 = clockMs();
  const officers = await signInOfficers(http, province.centres);
  line(`${CENTRES} centres seeded, server up, ${officers.length} officers signed in over the API in ${round((clockMs() - t0) / 1000)} s`);

  const specsOf = (layout: "spread" | "concentrated"): ScreenSpec[] =>
    province.centres.flatMap((c) => {
      const spread = LAYOUTS.includes("spread") ? spreadOn(c.index) : 0;
      const devices = layout === "spread" ? c.screens.slice(0, spread) : c.screens.slice(spread);
      return devices.map((d) => ({ deviceId: d.id, centreId: c.id, cookie: deviceCookie(d, server!.cookieSecure) }));
    });

  /** The server's heap and RSS after a full GC: the median of three reads, half a second apart. */
  const memory = async () => {
    const reads: Array<{ heap: number; rss: number }> = [];
    for (let i = 0; i < 3; i++) {
      await server!.gc();
      await sleep(SMOKE ? 100 : 500);
      const m = await server!.metrics();
      reads.push({ heap: m.get("nodejs_heap_size_used_bytes") ?? NaN, rss: m.get("process_resident_memory_bytes") ?? NaN });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    return { heap: median(reads.map((r) => r.heap)), rss: median(reads.map((r) => r.rss)) };
  };

  const results = [];
  let memoryPerSocket: { sockets: number; heapBefore: number; heapAfter: number; rssBefore: number; rssAfter: number; heapKiB: number; rssKiB: number; gc: boolean } | null = null;
  for (const layout of LAYOUTS) {
    const specs = specsOf(layout);
    const centres = province.centres.filter((c) => specs.some((s) => s.centreId === c.id));
    // Filled before the screens connect: a bulk top-up moves the centres' sequence, and every screen would resync.
    await topUp(province.day, centres, RATE * (SECONDS + WARMUP));
    const before = await memory();
    const fleet = screenFleet(PROCESSES);
    try {
      t0 = clockMs();
      const connected = await fleet.connect(server.baseUrl, specs);
      const connectSeconds = round((clockMs() - t0) / 1000);
      line(`${layout}: ${connected.connected} of ${specs.length} screens on ${centres.length} centres connected with their snapshot in ${connectSeconds} s${connected.errors.length ? `; ${connected.errors.join("; ")}` : ""}`);
      await sleep(SETTLE_MS);
      if (!memoryPerSocket) {
        const after = await memory();
        const n = Math.max(connected.connected, 1);
        memoryPerSocket = {
          sockets: connected.connected,
          heapBefore: before.heap,
          heapAfter: after.heap,
          rssBefore: before.rss,
          rssAfter: after.rss,
          heapKiB: round((after.heap - before.heap) / n / 1024),
          rssKiB: round((after.rss - before.rss) / n / 1024),
          gc: await server.gc(),
        };
        line(`memory per idle socket: heap ${memoryPerSocket.heapKiB} KiB, RSS ${memoryPerSocket.rssKiB} KiB (${connected.connected} sockets)`);
      }

      const who = officers.filter((o) => centres.includes(o.centre));
      const calls = await openLoop(http, who, RATE, SECONDS, WARMUP);
      await sleep(GRACE_MS);
      const notes = await fleet.collect();
      const delivery = deliveries(calls.calls, notes);
      line(
        `${layout}: ${calls.achievedPerSecond} calls/s answered (call-next p99 ${calls.callNext.p99} ms); call → every screen p50 ${delivery.delay.p50} p99 ${delivery.delay.p99} max ${delivery.delay.max} ms; ` +
          `${delivery.missed} missed, ${delivery.recovered} recovered after a reconnect, ${delivery.disconnects} disconnects, ${delivery.snapshots} snapshots`,
      );
      const { calls: _calls, ...loadResult } = calls;
      results.push({ layout, screens: specs.length, centres: centres.length, connected, connectSeconds, load: loadResult, delivery, loadAverage: load() });
    } finally {
      await fleet.close();
    }
  }

  const rows: Row[] = [];
  if (memoryPerSocket) {
    rows.push(
      row(`server heap per idle screen socket (${memoryPerSocket.sockets} sockets)`, `${fig(memoryPerSocket.heapKiB)} KiB`),
      row("server RSS per idle screen socket", `${fig(memoryPerSocket.rssKiB)} KiB`),
    );
  }
  for (const r of results) {
    const label = `${r.screens} screens on ${r.centres} centres`;
    rows.push(
      row(`${label}: connected with a snapshot`, `${r.connected.connected} in ${r.connectSeconds} s`, `${r.screens}`, r.connected.connected === r.screens),
      row(`  ${RATE} calls/s over HTTP: answered`, `${fig(r.load.achievedPerSecond)} calls/s`, `${RATE}`, r.load.sent === r.load.scheduled && r.load.achievedPerSecond >= RATE * 0.95),
      row("  call-next p50 / p99", `${fig(r.load.callNext.p50)} / ${fig(r.load.callNext.p99)} ms`),
      row(`  call → every screen of its centre: p50 / p99`, `${fig(r.delivery.delay.p50)} / ${fig(r.delivery.delay.p99)} ms`),
      row("  call → screen: max", `${fig(r.delivery.delay.max)} ms`),
      row("  screen receipt after the officer's answer: p50 / p99", `${fig(r.delivery.afterAnswer.p50)} / ${fig(r.delivery.afterAnswer.p99)} ms`),
      row(`  screens that missed a call (of ${r.delivery.expected} deliveries)`, `${r.delivery.missed}`, "0", r.delivery.missed === 0),
      row("  heard only after a reconnect / disconnects", `${r.delivery.recovered} / ${r.delivery.disconnects}`),
    );
  }
  printTable(`Screens benchmark${SMOKE ? " (smoke: sizes too small to mean anything)" : ""} — ${SCREENS} screens, ${RATE} calls/s, ${SECONDS} s`, rows);
  const file = writeResults("screens", SMOKE, {
    at: new Date().toISOString(),
    smoke: SMOKE,
    machine: { ...machine(db.serverVersion), loadAverageAtStart },
    setup: { centres: CENTRES, officersPerCentre: OFFICERS, fieldsPerCentre: FIELDS, screens: SCREENS, halls: HALLS, processes: PROCESSES, rate: RATE, seconds: SECONDS, warmupSeconds: WARMUP, graceMs: GRACE_MS },
    memoryPerSocket,
    results,
    table: rows,
  });
  line(`wrote ${file}`);
} finally {
  http?.close();
  await server?.stop();
  await db.drop();
}

/** Enough waiting tickets in every field of `centres` for `calls` calls, with headroom. */
async function topUp(day: string, centres: readonly BenchCentre[], calls: number) {
  const fields = centres.reduce((n, c) => n + c.fields.length, 0);
  await topUpQueues(db.sql, day, centres, Math.max(10, Math.ceil((calls * 1.3) / fields) + 5));
}

/** For each call, each screen of its centre: heard live (the delay from the request's send), heard after a reconnect, or never. */
function deliveries(calls: readonly CallRecord[], notes: readonly ScreenNotes[]) {
  const screensOf = new Map<number, Array<{ heard: Map<number, number>; recovered: Set<number> }>>();
  for (const n of notes) {
    const list = screensOf.get(n.centreId) ?? [];
    list.push({ heard: new Map(n.heard), recovered: new Set(n.recovered.map(([id]) => id)) });
    screensOf.set(n.centreId, list);
  }
  const delays: number[] = [];
  // From the moment the officer had the answer: the fan-out alone (negative when the event was first, as it is sent at commit).
  const afterAnswer: number[] = [];
  let missed = 0;
  let recovered = 0;
  let expected = 0;
  for (const call of calls) {
    for (const screen of screensOf.get(call.centreId) ?? []) {
      expected++;
      const at = screen.heard.get(call.ticketId);
      if (at !== undefined) {
        delays.push(at - call.sentAt);
        afterAnswer.push(at - (call.sentAt + call.ms));
      } else if (screen.recovered.has(call.ticketId)) recovered++;
      else missed++;
    }
  }
  return {
    calls: calls.length,
    expected,
    delay: summarise(delays),
    afterAnswer: summarise(afterAnswer),
    missed,
    recovered,
    disconnects: notes.reduce((n, s) => n + s.disconnects, 0),
    snapshots: notes.reduce((n, s) => n + s.snapshots, 0),
    reloads: notes.reduce((n, s) => n + s.reloads, 0),
  };
}
