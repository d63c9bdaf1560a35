/**
 * The centre's procedure catalogue (thủ tục hành chính), as its administrator keeps it: code,
 * name, field, level, legal basis, the documents asked for, the processing time, the fee, on the
 * spot or not, whether appraisal is a step of its own and who decides. A procedure is never
 * deleted (dossiers point at it): it stops being offered (`isActive`) and can be offered again.
 *
 * A change applies to dossiers opened after it: an open dossier keeps its due date (stored when
 * it was opened) and the documents it received (by key, with their names as they were). Keys of
 * documents are kept across edits, and a new document never takes a key the procedure used
 * before, so an old dossier's key never comes to mean another document.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "../../db/client";
import { approverRoleEnum, centreLevelEnum, documentFormEnum, dossiers, fields, procedures, type Procedure, type ProcedureDocument } from "../../db/schema";
import type { FormResult } from "../admin/users";
import { changed, recordAudit } from "../audit";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";

export const LIMITS = { name: 300, legalBasis: 1000, fee: 200, documentName: 300, documents: 30, count: 20, days: 365, hours: 40, onTheSpotHours: 8 } as const;
export const DOCUMENT_FORMS = documentFormEnum.enumValues;
export const APPROVER_ROLES = approverRoleEnum.enumValues;
export const PROCEDURE_LEVELS = centreLevelEnum.enumValues;

const tidy = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/** Required text: tidied, 1..max characters, no control characters. */
const text = (max: number, message: string) =>
  z
    .string({ error: message })
    .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters"), abort: true })
    .transform(tidy)
    .refine((s) => s.length > 0 && [...s].length <= max, { error: message });

const integer = (min: number, max: number, message: string) =>
  z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

const KEY = /^[a-z0-9_]{1,40}$/;

const documentSchema = z.object({
  /** Absent for a new document: made from its name. */
  key: z
    .string({ error: t("procedures.error.documentKey") })
    .trim()
    .regex(KEY, { error: t("procedures.error.documentKey") })
    .nullish()
    .or(z.literal("").transform(() => null)),
  name: text(LIMITS.documentName, t("procedures.error.documentName", { max: LIMITS.documentName })),
  form: z.enum(DOCUMENT_FORMS, { error: t("procedures.error.documentForm") }),
  count: integer(1, LIMITS.count, t("procedures.error.documentCount", { max: LIMITS.count })),
  mandatory: z.boolean({ error: t("procedures.error.documents", { max: LIMITS.documents }) }),
});

const optionalNumber = (schema: z.ZodType<number>) => z.preprocess((v) => (v === "" || v === undefined ? null : v), schema.nullable());

export const procedureSchema = z
  .object({
    fieldId: z.coerce.number({ error: t("procedures.error.field") }).int({ error: t("procedures.error.field") }).positive({ error: t("procedures.error.field") }).max(2_147_483_647, { error: t("procedures.error.field") }),
    code: z
      .string({ error: t("procedures.error.code") })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9._-]{0,39}$/, { error: t("procedures.error.code") }),
    name: text(LIMITS.name, t("procedures.error.name", { max: LIMITS.name })),
    level: z.enum(PROCEDURE_LEVELS, { error: t("procedures.error.level") }),
    legalBasis: text(LIMITS.legalBasis, t("procedures.error.legalBasis", { max: LIMITS.legalBasis })),
    documents: z
      .array(documentSchema, { error: t("procedures.error.documents", { max: LIMITS.documents }) })
      .min(1, { error: t("procedures.error.documents", { max: LIMITS.documents }) })
      .max(LIMITS.documents, { error: t("procedures.error.documents", { max: LIMITS.documents }) }),
    processingDays: optionalNumber(integer(0, LIMITS.days, t("procedures.error.days", { max: LIMITS.days }))).optional(),
    processingHours: optionalNumber(integer(1, LIMITS.hours, t("procedures.error.hours", { max: LIMITS.hours }))).optional(),
    fee: text(LIMITS.fee, t("procedures.error.fee", { max: LIMITS.fee })),
    onTheSpot: z.boolean({ error: t("procedures.error.onTheSpot", { max: LIMITS.onTheSpotHours }) }).default(false),
    needsAppraisal: z.boolean({ error: t("validation.text") }).default(true),
    approverRole: z.enum(APPROVER_ROLES, { error: t("procedures.error.approverRole") }).default("approver"),
  })
  .superRefine((p, ctx) => {
    const days = p.processingDays ?? null;
    const hours = p.processingHours ?? null;
    if ((days === null) === (hours === null)) ctx.addIssue({ code: "custom", path: ["processingDays"], message: t("procedures.error.time") });
    // On the spot: the result is handed over while the citizen waits, so within the day.
    else if (p.onTheSpot && !(days === 0 || (hours !== null && hours <= LIMITS.onTheSpotHours)))
      ctx.addIssue({ code: "custom", path: ["onTheSpot"], message: t("procedures.error.onTheSpot", { max: LIMITS.onTheSpotHours }) });
    const keys = new Map<string, number>();
    const names = new Map<string, number>();
    p.documents.forEach((d, i) => {
      if (d.key) {
        if (keys.has(d.key)) ctx.addIssue({ code: "custom", path: ["documents", i, "name"], message: t("procedures.error.documentKeyTaken", { key: d.key }) });
        keys.set(d.key, i);
      }
      const folded = d.name.toLocaleLowerCase("vi");
      if (names.has(folded)) ctx.addIssue({ code: "custom", path: ["documents", i, "name"], message: t("procedures.error.documentNameTaken", { name: d.name }) });
      names.set(folded, i);
    });
  });

export type ProcedureInput = z.input<typeof procedureSchema>;

/** Refusals per input, named as the page's form names them (`documents[2].name`). */
function refusals(error: z.ZodError) {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const name = issue.path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), "");
    (out[name || ""] ??= []).push(issue.message);
  }
  return { ok: false as const, fieldErrors: out };
}
const refuse = (key: string, message: string) => ({ ok: false as const, fieldErrors: { [key]: [message] } });

/** A document key from its name: «Giấy chứng sinh» → giay_chung_sinh. */
export function keyFromName(name: string): string {
  const plain = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return (plain.slice(0, 32).replace(/_+$/, "") || "giay_to");
}

/** The keys the procedure's dossiers have ever received: never given to another document. */
async function keysInUse(tx: Transaction, procedureId: number): Promise<Set<string>> {
  const [row] = await tx
    .select({
      keys: sql<string[] | string>`coalesce((select jsonb_agg(distinct e.elem->>'key') from ${dossiers} d, jsonb_array_elements(d.documents) as e(elem) where d.procedure_id = ${procedureId}), '[]'::jsonb)`,
    })
    .from(procedures)
    .where(eq(procedures.id, procedureId));
  const keys = typeof row?.keys === "string" ? (JSON.parse(row.keys) as string[]) : (row?.keys ?? []);
  return new Set(keys);
}

/**
 * The documents with their keys: a key sent is kept (the same document, edited); a new document
 * gets one made from its name, unlike any other in the list, any the procedure had, and any its
 * dossiers received.
 */
function withKeys(documents: z.output<typeof procedureSchema>["documents"], taken: Set<string>): ProcedureDocument[] {
  const used = new Set([...taken, ...documents.flatMap((d) => (d.key ? [d.key] : []))]);
  return documents.map((d) => {
    let key = d.key ?? null;
    if (!key) {
      const base = keyFromName(d.name);
      key = base;
      for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
      used.add(key);
    }
    return { key, name: d.name, form: d.form, count: d.count, mandatory: d.mandatory };
  });
}

// Two administrators saving the same code at once must not both pass the check.
const CATALOGUE_LOCK = 0x5450; // "TP"

/** What a procedure's row holds of the input (processing time: days or hours, the other null). */
function columns(data: z.output<typeof procedureSchema>, documents: ProcedureDocument[]) {
  return {
    fieldId: data.fieldId,
    code: data.code,
    name: data.name,
    level: data.level,
    legalBasis: data.legalBasis,
    documents,
    processingDays: data.processingHours != null ? null : (data.processingDays ?? null),
    processingHours: data.processingHours ?? null,
    fee: data.fee,
    onTheSpot: data.onTheSpot,
    needsAppraisal: data.needsAppraisal,
    approverRole: data.approverRole,
  };
}

/** The centre's procedures, offered or not, with their field's name, for its administrator. */
export async function listCatalogue(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  return deps.db
    .select({ procedure: procedures, fieldName: fields.name, fieldCode: fields.code })
    .from(procedures)
    .innerJoin(fields, eq(fields.id, procedures.fieldId))
    .where(eq(procedures.centreId, centreId))
    .orderBy(asc(fields.sortOrder), asc(procedures.sortOrder), asc(procedures.id))
    .then((rows) => rows.map((r) => ({ ...r.procedure, fieldName: r.fieldName, fieldCode: r.fieldCode })));
}

/** Creates a procedure (`id` absent) or changes one of the actor's centre. */
export async function saveProcedure(deps: ServiceDeps, actor: Actor, input: { id?: number } & ProcedureInput): Promise<FormResult<Procedure>> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const parsed = procedureSchema.safeParse(input);
  if (!parsed.success) return refusals(parsed.error);
  const data = parsed.data;
  return inTransaction(deps, async (tx): Promise<FormResult<Procedure>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CATALOGUE_LOCK}, ${centreId})`);
    const [field] = await tx.select({ id: fields.id }).from(fields).where(and(eq(fields.id, data.fieldId), eq(fields.centreId, centreId)));
    if (!field) return refuse("fieldId", t("procedures.error.field"));
    const [clash] = await tx.select().from(procedures).where(and(eq(procedures.centreId, centreId), eq(procedures.code, data.code)));
    if (clash && clash.id !== input.id) return refuse("code", t("procedures.error.codeTaken", { code: data.code, name: clash.name }));

    if (input.id === undefined) {
      const documents = withKeys(data.documents, new Set());
      const [{ next }] = (await tx
        .select({ next: sql<number>`coalesce(max(${procedures.sortOrder}), 0) + 1` })
        .from(procedures)
        .where(eq(procedures.centreId, centreId))) as [{ next: number }];
      const values = columns(data, documents);
      const [row] = (await tx.insert(procedures).values({ ...values, centreId, sortOrder: Number(next) }).returning()) as [Procedure];
      await recordAudit(tx, { actor, centreId, action: "procedure.created", target: { type: "procedure", id: row.id }, after: values });
      return { ok: true, value: row };
    }

    const [before] = await tx
      .select()
      .from(procedures)
      .where(and(eq(procedures.id, input.id), eq(procedures.centreId, centreId)))
      .for("update");
    if (!before) throw new AppError("procedure_not_found");
    const taken = new Set([...before.documents.map((d) => d.key), ...(await keysInUse(tx, before.id))]);
    const documents = withKeys(data.documents, taken);
    const values = columns(data, documents);
    const [row] = (await tx.update(procedures).set(values).where(eq(procedures.id, before.id)).returning()) as [Procedure];
    const diff = changed(before as unknown as Record<string, unknown>, values);
    if (Object.keys(diff.after).length) {
      await recordAudit(tx, { actor, centreId, action: "procedure.updated", target: { type: "procedure", id: before.id }, ...diff });
    }
    return { ok: true, value: row };
  });
}

/** Stops offering a procedure for new dossiers, or offers it again; its dossiers are untouched. */
export async function setProcedureActive(deps: ServiceDeps, actor: Actor, input: { procedureId: number; active: boolean }): Promise<Procedure> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  return inTransaction(deps, async (tx) => {
    const [before] = await tx
      .select()
      .from(procedures)
      .where(and(eq(procedures.id, input.procedureId), eq(procedures.centreId, centreId)))
      .for("update");
    if (!before) throw new AppError("procedure_not_found");
    if (before.isActive === input.active) return before;
    const [row] = (await tx.update(procedures).set({ isActive: input.active }).where(eq(procedures.id, before.id)).returning()) as [Procedure];
    await recordAudit(tx, {
      actor,
      centreId,
      action: input.active ? "procedure.activated" : "procedure.deactivated",
      target: { type: "procedure", id: before.id },
      before: { code: before.code, isActive: before.isActive },
      after: { code: before.code, isActive: input.active },
    });
    return row;
  });
}
