/**
 * How the officers, desks and kiosks drive the API: closed loops (each as fast as answers come)
 * and open loops (calls sent at a fixed rate, whatever the answers). Every request is timed from
 * its send; only requests sent inside the measured window (after a warm-up) are counted.
 */
import { errorOf, type Answer, type HttpClient } from "./http";
import { clockMs, round, sleep, summarise, type Latency } from "./report";
import type { Desk, Kiosk, Officer } from "./staff";

export type Window = { from: number; to: number };
const inWindow = (w: Window, t: number) => t >= w.from && t < w.to;

/** Counts of refusals and failures by error code. */
export class Errors {
  readonly counts: Record<string, number> = {};
  add(code: string) {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
  }
  get total() {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  toString() {
    return Object.entries(this.counts)
      .map(([k, v]) => `${k}×${v}`)
      .join(", ");
  }
}

const ticketIdOf = (a: Answer) => (a.body?.data as { ticket?: { id: number } } | undefined)?.ticket?.id ?? null;

export type CallRecord = { ticketId: number; centreId: number; sentAt: number; ms: number };

export type ClosedLoopResult = {
  officers: number;
  seconds: number;
  /** Call-nexts answered (a ticket called) inside the window, per second: the server's pace, even when overloaded. */
  calls: number;
  callsPerSecond: number;
  callNext: Latency;
  finish: Latency;
  errors: Record<string, number>;
  /** Officers who found their queue empty before the end (the top-up was too small). */
  ranDry: number;
};

/**
 * Each officer calls next, finishes, and again, as fast as the answers come, until the window
 * (`seconds` after a `warmup`) ends; requests under way then are let finish. What was answered
 * inside the window is counted, with its latency: with many officers and a slow server each
 * request waits long (Little's law), and counting by answer keeps the pace right.
 */
export async function closedLoop(http: HttpClient, officers: readonly Officer[], seconds: number, warmup: number): Promise<ClosedLoopResult> {
  const start = clockMs();
  const window: Window = { from: start + warmup * 1000, to: start + (warmup + seconds) * 1000 };
  const answeredIn = (a: Answer) => inWindow(window, a.sentAt + a.ms);
  const calls: number[] = [];
  const finishes: number[] = [];
  const errors = new Errors();
  let ranDry = 0;
  await Promise.all(
    officers.map(async (o) => {
      while (clockMs() < window.to) {
        const call = await http.post(`/api/v1/counters/${o.counterId}/call-next`, { cookie: o.cookie, address: o.address });
        const ticketId = call.status === 200 ? ticketIdOf(call) : null;
        if (ticketId === null) {
          const code = errorOf(call);
          errors.add(`call-next ${code}`);
          if (code === "queue_empty") {
            ranDry++;
            return;
          }
          await sleep(100);
          continue;
        }
        if (answeredIn(call)) calls.push(call.ms);
        const finish = await http.post(`/api/v1/tickets/${ticketId}/finish`, { cookie: o.cookie, address: o.address });
        if (finish.status !== 200) errors.add(`finish ${errorOf(finish)}`);
        else if (answeredIn(finish)) finishes.push(finish.ms);
      }
    }),
  );
  return {
    officers: officers.length,
    seconds,
    calls: calls.length,
    callsPerSecond: round(calls.length / seconds),
    callNext: summarise(calls),
    finish: summarise(finishes),
    errors: errors.counts,
    ranDry,
  };
}

export type OpenLoopResult = {
  rate: number;
  seconds: number;
  /** Calls due in the window, and those that went out (none when every officer of every centre was still busy). */
  scheduled: number;
  sent: number;
  answered: number;
  achievedPerSecond: number;
  callNext: Latency;
  finish: Latency;
  /** How late the generator sent calls after their due time (its own health, not the server's). */
  sendLagMs: Latency;
  errors: Record<string, number>;
  calls: CallRecord[];
};

/**
 * Calls at `rate` per second, spread over the officers' centres in turn (shuffled once): each due
 * call goes to a free officer of the next centre (or of the nearest centre with one), who then
 * finishes the ticket at once and is free again. Latency is from each request's own send.
 */
export async function openLoop(http: HttpClient, officers: readonly Officer[], rate: number, seconds: number, warmup: number): Promise<OpenLoopResult> {
  // Each centre's free officers; an officer goes back to their centre's list when done.
  const listOf = new Map<number, Officer[]>();
  for (const o of officers) listOf.set(o.centre.id, [...(listOf.get(o.centre.id) ?? []), o]);
  const free = [...listOf.values()];
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [free[i], free[j]] = [free[j]!, free[i]!];
  }

  const start = clockMs() + 50;
  const window: Window = { from: start + warmup * 1000, to: start + (warmup + seconds) * 1000 };
  const total = Math.round(rate * (warmup + seconds));
  const calls: CallRecord[] = [];
  const callMs: number[] = [];
  const finishMs: number[] = [];
  const lag: number[] = [];
  const errors = new Errors();
  let scheduled = 0;
  let sent = 0;
  let answered = 0;
  const inFlight = new Set<Promise<void>>();

  const fire = (i: number, dueAt: number) => {
    const counted = inWindow(window, dueAt);
    if (counted) scheduled++;
    let officer: Officer | undefined;
    for (let k = 0; k < free.length && !officer; k++) officer = free[(i + k) % free.length]!.pop();
    if (!officer) {
      errors.add("not sent: every officer busy");
      return;
    }
    const o = officer;
    if (counted) {
      sent++;
      lag.push(clockMs() - dueAt);
    }
    const work = (async () => {
      try {
        const call = await http.post(`/api/v1/counters/${o.counterId}/call-next`, { cookie: o.cookie, address: o.address });
        const ticketId = call.status === 200 ? ticketIdOf(call) : null;
        if (ticketId === null) {
          errors.add(`call-next ${errorOf(call)}`);
          return;
        }
        if (counted) {
          answered++;
          callMs.push(call.ms);
          calls.push({ ticketId, centreId: o.centre.id, sentAt: call.sentAt, ms: call.ms });
        }
        const finish = await http.post(`/api/v1/tickets/${ticketId}/finish`, { cookie: o.cookie, address: o.address });
        if (finish.status !== 200) errors.add(`finish ${errorOf(finish)}`);
        else if (counted) finishMs.push(finish.ms);
      } catch (error) {
        errors.add(`network ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      } finally {
        listOf.get(o.centre.id)!.push(o);
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i * 1000) / rate;
    const wait = dueAt - clockMs();
    if (wait > 0) await sleep(wait);
    fire(i, dueAt);
  }
  // The last calls are waited for, 30 s at most (a server that stopped answering does not hang the run).
  let late: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.all(inFlight), new Promise<void>((resolve) => (late = setTimeout(resolve, 30_000)))]);
  clearTimeout(late);
  return {
    rate,
    seconds,
    scheduled,
    sent,
    answered,
    achievedPerSecond: round(answered / seconds),
    callNext: summarise(callMs),
    finish: summarise(finishMs),
    sendLagMs: summarise(lag),
    errors: errors.counts,
    calls,
  };
}

export type IssuanceResult = {
  seconds: number;
  desks: { issuers: number; tickets: number; perSecond: number; latency: Latency };
  kiosks: { kiosks: number; rate: number; tickets: number; perSecond: number; latency: Latency };
  errors: Record<string, number>;
};

/**
 * Reception desks issue as fast as answers come (a random field of their centre each time),
 * while the kiosks are tapped at `kioskRate` a second in all, in turn (each kiosk's taps further
 * apart than its pace, or the tap is refused as too fast and counted as an error).
 */
export async function issuance(
  http: HttpClient,
  input: { desks: readonly Desk[]; kiosks: readonly Kiosk[]; kioskRate: number; seconds: number; warmup: number },
): Promise<IssuanceResult> {
  const start = clockMs();
  const window: Window = { from: start + input.warmup * 1000, to: start + (input.warmup + input.seconds) * 1000 };
  const errors = new Errors();
  const deskMs: number[] = [];
  const kioskMs: number[] = [];
  const randomField = (d: Desk | Kiosk) => d.centre.fields[Math.floor(Math.random() * d.centre.fields.length)]!.id;
  const issue = async (who: Desk | Kiosk, path: string, into: number[]) => {
    const answer = await http.post(path, { cookie: who.cookie, address: who.address, body: { fieldId: randomField(who) } });
    if (answer.status !== 201) errors.add(`${path.split("/")[3]} ${errorOf(answer)}`);
    else if (inWindow(window, answer.sentAt + answer.ms)) into.push(answer.ms);
  };
  const taps: Array<Promise<void>> = [];
  await Promise.all([
    ...input.desks.map(async (d) => {
      while (clockMs() < window.to) await issue(d, "/api/v1/reception/tickets", deskMs);
    }),
    (async () => {
      if (input.kiosks.length === 0 || input.kioskRate <= 0) return;
      for (let i = 0; ; i++) {
        const dueAt = start + (i * 1000) / input.kioskRate;
        if (dueAt >= window.to) break;
        await sleep(Math.max(0, dueAt - clockMs()));
        taps.push(issue(input.kiosks[i % input.kiosks.length]!, "/api/v1/kiosk/tickets", kioskMs));
      }
      await Promise.all(taps);
    })(),
  ]);
  return {
    seconds: input.seconds,
    desks: { issuers: input.desks.length, tickets: deskMs.length, perSecond: round(deskMs.length / input.seconds), latency: summarise(deskMs) },
    kiosks: { kiosks: input.kiosks.length, rate: input.kioskRate, tickets: kioskMs.length, perSecond: round(kioskMs.length / input.seconds), latency: summarise(kioskMs) },
    errors: errors.counts,
  };
}
