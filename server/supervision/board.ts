/**
 * What the supervisor's board shows beside the live queue: each counter's day (served, mean
 * service time, since when in its state), each field's longest wait and today's appointments
 * (booked, checked in, no-shows: server/appointments/register.ts), the devices and whether
 * they are heard from, the notice on the screens, and the alerts computed from all of it.
 */
import { and, asc, eq, isNotNull, isNull, min, notInArray, or, sql } from "drizzle-orm";
import { centres, counterFields, counters, devices, dossiers, fields, tickets } from "../../db/schema";
import { appointmentCounts } from "../appointments/register";
import { calendarFor } from "../calendar/calendars";
import { addDays, workingDaysLeft } from "../calendar/working-days";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate, serviceDayStart } from "../time";
import { deviceHealth } from "../devices/health";
import { describeModes } from "../devices/modes";
import { computeAlerts, DOSSIER_DUE_SOON_DAYS, type Alert, type AlertThresholds } from "./alerts";

export type BoardFigures = Awaited<ReturnType<typeof supervisionBoard>>;

export async function supervisionBoard(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor) {
  authorize(actor, "board.watch");
  const centreId = centreOf(actor);
  const now = clock(deps);
  const day = serviceDate(now);
  const db = deps.db;

  const [centre] = await db.select().from(centres).where(eq(centres.id, centreId));
  if (!centre) throw new AppError("not_found");
  const thresholds: AlertThresholds = {
    waitMinutes: centre.alertWaitMinutes,
    pausedMinutes: centre.alertPausedMinutes,
    idleMinutes: centre.alertIdleMinutes,
    deviceOfflineMinutes: centre.alertDeviceOfflineMinutes,
  };

  const today = and(eq(tickets.centreId, centreId), eq(tickets.serviceDate, day));
  const [fieldRows, waitingRows, counterRows, links, servedRows, activeRows, targetedRows, deviceRows] = await Promise.all([
    db.select().from(fields).where(eq(fields.centreId, centreId)).orderBy(asc(fields.sortOrder), asc(fields.id)),
    db
      .select({ fieldId: tickets.fieldId, n: sql<number>`count(*)::int`, oldest: min(tickets.issuedAt) })
      .from(tickets)
      .where(and(today, eq(tickets.status, "waiting")))
      .groupBy(tickets.fieldId),
    db
      .select()
      .from(counters)
      .where(and(eq(counters.centreId, centreId), eq(counters.isActive, true)))
      .orderBy(asc(counters.number)),
    db.select({ counterId: counterFields.counterId, fieldId: counterFields.fieldId }).from(counterFields).innerJoin(counters, eq(counters.id, counterFields.counterId)).where(eq(counters.centreId, centreId)),
    db
      .select({
        counterId: tickets.counterId,
        served: sql<number>`count(*) filter (where ${tickets.status} = 'done')::int`,
        meanSeconds: sql<number | null>`avg(extract(epoch from ${tickets.finishedAt} - ${tickets.calledAt})) filter (where ${tickets.status} = 'done')::float8`,
        lastActivity: sql<string | null>`max(coalesce(${tickets.finishedAt}, ${tickets.noShowAt}))`,
      })
      .from(tickets)
      .where(and(today, isNotNull(tickets.counterId)))
      .groupBy(tickets.counterId),
    db.select({ counterId: tickets.counterId }).from(tickets).where(and(today, eq(tickets.status, "called"))),
    db
      .select({ counterId: tickets.targetCounterId, officerId: tickets.targetOfficerId })
      .from(tickets)
      .where(and(today, eq(tickets.status, "waiting"), or(isNotNull(tickets.targetCounterId), isNotNull(tickets.targetOfficerId)))),
    db
      .select({ id: devices.id, name: devices.name, kind: devices.kind, lastSeenAt: devices.lastSeenAt, connectedAt: devices.connectedAt, reportedModes: devices.reportedModes })
      .from(devices)
      .where(and(eq(devices.centreId, centreId), isNull(devices.revokedAt), isNotNull(devices.tokenHash)))
      .orderBy(asc(devices.kind), asc(devices.name)),
  ]);

  const waiting = new Map(waitingRows.map((w) => [w.fieldId, { n: w.n, oldest: w.oldest ? new Date(w.oldest) : null }]));
  const fieldsOf = (counterId: number) => links.filter((l) => l.counterId === counterId).map((l) => l.fieldId);
  const busy = new Set(activeRows.map((r) => r.counterId));
  const staffedOpen = counterRows.filter((c) => c.officerId !== null && c.status === "open");

  const fieldFigures = fieldRows.map((f) => ({
    id: f.id,
    name: f.name,
    isOpen: f.isOpen,
    waiting: waiting.get(f.id)?.n ?? 0,
    oldestWaitingSince: waiting.get(f.id)?.oldest ?? null,
    openCounters: staffedOpen.filter((c) => fieldsOf(c.id).includes(f.id)).length,
  }));
  const counterFigures = counterRows.map((c) => {
    const served = servedRows.find((s) => s.counterId === c.id);
    return {
      id: c.id,
      number: c.number,
      status: c.status,
      staffed: c.officerId !== null,
      serving: busy.has(c.id),
      statusSince: c.statusSince,
      servedToday: served?.served ?? 0,
      meanServiceSeconds: served?.meanSeconds === null || served?.meanSeconds === undefined ? null : Math.round(served.meanSeconds),
      lastActivityAt: served?.lastActivity ? new Date(served.lastActivity) : null,
      peopleWaiting:
        fieldsOf(c.id).some((id) => (waiting.get(id)?.n ?? 0) > 0) ||
        targetedRows.some((t) => t.counterId === c.id || (c.officerId !== null && t.officerId === c.officerId)),
    };
  });
  // Open dossiers near or past their due date (the calendar says how many working days are left).
  const openDossiers = await db
    // An approved apology's new appointment is the date the centre now works to.
    .select({ id: dossiers.id, code: dossiers.code, dueDay: sql<string>`coalesce(${dossiers.extendedDueDay}, ${dossiers.dueDay})::text`, dueAt: sql<Date>`coalesce(${dossiers.extendedDueAt}, ${dossiers.dueAt})`.mapWith((v: string | Date) => new Date(v)) })
    .from(dossiers)
    .where(and(eq(dossiers.centreId, centreId), notInArray(dossiers.state, ["returned", "stopped"])));
  const calendar = await calendarFor(db, centreId);
  const dossierFigures = openDossiers.flatMap((d) => {
    const left = workingDaysLeft(day, d.dueDay, calendar);
    if (left > DOSSIER_DUE_SOON_DAYS) return [];
    // Late: since its due time. Due soon: since the first working day it was within the window.
    let since = day;
    while (workingDaysLeft(addDays(since, -1), d.dueDay, calendar) <= DOSSIER_DUE_SOON_DAYS && addDays(since, -1) >= addDays(day, -14)) since = addDays(since, -1);
    return [{ id: d.id, code: d.code, workingDaysLeft: left, since: left < 0 ? d.dueAt : serviceDayStart(since) }];
  });
  const appointmentsToday = await appointmentCounts(db, centreId, day);
  const alerts: Alert[] = computeAlerts({ fields: fieldFigures, counters: counterFigures, devices: deviceRows, dossiers: dossierFigures }, thresholds, now);

  return {
    at: now.toISOString(),
    thresholds,
    notice: centre.notice && (!centre.noticeUntil || centre.noticeUntil > now) ? { text: centre.notice, until: centre.noticeUntil?.toISOString() ?? null } : null,
    fields: fieldFigures.map((f) => ({
      id: f.id,
      oldestWaitingSince: f.oldestWaitingSince?.toISOString() ?? null,
      openCounters: f.openCounters,
      appointments: appointmentsToday.get(f.id) ?? null,
    })),
    counters: counterFigures.map((c) => ({
      id: c.id,
      servedToday: c.servedToday,
      meanServiceSeconds: c.meanServiceSeconds,
      statusSince: c.statusSince?.toISOString() ?? null,
    })),
    // Every kind, those gone first (longest gone at the top), each with since when and its modes.
    devices: deviceRows
      .map((d) => {
        const health = deviceHealth(d, now);
        return {
          id: d.id,
          name: d.name,
          kind: d.kind,
          lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
          online: health.online,
          since: health.since?.toISOString() ?? null,
          modes: describeModes(d.reportedModes).lines,
        };
      })
      .sort((a, b) => Number(a.online) - Number(b.online) || (a.online ? 0 : (a.since ?? "").localeCompare(b.since ?? ""))),
    alerts: alerts.map((a) => ({ ...a, since: a.since.toISOString() })),
  };
}
