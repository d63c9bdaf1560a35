/**
 * The printed forms of a dossier. The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả): its
 * content, read once for the A4 page and the PDF, and the PDF itself — pdf-lib with Be Vietnam Pro embedded (a whole TTF: the
 * Vietnamese marks need the font's full coverage), and a QR code of the citizen's lookup.
 */
import { and, asc, eq } from "drizzle-orm";
import { centres, dossiers, dossierSteps, procedures, users } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";
import { formatDateTime, serviceDate } from "../time";
import type { PrintedForm } from "./forms";
import { formFor } from "./legal-forms";
import { a4Document } from "./pdf";
import { spelledTime } from "./receipt-text";
import { actionLabel, stateLabel, type DossierAction } from "./workflow";

const FORM_LABEL = { original: "Bản chính", certified_copy: "Bản sao chứng thực", copy: "Bản chụp" } as const;

export type ReceiptData = Awaited<ReturnType<typeof receiptData>>;

/** What the receipt of a dossier of the actor's centre says. */
export async function receiptData(deps: Pick<ServiceDeps, "db">, actor: Actor, input: { code: string; publicUrl: string }) {
  authorize(actor, "dossier.work");
  const [row] = await deps.db
    .select({ dossier: dossiers, procedure: procedures, centre: centres, receiver: users.fullName })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(centres, eq(centres.id, dossiers.centreId))
    .leftJoin(users, eq(users.id, dossiers.receivedBy))
    .where(and(eq(dossiers.code, input.code.toUpperCase()), eq(dossiers.centreId, centreOf(actor))));
  if (!row) throw new AppError("dossier_not_found");
  const { dossier, procedure, centre } = row;
  const lookupUrl = lookupUrlOf(dossier.code, input.publicUrl);
  const form = formFor("receipt", serviceDate(dossier.receivedAt));
  return {
    form: { number: form.number, title: form.title, basis: form.set.basis },
    centre: { name: centre.name, address: centre.address },
    dossier: {
      code: dossier.code,
      applicantName: dossier.applicantName,
      applicantIdNumber: dossier.applicantIdNumber,
      applicantPhone: dossier.applicantPhone,
      applicantAddress: dossier.applicantAddress,
      receivedAt: dossier.receivedAt.toISOString(),
      dueAt: dossier.dueAt.toISOString(),
      // As received: the copy the dossier keeps of each document (the catalogue may have changed
      // since); a dossier opened before it kept copies falls back to the procedure's list.
      documents: dossier.documents.flatMap((r) => {
        const d = r.name && r.form ? { name: r.name, form: r.form } : procedure.documents.find((p) => p.key === r.key);
        return r.received && d ? [{ key: r.key, name: d.name, form: FORM_LABEL[d.form], count: r.count }] : [];
      }),
    },
    procedure: {
      name: procedure.name,
      legalBasis: procedure.legalBasis,
      fee: procedure.fee,
      time:
        procedure.processingHours !== null
          ? t("dossier.processing.hours", { n: procedure.processingHours })
          : procedure.processingDays
            ? t("dossier.processing.days", { n: procedure.processingDays })
            : t("dossier.processing.sameDay"),
    },
    receiver: row.receiver ?? "",
    lookupUrl,
  };
}

/**
 * The control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ) of a dossier of the actor's
 * centre: every step, who took it, when, and whether before the due time.
 */
export type ControlSlipData = Awaited<ReturnType<typeof controlSlipData>>;

export async function controlSlipData(deps: Pick<ServiceDeps, "db">, actor: Actor, input: { code: string; publicUrl: string }) {
  authorize(actor, "dossier.work");
  const [row] = await deps.db
    .select({ dossier: dossiers, procedure: procedures.name, legalBasis: procedures.legalBasis, centre: centres.name })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(centres, eq(centres.id, dossiers.centreId))
    .where(and(eq(dossiers.code, input.code.toUpperCase()), eq(dossiers.centreId, centreOf(actor))));
  if (!row) throw new AppError("dossier_not_found");
  const steps = await deps.db
    .select({ action: dossierSteps.action, toState: dossierSteps.toState, at: dossierSteps.createdAt, reason: dossierSteps.reason, actor: users.fullName, role: users.role })
    .from(dossierSteps)
    .leftJoin(users, eq(users.id, dossierSteps.actorUserId))
    .where(eq(dossierSteps.dossierId, row.dossier.id))
    .orderBy(asc(dossierSteps.id));
  const due = row.dossier.dueAt.getTime();
  const form = formFor("control", serviceDate(row.dossier.receivedAt));
  return {
    form: { number: form.number, title: form.title, basis: form.set.basis },
    lookupUrl: lookupUrlOf(row.dossier.code, input.publicUrl),
    legalBasis: row.legalBasis,
    centre: row.centre,
    dossier: {
      code: row.dossier.code,
      applicantName: row.dossier.applicantName,
      dueAt: row.dossier.dueAt.toISOString(),
      extendedDueAt: row.dossier.extendedDueAt?.toISOString() ?? null,
      receivedAt: row.dossier.receivedAt.toISOString(),
    },
    procedure: row.procedure,
    steps: steps.map((s) => ({
      step: s.action === "receive" ? t("control.receive") : s.action === "extend" ? t("control.extend") : actionLabel(s.action as DossierAction),
      state: stateLabel(s.toState),
      actor: s.actor ?? t("admin.audit.system"),
      role: s.role,
      at: s.at.toISOString(),
      onTime: s.at.getTime() <= due,
      reason: s.reason,
    })),
  };
}

/** The citizen's lookup of a dossier, printed on every form and in its QR code. */
export const lookupUrlOf = (code: string, base: string) => new URL(lookupPathOf(code), base).toString();

/** The same, on this site (a link from the ticket's tracking page). */
export const lookupPathOf = (code: string) => `/tra-cuu?ma=${encodeURIComponent(code)}`;

/**
 * The address printed for citizens (the QR of the lookup): PUBLIC_URL when it names a real host,
 * else the address the staff member reached the server at (a LAN address a phone in the hall
 * can reach), never "localhost".
 */
export function printedBase(publicUrl: string, requestUrl: string): string {
  if (publicUrl && !/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(publicUrl)) return publicUrl;
  return new URL(requestUrl).origin;
}

/** The receipt as an A4 PDF. */
export async function receiptPdf(data: ReceiptData): Promise<Uint8Array> {
  const doc = await a4Document(`${t("receipt.heading")} ${data.dossier.code}`);
  doc.header({ agency: data.centre.name, date: data.dossier.receivedAt, formNumber: data.form.number, basis: data.form.basis });
  await doc.titleWithQr(data.form.title, data.dossier.code, data.lookupUrl);

  doc.write(t("receipt.receivedFrom", { centre: data.centre.name }));
  for (const [label, value] of [
    [t("receipt.name"), data.dossier.applicantName],
    [t("receipt.idNumber"), data.dossier.applicantIdNumber],
    [t("receipt.address"), data.dossier.applicantAddress ?? "…"],
    [t("receipt.phone"), data.dossier.applicantPhone],
    [t("receipt.request"), data.procedure.name],
  ] as const) {
    doc.write(`${label}: ${value}`);
  }
  doc.y -= 4;
  doc.write(`1. ${t("receipt.documents")}`);
  data.dossier.documents.forEach((d, i) => doc.write(`${i + 1}. ${d.name} — ${d.form}, ${String(d.count).padStart(2, "0")}`, { size: 10, indent: 14 }));
  doc.write(`2. ${t("receipt.sets")}`);
  doc.write(`3. ${t("receipt.time", { time: data.procedure.time })}`);
  doc.write(`4. ${t("receipt.receivedAt", { at: spelledTime(data.dossier.receivedAt) })}`);
  doc.write(`5. ${t("receipt.dueAt", { at: spelledTime(data.dossier.dueAt) })}`, { font: "bold" });
  doc.write(`6. ${t("receipt.fee", { fee: data.procedure.fee })}`);
  doc.y -= 4;
  doc.write(t("receipt.legalBasis", { basis: data.procedure.legalBasis }), { size: 10, font: "italic" });
  doc.y -= 18;
  doc.signatures([
    { title: t("receipt.applicantSigns"), name: data.dossier.applicantName },
    { title: t("receipt.receiverSigns"), name: data.receiver },
  ]);
  doc.write(t("receipt.lookup", { url: data.lookupUrl }), { size: 9 });
  return doc.save();
}

/** A dossier's letter (supplement, refusal, stop, apology) as an A4 PDF. */
export async function letterPdf(form: PrintedForm): Promise<Uint8Array> {
  const doc = await a4Document(`${form.form.title} ${form.code}`);
  doc.header({ agency: form.centre.name, date: form.issuedAt, formNumber: form.form.number, basis: form.form.basis });
  await doc.titleWithQr(form.form.title, form.code, form.lookupUrl, 22);
  for (const p of form.paragraphs) {
    doc.write(p.text, { font: p.emphasis ? "bold" : "regular", indent: p.emphasis ? 14 : 0 });
    doc.y -= 4;
  }
  doc.write(t("receipt.legalBasis", { basis: form.legalBasis }), { size: 10, font: "italic" });
  doc.y -= 14;
  doc.signatures([{ title: form.signer.title, name: form.signer.name }]);
  doc.write(t("form.lookup", { url: form.lookupUrl }), { size: 9 });
  return doc.save();
}

/** The control slip as an A4 PDF. */
export async function controlSlipPdf(data: ControlSlipData): Promise<Uint8Array> {
  const doc = await a4Document(`${data.form.title} ${data.dossier.code}`);
  doc.header({ agency: data.centre, date: data.steps.at(-1)?.at ?? data.dossier.receivedAt, formNumber: data.form.number, basis: data.form.basis });
  await doc.titleWithQr(data.form.title, data.dossier.code, data.lookupUrl, 22);
  doc.write(`${t("control.applicant")}: ${data.dossier.applicantName}`);
  doc.write(`${t("receipt.request")}: ${data.procedure}`);
  doc.write(t("control.due", { at: formatDateTime(data.dossier.dueAt) }));
  if (data.dossier.extendedDueAt) doc.write(t("control.extended", { at: formatDateTime(data.dossier.extendedDueAt) }), { font: "bold" });
  doc.write(t("receipt.legalBasis", { basis: data.legalBasis }), { size: 10, font: "italic" });
  doc.y -= 8;
  doc.table(
    [
      { title: "TT", share: 0.5 },
      { title: t("control.step"), share: 2.2 },
      { title: t("control.actor"), share: 2.4 },
      { title: t("control.at"), share: 1.7 },
      { title: t("control.result"), share: 1.5 },
      { title: t("control.note"), share: 2.4 },
    ],
    data.steps.map((s, i) => [
      String(i + 1),
      `${s.step.charAt(0).toUpperCase()}${s.step.slice(1)} (${s.state})`,
      s.role ? `${s.actor} — ${t(`home.role.${s.role}` as MessageKey)}` : s.actor,
      formatDateTime(s.at),
      s.onTime ? t("control.onTime") : t("control.late"),
      s.reason ?? "",
    ]),
  );
  doc.y -= 10;
  doc.write(t("form.lookup", { url: data.lookupUrl }), { size: 9 });
  return doc.save();
}
