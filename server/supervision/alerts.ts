/**
 * The supervisor's alerts: what needs a person's attention now, each with the moment its cause
 * began. An alert is computed from the state and the clock, never stored, so it clears itself
 * the moment its cause ends (the ticket is called, the counter reopens, the screen comes back).
 */
import type { DeviceKind } from "../../db/schema";

export type AlertThresholds = {
  /** A field's oldest waiting ticket has waited longer than this. */
  waitMinutes: number;
  /** A counter has been paused longer than this. */
  pausedMinutes: number;
  /** An open counter has called nobody for this long while its fields have people waiting. */
  idleMinutes: number;
  /** A paired kiosk, screen or rating tablet has not been heard from for this long. */
  deviceOfflineMinutes: number;
};

export type AlertInput = {
  fields: Array<{ id: number; name: string; isOpen: boolean; waiting: number; oldestWaitingSince: Date | null; openCounters: number }>;
  counters: Array<{
    id: number;
    number: number;
    status: "open" | "paused" | "closed";
    staffed: boolean;
    serving: boolean;
    statusSince: Date | null;
    /** The last time it finished or gave up on a ticket (today). */
    lastActivityAt: Date | null;
    /** People wait in a field it serves (or were sent to it). */
    peopleWaiting: boolean;
  }>;
  devices: Array<{ id: number; name: string; kind: DeviceKind; lastSeenAt: Date | null }>;
  /** Open dossiers near or past their due date: working days left (negative: late), and since when that holds. */
  dossiers?: Array<{ id: number; code: string; workingDaysLeft: number; since: Date }>;
};

/** A dossier this many working days or fewer from its due date is flagged. */
export const DOSSIER_DUE_SOON_DAYS = 2;

export type AlertKind = "long_wait" | "unserved_field" | "counter_paused" | "counter_idle" | "device_offline" | "dossier_due" | "dossier_late";

export type Alert = {
  /** Stable while the cause lasts: the board keeps an alert's place by it. */
  key: string;
  kind: AlertKind;
  /** When the cause began. */
  since: Date;
  /** What it is about: a field's name, a counter's number, a device's name. */
  subject: string;
  /** How long it has lasted, in whole minutes. */
  minutes: number;
  /** Red (act now) or amber (keep an eye on it). */
  severity: "high" | "medium";
};

const MINUTE = 60_000;
const minutesSince = (since: Date, now: Date) => Math.floor((now.getTime() - since.getTime()) / MINUTE);
const longerThan = (since: Date | null, minutes: number, now: Date): since is Date => since !== null && now.getTime() - since.getTime() > minutes * MINUTE;

export function computeAlerts(input: AlertInput, thresholds: AlertThresholds, now: Date): Alert[] {
  const alerts: Alert[] = [];
  const add = (kind: AlertKind, id: number, subject: string, since: Date, severity: Alert["severity"]) =>
    alerts.push({ key: `${kind}:${id}`, kind, since, subject, minutes: Math.max(0, minutesSince(since, now)), severity });

  for (const field of input.fields) {
    if (field.waiting === 0 || !field.oldestWaitingSince) continue;
    // Nobody can call them: at once, whatever the threshold.
    if (field.isOpen && field.openCounters === 0) add("unserved_field", field.id, field.name, field.oldestWaitingSince, "high");
    if (longerThan(field.oldestWaitingSince, thresholds.waitMinutes, now)) add("long_wait", field.id, field.name, field.oldestWaitingSince, "high");
  }
  for (const counter of input.counters) {
    if (!counter.staffed) continue;
    if (counter.status === "paused" && longerThan(counter.statusSince, thresholds.pausedMinutes, now)) {
      add("counter_paused", counter.id, String(counter.number), counter.statusSince, "medium");
    }
    if (counter.status === "open" && !counter.serving && counter.peopleWaiting) {
      const idleSince = latest(counter.statusSince, counter.lastActivityAt);
      if (longerThan(idleSince, thresholds.idleMinutes, now)) add("counter_idle", counter.id, String(counter.number), idleSince, "medium");
    }
  }
  for (const device of input.devices) {
    if (device.lastSeenAt === null || longerThan(device.lastSeenAt, thresholds.deviceOfflineMinutes, now)) {
      add("device_offline", device.id, device.name, device.lastSeenAt ?? now, device.kind === "kiosk" ? "high" : "medium");
    }
  }
  for (const dossier of input.dossiers ?? []) {
    if (dossier.workingDaysLeft < 0) add("dossier_late", dossier.id, dossier.code, dossier.since, "high");
    else if (dossier.workingDaysLeft <= DOSSIER_DUE_SOON_DAYS) add("dossier_due", dossier.id, dossier.code, dossier.since, "medium");
  }
  const rank = (a: Alert) => (a.severity === "high" ? 0 : 1);
  return alerts.sort((a, b) => rank(a) - rank(b) || a.since.getTime() - b.since.getTime());
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
