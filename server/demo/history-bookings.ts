/**
 * A demo day's appointments (server/demo/history.ts): booked slots of the fields that take them,
 * checked in (a ticket, made by the day's `newSim`), missed, or cancelled.
 */
import { CODE_ALPHABET, CODE_LENGTH } from "../appointments/slots";
import type { Value } from "./bulk-insert";
import { AFTERNOON_FROM, MINUTE, MORNING_FROM, at, hm, iso } from "./history-data";
import type { ProcedureInfo } from "./history-dossiers";
import type { FieldInfo, Sim } from "./history-visit";
import type { prng } from "./random";

export function dayBookings(
  day: string,
  ctx: {
    rng: ReturnType<typeof prng>;
    centreId: number;
    fieldInfo: ReadonlyMap<number, FieldInfo>;
    served: ReadonlySet<number>;
    proceduresOf: ReadonlyMap<number, ProcedureInfo[]>;
    newSim(fieldId: number, issuedAt: number, channel: Sim["channel"], priority: number, classId: number | null): Sim;
  },
): Array<{ row: Value[]; ticket: Sim | null }> {
  const { rng, centreId, fieldInfo, served, proceduresOf, newSim } = ctx;
  const bookingCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[rng.int(0, CODE_ALPHABET.length - 1)]).join("");
  const bookings: Array<{ row: Value[]; ticket: Sim | null }> = [];
  for (const f of fieldInfo.values()) {
    if (f.slotCapacity <= 0 || !served.has(f.id)) continue;
    const fieldProcedures = proceduresOf.get(f.id) ?? [];
    for (let slot = MORNING_FROM; slot + f.slotMinutes <= hm("16:30"); slot += f.slotMinutes) {
      if (slot >= hm("11:30") && slot < AFTERNOON_FROM) continue;
      for (let k = 0; k < f.slotCapacity; k++) {
        if (!rng.chance(0.3)) continue;
        const status = rng.weighted([["checked_in", 80], ["no_show", 12], ["cancelled", 8]] as const);
        const slotStart = `${String(Math.floor(slot / 60)).padStart(2, "0")}:${String(slot % 60).padStart(2, "0")}`;
        const createdAt = at(day, slot) - rng.between(1, 7) * 24 * 60 * MINUTE;
        const ticket = status === "checked_in" ? newSim(f.id, at(day, slot - rng.between(0, 12)), "appointment", 1, null) : null;
        bookings.push({
          ticket,
          row: [
            centreId, f.id, fieldProcedures.length && rng.chance(0.5) ? rng.pick(fieldProcedures).id : null, day, slotStart, bookingCode(), `09${String(rng.int(10_000_000, 99_999_999))}`,
            status, null, null, status === "cancelled" ? iso(createdAt + rng.between(1, 20) * 60 * MINUTE) : null, iso(createdAt),
          ],
        });
      }
    }
  }
  return bookings;
}
