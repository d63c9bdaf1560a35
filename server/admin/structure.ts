/**
 * A centre's shape, as its administrator sets it up: fields (lĩnh vực) with their ticket prefix
 * and display order, and counters with the fields each serves. Each change is one transaction
 * with its audit row and the event the screens need (a settings reload, or the counter's new
 * state); a counter's new fields apply from its next call, since call-next reads them then.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "../../db/client";
import { counterFields, counters, fields, tickets, type Counter, type Field } from "../../db/schema";
import { changed, recordAudit } from "../audit";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { counterSummary } from "../queue/internal";
import { announceSettingsChanged, bumpSeq } from "../queue/event-log";
import { serviceDate } from "../time";
import type { FormResult } from "./users";

const tidy = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

const name = (max: number) =>
  z
    .string({ error: t("admin.structure.error.name") })
    .transform(tidy)
    .refine((s) => s.length > 0, { error: t("admin.structure.error.name") })
    .refine((s) => [...s].length <= max, { error: t("admin.structure.error.nameTooLong", { max }) })
    .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") });

const sortOrder = z.coerce
  .number({ error: t("admin.structure.error.sortOrder") })
  .int({ error: t("admin.structure.error.sortOrder") })
  .min(0, { error: t("admin.structure.error.sortOrder") })
  .max(999, { error: t("admin.structure.error.sortOrder") });

const whole = (min: number, max: number, key: "admin.field.error.slotMinutes" | "admin.field.error.slotCapacity" | "admin.field.error.walkInPercent") =>
  z.coerce.number({ error: t(key) }).int({ error: t(key) }).min(min, { error: t(key) }).max(max, { error: t(key) });

export const fieldSchema = z.object({
  name: name(120),
  /** Short code for reports and the API: capitals and digits. */
  code: z
    .string({ error: t("admin.field.error.code") })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{1,12}$/, { error: t("admin.field.error.code") }),
  /** The letter(s) before the number on the ticket: «A» gives A001. */
  prefix: z
    .string({ error: t("admin.field.error.prefix") })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,2}$/, { error: t("admin.field.error.prefix") }),
  sortOrder,
  isOpen: z.boolean({ error: t("admin.field.error.isOpen") }),
  // Appointments (server/appointments/slots.ts); left out, they stay as they are.
  appointmentSlotMinutes: whole(5, 240, "admin.field.error.slotMinutes").optional(),
  appointmentSlotCapacity: whole(0, 50, "admin.field.error.slotCapacity").optional(),
  walkInPercent: whole(0, 100, "admin.field.error.walkInPercent").optional(),
});

export const counterSchema = z.object({
  number: z.coerce
    .number({ error: t("admin.counter.error.number") })
    .int({ error: t("admin.counter.error.number") })
    .min(1, { error: t("admin.counter.error.number") })
    .max(999, { error: t("admin.counter.error.number") }),
  name: name(80),
  fieldIds: z.array(z.number().int().positive().max(2_147_483_647), { error: t("admin.counter.error.fields") }),
  isActive: z.boolean({ error: t("admin.counter.error.isActive") }),
});

export type FieldInput = z.input<typeof fieldSchema>;
export type CounterInput = z.input<typeof counterSchema>;

const flat = (error: z.ZodError) => ({ ok: false as const, fieldErrors: z.flattenError(error).fieldErrors as Record<string, string[]> });
const refuse = (key: string, message: string) => ({ ok: false as const, fieldErrors: { [key]: [message] } });

// Two administrators saving the same prefix or number at once must not both pass the check.
const STRUCTURE_LOCK = 0x5354; // "ST"

/** The centre's counters with the fields each serves, inactive ones included, for the administrator. */
export async function listCounters(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const rows = await deps.db.select().from(counters).where(eq(counters.centreId, centreId)).orderBy(asc(counters.number));
  const links = rows.length
    ? await deps.db.select().from(counterFields).where(inArray(counterFields.counterId, rows.map((c) => c.id)))
    : [];
  return rows.map((c) => ({ ...c, fieldIds: links.filter((l) => l.counterId === c.id).map((l) => l.fieldId) }));
}

/** A prefix another field used on a ticket today would give a second ticket the same code. */
async function prefixUsedToday(tx: Transaction, centreId: number, prefix: string, fieldId: number | null, now: Date) {
  const [row] = await tx
    .select({ code: tickets.code })
    .from(tickets)
    .where(
      and(
        eq(tickets.centreId, centreId),
        eq(tickets.serviceDate, serviceDate(now)),
        sql`${tickets.code} ~ ${`^${prefix}[0-9]+$`}`,
        fieldId === null ? undefined : ne(tickets.fieldId, fieldId),
      ),
    )
    .limit(1);
  return row?.code ?? null;
}

/** Creates a field (`id` absent) or changes one; prefix and code are unique in the centre. */
export async function saveField(deps: ServiceDeps, actor: Actor, input: { id?: number } & FieldInput): Promise<FormResult<Field>> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const parsed = fieldSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  // A setting not sent is not changed (nor written in the audit row as if it were).
  const data = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as typeof parsed.data;
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox): Promise<FormResult<Field>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${STRUCTURE_LOCK}, ${centreId})`);
    const existing = await tx.select().from(fields).where(eq(fields.centreId, centreId));
    const before = input.id === undefined ? undefined : existing.find((f) => f.id === input.id);
    if (input.id !== undefined && !before) throw new AppError("field_not_found");
    const others = existing.filter((f) => f.id !== input.id);
    const prefixClash = others.find((f) => f.prefix === data.prefix);
    if (prefixClash) return refuse("prefix", t("admin.field.error.prefixTaken", { prefix: data.prefix, name: prefixClash.name }));
    const codeClash = others.find((f) => f.code === data.code);
    if (codeClash) return refuse("code", t("admin.field.error.codeTaken", { code: data.code, name: codeClash.name }));
    if (!before || before.prefix !== data.prefix) {
      const used = await prefixUsedToday(tx, centreId, data.prefix, before?.id ?? null, now);
      if (used) return refuse("prefix", t("admin.field.error.prefixUsedToday", { prefix: data.prefix, code: used }));
    }
    let row: Field;
    if (before) {
      [row] = (await tx.update(fields).set(data).where(eq(fields.id, before.id)).returning()) as [Field];
      await recordAudit(tx, { actor, centreId, action: "field.updated", target: { type: "field", id: before.id }, ...changed(before, data) });
    } else {
      [row] = (await tx.insert(fields).values({ ...data, centreId }).returning()) as [Field];
      await recordAudit(tx, { actor, centreId, action: "field.created", target: { type: "field", id: row.id }, after: data });
    }
    await announceSettingsChanged(tx, outbox, centreId, now);
    return { ok: true, value: row };
  });
}

async function fieldsOfCentre(tx: Transaction, centreId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await tx.select({ id: fields.id }).from(fields).where(and(eq(fields.centreId, centreId), inArray(fields.id, ids)));
  if (rows.length !== new Set(ids).size) throw new AppError("field_not_found");
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Replaces the fields a counter serves (its next call reads them); the counter's screens hear at once. */
export async function writeCounterFields(tx: Transaction, outbox: Outbox, counter: Counter, fieldIds: number[], now: Date) {
  await tx.delete(counterFields).where(eq(counterFields.counterId, counter.id));
  if (fieldIds.length) await tx.insert(counterFields).values(fieldIds.map((fieldId) => ({ counterId: counter.id, fieldId })));
  const summary = await counterSummary(tx, counter.id);
  const seq = await bumpSeq(tx, counter.centreId);
  outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
  return summary;
}

export async function fieldIdsOf(tx: Transaction, counterId: number) {
  const rows = await tx.select({ fieldId: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, counterId));
  return rows.map((r) => r.fieldId).sort((a, b) => a - b);
}

/**
 * Creates a counter (`id` absent) or changes one: number (unique in the centre), name, the
 * fields it serves, in service or not. A counter with an officer at it stays in service: they
 * are signed out first (by themselves or a supervisor).
 */
export async function saveCounter(deps: ServiceDeps, actor: Actor, input: { id?: number } & CounterInput): Promise<FormResult<Counter & { fieldIds: number[] }>> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const parsed = counterSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const data = parsed.data;
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${STRUCTURE_LOCK}, ${centreId})`);
    const fieldIds = await fieldsOfCentre(tx, centreId, data.fieldIds);
    const [clash] = await tx
      .select()
      .from(counters)
      .where(and(eq(counters.centreId, centreId), eq(counters.number, data.number), input.id === undefined ? undefined : ne(counters.id, input.id)));
    if (clash) return refuse("number", t("admin.counter.error.numberTaken", { n: data.number }));
    let row: Counter;
    if (input.id !== undefined) {
      const [before] = await tx
        .select()
        .from(counters)
        .where(and(eq(counters.id, input.id), eq(counters.centreId, centreId)))
        .for("update");
      if (!before) throw new AppError("counter_not_found");
      if (!data.isActive && before.officerId !== null) return refuse("isActive", t("admin.counter.error.inUse", { n: before.number }));
      const beforeFields = await fieldIdsOf(tx, before.id);
      [row] = (await tx
        .update(counters)
        .set({ number: data.number, name: data.name, isActive: data.isActive })
        .where(eq(counters.id, before.id))
        .returning()) as [Counter];
      await writeCounterFields(tx, outbox, row, fieldIds, now);
      await recordAudit(tx, {
        actor,
        centreId,
        action: "counter.updated",
        target: { type: "counter", id: before.id },
        ...changed({ number: before.number, name: before.name, isActive: before.isActive, fieldIds: beforeFields }, { ...data, fieldIds }),
      });
    } else {
      [row] = (await tx.insert(counters).values({ centreId, number: data.number, name: data.name, isActive: data.isActive }).returning()) as [Counter];
      await writeCounterFields(tx, outbox, row, fieldIds, now);
      await recordAudit(tx, { actor, centreId, action: "counter.created", target: { type: "counter", id: row.id }, after: { ...data, fieldIds } });
    }
    await announceSettingsChanged(tx, outbox, centreId, now);
    return { ok: true as const, value: { ...row, fieldIds } };
  });
}
