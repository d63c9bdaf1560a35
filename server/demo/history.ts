/**
 * Past activity for a centre: weeks (or a year) of queue days, visits, ratings, dossiers and
 * appointments, as the services would have written them — so the demo's reports have something
 * to show on the first morning, and the reports benchmark has a year to chew on.
 *
 * Simulated in memory, deterministic from a seed: citizens arrive through the day (morning and
 * early-afternoon peaks, busier Mondays, quiet Friday afternoons), wait for a counter serving their
 * field, are called (now and then out of order, with a reason), recalled, served (per-field service
 * times), transferred, or missed; some rate the visit, some leave a dossier that is settled on the
 * working-day calendar (most on time, some late, a few refused or sent back for a supplement;
 * server/demo/history-dossiers.ts). A visit and its rating: server/demo/history-visit.ts; the day's
 * appointments: server/demo/history-bookings.ts; the
 * centre's habits: server/demo/history-data.ts.
 * Then written in bulk (server/demo/bulk-insert.ts): one INSERT … SELECT FROM unnest(…) per table
 * and batch, never a row at a time, in one transaction. The seeded randomness: server/demo/random.ts.
 *
 * Consistency kept with the live services (decision 0027): gapless numbers per field and day in
 * issue order, with their ticket_numbers rows; codes from ticketCode; first_called_at ≤ called_at
 * ≤ finished_at; an event log (shapes of event-details.ts) that replays to each ticket's status, in
 * seq order = time order, and centres.event_seq at its end; ratings only of done tickets; dossier
 * codes and dossier_numbers as openDossier writes them; closed_through / closing_swept_on at
 * yesterday. Nothing today or later. Only into a centre without tickets (the seq would otherwise
 * run backwards in time).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, counterFields, counters, devices, dossiers, fields, priorityClasses, procedures, tickets, users } from "../../db/schema";
import { calendarFor } from "../calendar/calendars";
import { addDays, isWorkingDay } from "../calendar/working-days";
import { ticketCode } from "../queue/rules";
import { previousDay, serviceDate } from "../time";
import { APPOINTMENT_COLUMNS, DOSSIER_COLUMNS, DOSSIER_NUMBER_COLUMNS, EVENT_COLUMNS, NUMBER_COLUMNS, RATING_COLUMNS, STEP_COLUMNS, TICKET_COLUMNS, bulkInsert, type Value } from "./bulk-insert";
import { AFTERNOON_FROM, AFTERNOON_PROFILE, CANCEL_REASONS, FAMILY, GIVEN, MIDDLE, MINUTE, MORNING_FROM, MORNING_PROFILE, PROVINCES, SECOND, SERVICE_MINUTES, STREETS, WEEKDAY_FACTOR, at, hm, iso } from "./history-data";
import { dayBookings } from "./history-bookings";
import { dossierCourse, type DossierContext, type ProcedureInfo } from "./history-dossiers";
import { ratingOf, visit, type Desk, type Ev, type FieldInfo, type Sim, type SimulatedDay } from "./history-visit";
import { prng } from "./random";

export type HistoryOptions = {
  centreId: number;
  /** Working days of the centre's calendar, back from yesterday. */
  days: number;
  /** Walk-ins a day on average (before weekday and day-to-day variation); default: 70 % of what the staffed counters can serve. */
  ticketsPerDay?: number;
  /** Same seed (and same `now`, same centre) → same history. */
  seed?: number | string;
  /** The present: history ends the service day before it. Default: the clock. */
  now?: Date;
  /** Rows per INSERT statement. */
  batchSize?: number;
};

export type HistorySummary = {
  firstDay: string | null;
  lastDay: string | null;
  days: number;
  tickets: number;
  events: number;
  ratings: number;
  dossiers: number;
  dossierSteps: number;
  appointments: number;
  ms: number;
};

/** What the demo gets: four weeks of working days, at what its staffed counters serve comfortably. */
export const DEMO_HISTORY = { days: 20, seed: "motcua-demo" } as const;



/**
 * Writes `days` working days of past activity for the centre, ending yesterday; returns what it
 * wrote. Refused (an Error) when the centre already has tickets.
 */
export async function generateHistory(db: Database, options: HistoryOptions): Promise<HistorySummary> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 20_000;
  const rng = prng(options.seed ?? 12);
  const { centreId } = options;

  return db.transaction(async (tx) => {
    const [centre] = await tx.select().from(centres).where(eq(centres.id, centreId)).for("update");
    if (!centre) throw new Error(`generateHistory: no centre ${centreId}`);
    const [existing] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.centreId, centreId)).limit(1);
    if (existing) throw new Error(`generateHistory: centre ${centre.code} already has tickets; history is written only before the first one`);

    const calendar = await calendarFor(tx, centreId);
    // The calendar's answers, remembered: a year of dossiers asks about the same days many times.
    const worked = new Map<string, boolean>();
    const isWorked = (day: string) => {
      let w = worked.get(day);
      if (w === undefined) worked.set(day, (w = isWorkingDay(day, calendar)));
      return w;
    };
    const plusWorkingDays = (day: string, n: number) => {
      let d = day;
      while (!isWorked(d)) d = addDays(d, 1);
      for (let left = n; left > 0; left--) do d = addDays(d, 1); while (!isWorked(d));
      return d;
    };
    const fieldRows = await tx.select().from(fields).where(eq(fields.centreId, centreId)).orderBy(asc(fields.sortOrder), asc(fields.id));
    const counterRows = await tx.select().from(counters).where(and(eq(counters.centreId, centreId), eq(counters.isActive, true))).orderBy(asc(counters.number));
    const links = await tx.select().from(counterFields);
    const staffRows = await tx.select().from(users).where(and(eq(users.centreId, centreId), eq(users.isActive, true))).orderBy(asc(users.username));
    const deviceRows = await tx.select().from(devices).where(eq(devices.centreId, centreId)).orderBy(asc(devices.id));
    const classes = await tx.select().from(priorityClasses).where(and(eq(priorityClasses.centreId, centreId), eq(priorityClasses.isActive, true)));
    const procedureRows = await tx.select().from(procedures).where(and(eq(procedures.centreId, centreId), eq(procedures.isActive, true)));
    const [maxTicket] = await tx.select({ id: sql<string>`coalesce(max(${tickets.id}), 0)` }).from(tickets);
    const [maxDossier] = await tx.select({ id: sql<string>`coalesce(max(${dossiers.id}), 0)` }).from(dossiers);

    const fieldInfo = new Map<number, FieldInfo>(
      fieldRows.map((f) => [
        f.id,
        { id: f.id, code: f.code, prefix: f.prefix, serviceMinutes: SERVICE_MINUTES[f.code] ?? f.defaultServiceMinutes, slotMinutes: f.appointmentSlotMinutes, slotCapacity: f.appointmentSlotCapacity },
      ]),
    );
    const officers = staffRows.filter((u) => u.role === "officer");
    const reception = staffRows.find((u) => u.role === "supervisor") ?? staffRows.find((u) => u.role === "admin") ?? null;
    const appraiser = staffRows.find((u) => u.role === "appraiser") ?? null;
    const approver = staffRows.find((u) => u.role === "approver") ?? null;
    const kiosk = deviceRows.find((d) => d.kind === "kiosk" && !d.revokedAt) ?? null;
    const tablets = new Map(deviceRows.filter((d) => d.kind === "rating" && d.counterId !== null && !d.revokedAt).map((d) => [d.counterId!, d.id]));
    const proceduresOf = new Map<number, ProcedureInfo[]>();
    for (const p of procedureRows) {
      const list = proceduresOf.get(p.fieldId) ?? [];
      list.push({ id: p.id, fieldId: p.fieldId, processingDays: p.processingDays, processingHours: p.processingHours, onTheSpot: p.onTheSpot, needsAppraisal: p.needsAppraisal, approverRole: p.approverRole, documents: p.documents });
      proceduresOf.set(p.fieldId, list);
    }

    // Who sits where: first one counter for every field (the most specialised), then the rest in number order.
    const fieldsOf = new Map<number, number[]>();
    for (const l of links) if (fieldInfo.has(l.fieldId)) fieldsOf.set(l.counterId, [...(fieldsOf.get(l.counterId) ?? []), l.fieldId]);
    const usable = counterRows.filter((c) => (fieldsOf.get(c.id) ?? []).length > 0);
    const chosen: typeof usable = [];
    for (const f of fieldRows) {
      if (chosen.length >= officers.length || chosen.some((c) => fieldsOf.get(c.id)!.includes(f.id))) continue;
      const best = usable.filter((c) => !chosen.includes(c) && fieldsOf.get(c.id)!.includes(f.id)).sort((a, b) => fieldsOf.get(a.id)!.length - fieldsOf.get(b.id)!.length || a.number - b.number)[0];
      if (best) chosen.push(best);
    }
    for (const c of usable) if (chosen.length < officers.length && !chosen.includes(c)) chosen.push(c);
    chosen.sort((a, b) => a.number - b.number);
    const seats = chosen.map((c, i) => ({ counterId: c.id, officerId: officers[i]!.id, fields: fieldsOf.get(c.id)! }));
    const served = new Set(seats.flatMap((s) => s.fields));

    // What the staffed counters can serve in a day (minutes split evenly among a counter's fields).
    const capacity = new Map<number, number>();
    for (const s of seats) for (const f of s.fields) capacity.set(f, (capacity.get(f) ?? 0) + 450 / s.fields.length / (fieldInfo.get(f)!.serviceMinutes + 1.5));
    const totalCapacity = [...capacity.values()].reduce((a, b) => a + b, 0);
    const perDay = options.ticketsPerDay ?? Math.round(totalCapacity * 0.7);

    // The days: working days of the calendar, back from yesterday.
    const today = serviceDate(now);
    const dayList: string[] = [];
    for (let d = previousDay(today), guard = 0; dayList.length < options.days && guard < options.days * 3 + 60; d = previousDay(d), guard++) {
      if (isWorked(d)) dayList.unshift(d);
    }
    const todayStart = at(today, 0);
    const closing = hm(centre.closesAt);

    let nextTicketId = Number(maxTicket!.id) + 1;
    let nextDossierId = Number(maxDossier!.id) + 1;
    let seq = centre.eventSeq;
    const summary: HistorySummary = { firstDay: dayList[0] ?? null, lastDay: dayList.at(-1) ?? null, days: dayList.length, tickets: 0, events: 0, ratings: 0, dossiers: 0, dossierSteps: 0, appointments: 0, ms: 0 };
    const buffers = { tickets: [] as Value[][], events: [] as Value[][], numbers: [] as Value[][], ratings: [] as Value[][], dossiers: [] as Value[][], steps: [] as Value[][], dossierNumbers: [] as Value[][], appointments: [] as Value[][] };

    const flush = async () => {
      await bulkInsert(tx, "tickets", TICKET_COLUMNS, buffers.tickets, batchSize, true);
      await bulkInsert(tx, "ticket_numbers", NUMBER_COLUMNS, buffers.numbers, batchSize);
      await bulkInsert(tx, "dossiers", DOSSIER_COLUMNS, buffers.dossiers, batchSize, true);
      await bulkInsert(tx, "dossier_steps", STEP_COLUMNS, buffers.steps, batchSize);
      await bulkInsert(tx, "dossier_numbers", DOSSIER_NUMBER_COLUMNS, buffers.dossierNumbers, batchSize);
      await bulkInsert(tx, "ticket_events", EVENT_COLUMNS, buffers.events, batchSize);
      await bulkInsert(tx, "ratings", RATING_COLUMNS, buffers.ratings, batchSize);
      await bulkInsert(tx, "appointments", APPOINTMENT_COLUMNS, buffers.appointments, batchSize);
      summary.tickets += buffers.tickets.length;
      summary.events += buffers.events.length;
      summary.ratings += buffers.ratings.length;
      summary.dossiers += buffers.dossiers.length;
      summary.dossierSteps += buffers.steps.length;
      summary.appointments += buffers.appointments.length;
      for (const list of Object.values(buffers)) list.length = 0;
    };

    const person = () => `${rng.pick(FAMILY)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
    const phone = () => `0${rng.pick(["9", "8", "3", "7"])}${String(rng.int(10_000_000, 99_999_999))}`;
    /** A working moment (08:00–16:30) of `day`, at or after `notBefore`. */
    const workingMoment = (day: string, notBefore = 0) => Math.max(at(day, rng.between(hm("08:00"), hm("16:30"))), notBefore + 5 * MINUTE);
    const dossierContext: DossierContext = { rng, calendar, appraiser, approver, plusWorkingDays, workingMoment, todayStart, open: { count: 0 } };

    for (const day of dayList) {
      const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
      const dayFactor = WEEKDAY_FACTOR[weekday]! * rng.between(0.9, 1.1);
      let order = 0;
      const sims: Sim[] = [];
      const newSim = (fieldId: number, issuedAt: number, channel: Sim["channel"], priority: number, classId: number | null): Sim => {
        const sim: Sim = {
          id: 0, originField: fieldId, field: fieldId, number: 0, code: "", priority, priorityClassId: classId, channel,
          deviceId: channel === "reception" ? null : (kiosk?.id ?? null), issuedAt, availableAt: issuedAt,
          absent: false, cancelAt: null, moved: false, status: "waiting", calledAt: null, firstCalledAt: null, announcedAt: null,
          finishedAt: null, noShowAt: null, recallCount: 0, outcome: null, transferredFrom: null, transferNote: null, counterId: null, officerId: null, events: [], dossierId: null,
        };
        sim.events.push({ t: issuedAt, order: order++, type: "issued", from: null, to: "waiting", field: fieldId, user: channel === "reception" ? (reception?.id ?? null) : null, device: sim.deviceId, counter: null, details: null });
        sims.push(sim);
        return sim;
      };

      // Walk-ins: per field, by what it can serve; arrival minutes from the day's profile.
      const profile = [
        ...MORNING_PROFILE.map((w, i) => [MORNING_FROM + 15 * i, w] as const),
        ...AFTERNOON_PROFILE.map((w, i) => [AFTERNOON_FROM + 15 * i, w * (weekday === 5 ? 0.55 : 1)] as const),
      ];
      for (const [fieldId, cap] of capacity) {
        // Booked visits take their share of the field's capacity first.
        const f = fieldInfo.get(fieldId)!;
        const booked = f.slotCapacity > 0 ? (((hm("16:30") - MORNING_FROM - 120) / f.slotMinutes) * f.slotCapacity * 0.3 * 0.8 * f.serviceMinutes) / (f.serviceMinutes + 1.5) : 0;
        const expected = Math.max(0, (perDay * cap) / totalCapacity - booked) * dayFactor;
        const n = Math.max(0, Math.round(expected + rng.between(-1, 1) * Math.sqrt(expected)));
        for (let i = 0; i < n; i++) {
          const minute = rng.weighted(profile) + rng.between(0, 15);
          const reception_ = rng.chance(kiosk ? 0.12 : 1);
          const priority = rng.chance(0.08) && classes.length > 0;
          const sim = newSim(fieldId, at(day, minute), reception_ ? "reception" : "kiosk", priority ? 1 : 0, priority ? rng.pick(classes).id : null);
          if (rng.chance(0.05)) sim.absent = true;
          else if (rng.chance(0.012)) sim.cancelAt = sim.issuedAt + rng.between(5, 45) * MINUTE;
        }
      }

      // Appointments of the fields that take them: checked in (a ticket), missed, or cancelled.
      const bookings = dayBookings(day, { rng, centreId, fieldInfo, served, proceduresOf, newSim });

      // Numbers and ids in issue order.
      sims.sort((a, b) => a.issuedAt - b.issuedAt);
      const last = new Map<number, number>();
      for (const s of sims) {
        s.id = nextTicketId++;
        const n = (last.get(s.originField) ?? 0) + 1;
        last.set(s.originField, n);
        s.number = n;
        s.code = ticketCode(fieldInfo.get(s.originField)!.prefix, n);
      }
      for (const [fieldId, n] of last) buffers.numbers.push([fieldId, day, n]);
      const queues = new Map<number, Sim[]>([...fieldInfo.keys()].map((f) => [f, sims.filter((s) => s.field === f)]));
      const heads = new Map<number, number>();

      // The counters' day: the earliest free counter calls next, until the last call of each session.
      const sessions = [
        { from: MORNING_FROM, lastCall: hm("11:55") },
        { from: AFTERNOON_FROM, lastCall: Math.min(closing, hm("17:30")) - 20 },
      ];
      const desks: Desk[] = seats.map((s) => ({ ...s, freeAt: at(day, MORNING_FROM + rng.between(0, 6)), session: 0 }));
      const dayDossiers: Array<{ sim: Sim; receivedAt: number; officerId: number; procedure: ProcedureInfo }> = [];
      const event = (s: Sim, e: Omit<Ev, "order" | "field">) => void s.events.push({ ...e, order: order++, field: s.field });
      const simulated: SimulatedDay = { rng, nextOrder: () => order++, event, fieldInfo, served, queues, heads, proceduresOf, dayDossiers };

      for (;;) {
        let desk: Desk | null = null;
        for (const d of desks) if (d.session < 2 && (!desk || d.freeAt < desk.freeAt)) desk = d;
        if (!desk) break;
        const t = desk.freeAt;
        const session = sessions[desk.session]!;
        if (t > at(day, session.lastCall)) {
          desk.session++;
          if (desk.session < 2) desk.freeAt = Math.max(t, at(day, sessions[desk.session]!.from + rng.between(0, 8)));
          continue;
        }
        // Who waits for this counter now (the citizens who gave up are withdrawn first).
        const waiting: Sim[] = [];
        let nextArrival = Infinity;
        for (const f of desk.fields) {
          const queue = queues.get(f)!;
          // Tickets settled at the front are skipped for good.
          let head = heads.get(f) ?? 0;
          while (head < queue.length && (queue[head]!.status !== "waiting" || queue[head]!.field !== f)) head++;
          heads.set(f, head);
          for (let q = head; q < queue.length; q++) {
            const s = queue[q]!;
            // In issue order: from here on nobody has arrived yet.
            if (s.issuedAt > t) {
              nextArrival = Math.min(nextArrival, s.availableAt);
              break;
            }
            if (s.status !== "waiting" || s.field !== f) continue;
            if (s.cancelAt !== null && s.cancelAt <= t) {
              s.status = "cancelled";
              s.finishedAt = s.cancelAt;
              event(s, { t: s.cancelAt, type: "cancelled", from: "waiting", to: "cancelled", user: reception?.id ?? null, device: null, counter: null, details: JSON.stringify({ reason: rng.pick(CANCEL_REASONS) }) });
              continue;
            }
            if (s.availableAt <= t) waiting.push(s);
            else nextArrival = Math.min(nextArrival, s.availableAt);
          }
        }
        if (waiting.length === 0) {
          desk.freeAt = Number.isFinite(nextArrival) ? nextArrival + rng.between(5, 40) * SECOND : t + 10 * MINUTE;
          continue;
        }
        waiting.sort((a, b) => b.priority - a.priority || a.issuedAt - b.issuedAt);
        const outOfOrder = waiting.length > 1 && rng.chance(0.03);
        const s = outOfOrder ? waiting[rng.int(1, waiting.length - 1)]! : waiting[0]!;
        desk.freeAt = visit(s, desk, Math.max(t, s.availableAt + 15 * SECOND), outOfOrder, simulated);
      }

      // Left waiting when the counters closed: expired at closing time, as the day-end sweep would.
      for (const s of sims) {
        if (s.status !== "waiting") continue;
        if (s.cancelAt !== null) {
          s.status = "cancelled";
          s.finishedAt = Math.min(s.cancelAt, at(day, closing) - MINUTE);
          event(s, { t: s.finishedAt, type: "cancelled", from: "waiting", to: "cancelled", user: reception?.id ?? null, device: null, counter: null, details: JSON.stringify({ reason: rng.pick(CANCEL_REASONS) }) });
          continue;
        }
        s.status = "expired";
        s.finishedAt = at(day, closing);
        event(s, { t: s.finishedAt, type: "expired", from: "waiting", to: "expired", user: null, device: null, counter: null, details: JSON.stringify({ reason: "day_end" }) });
      }

      // Dossiers of the day, with their codes in order of receipt, and their later steps.
      dayDossiers.sort((a, b) => a.receivedAt - b.receivedAt);
      for (const [i, d] of dayDossiers.entries()) {
        const id = nextDossierId++;
        d.sim.dossierId = id;
        const p = d.procedure;
        const { steps, due, countsFrom } = dossierCourse({ receivedAt: d.receivedAt, officerId: d.officerId, procedure: p, visitEnd: d.sim.finishedAt! }, dossierContext);
        const state = steps.at(-1)!.to;
        const applicant = person();
        buffers.dossiers.push([
          id, centreId, `${centre.code}-${day.slice(2).replaceAll("-", "")}-${String(i + 1).padStart(4, "0")}`, p.id, d.sim.id, applicant,
          `${rng.pick(PROVINCES)}${String(rng.int(0, 999_999_999)).padStart(9, "0")}`, phone(), `Số ${rng.int(1, 200)} đường ${rng.pick(STREETS)}`,
          JSON.stringify(p.documents.map((doc) => ({ key: doc.key, received: doc.mandatory || rng.chance(0.5), count: doc.count, name: doc.name, form: doc.form, mandatory: doc.mandatory }))),
          state, iso(d.receivedAt), countsFrom, due.day, due.at.toISOString(), d.officerId, iso(steps.at(-1)!.t),
        ]);
        for (const s of steps) buffers.steps.push([id, centreId, s.action, s.from, s.to, s.actor, s.reason, iso(s.t)]);
      }
      if (dayDossiers.length) buffers.dossierNumbers.push([centreId, day, dayDossiers.length]);

      // The day's event log in time order: its sequence numbers follow the previous day's.
      const dayEvents = sims.flatMap((s) => s.events.map((e) => ({ s, e })));
      dayEvents.sort((a, b) => a.e.t - b.e.t || a.e.order - b.e.order);
      for (const { s, e } of dayEvents) {
        buffers.events.push([s.id, centreId, ++seq, e.type, e.field, e.from, e.to, e.user, e.device, e.counter, e.details, iso(e.t)]);
      }

      for (const s of sims) {
        buffers.tickets.push([
          s.id, centreId, s.field, day, s.number, s.code, s.priority, s.priorityClassId, s.channel, s.status,
          iso(s.issuedAt), iso(s.calledAt), iso(s.firstCalledAt), iso(s.announcedAt), iso(s.finishedAt), iso(s.noShowAt), s.recallCount, s.outcome,
          s.transferredFrom, s.transferNote, s.counterId, s.officerId, s.deviceId,
        ]);
        const rating = ratingOf(s, { rng, tablets, todayStart });
        if (!rating) continue;
        const { value, reasons, comment, tablet, ratedAt } = rating;
        buffers.ratings.push([
          centreId, s.id, value, JSON.stringify(reasons), comment, tablet !== null ? "tablet" : "tracking", tablet, s.officerId, s.counterId, s.field, s.dossierId, iso(ratedAt),
        ]);
      }
      // Checked-in bookings name their ticket, now that it has an id.
      for (const { row, ticket } of bookings) {
        if (ticket) {
          row[8] = ticket.id;
          row[9] = iso(ticket.issuedAt);
        }
        buffers.appointments.push(row);
      }

      if (buffers.events.length >= batchSize * 5) await flush();
    }
    await flush();

    // Live events continue from the history's last sequence number; the day-end sweep has nothing to close before today.
    const yesterday = previousDay(today);
    await tx
      .update(centres)
      .set({ eventSeq: seq, closedThrough: sql`greatest(${centres.closedThrough}, ${yesterday}::date)`, closingSweptOn: sql`greatest(${centres.closingSweptOn}, ${yesterday}::date)` })
      .where(eq(centres.id, centreId));
    // Ids were given explicitly (events, ratings and steps name them): the identities continue after them.
    await tx.execute(sql`select setval(pg_get_serial_sequence('tickets', 'id'), (select coalesce(max(id), 0) + 1 from tickets), false)`);
    await tx.execute(sql`select setval(pg_get_serial_sequence('dossiers', 'id'), (select coalesce(max(id), 0) + 1 from dossiers), false)`);
    summary.ms = Math.round(performance.now() - started);
    return summary;
  });
}
