/**
 * The printed forms of a dossier. The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả): its
 * content, read once for the A4 page and the PDF, and the PDF itself — pdf-lib with Be Vietnam Pro embedded (a whole TTF: the
 * Vietnamese marks need the font's full coverage), and a QR code of the citizen's lookup.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import { and, asc, eq } from "drizzle-orm";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { centres, dossiers, dossierSteps, procedures, users } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { formatDateTime } from "../time";
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
  const lookupUrl = new URL(`/tra-cuu?ma=${encodeURIComponent(dossier.code)}`, input.publicUrl).toString();
  return {
    centre: { name: centre.name, address: centre.address },
    dossier: {
      code: dossier.code,
      applicantName: dossier.applicantName,
      applicantIdNumber: dossier.applicantIdNumber,
      applicantPhone: dossier.applicantPhone,
      applicantAddress: dossier.applicantAddress,
      receivedAt: dossier.receivedAt.toISOString(),
      dueAt: dossier.dueAt.toISOString(),
      documents: procedure.documents
        .filter((d) => dossier.documents.find((r) => r.key === d.key)?.received)
        .map((d) => ({ key: d.key, name: d.name, form: FORM_LABEL[d.form], count: d.count })),
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
export async function controlSlipData(deps: Pick<ServiceDeps, "db">, actor: Actor, input: { code: string }) {
  authorize(actor, "dossier.work");
  const [row] = await deps.db
    .select({ dossier: dossiers, procedure: procedures.name, centre: centres.name })
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
  return {
    centre: row.centre,
    dossier: { code: row.dossier.code, applicantName: row.dossier.applicantName, dueAt: row.dossier.dueAt.toISOString(), receivedAt: row.dossier.receivedAt.toISOString() },
    procedure: row.procedure,
    steps: steps.map((s) => ({
      step: s.action === "receive" ? t("control.receive") : actionLabel(s.action as DossierAction),
      state: stateLabel(s.toState),
      actor: s.actor ?? t("admin.audit.system"),
      role: s.role,
      at: s.at.toISOString(),
      onTime: s.at.getTime() <= due,
      reason: s.reason,
    })),
  };
}

/**
 * The address printed for citizens (the QR of the lookup): PUBLIC_URL when it names a real host,
 * else the address the staff member reached the server at (a LAN address a phone in the hall
 * can reach), never "localhost".
 */
export function printedBase(publicUrl: string, requestUrl: string): string {
  if (publicUrl && !/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(publicUrl)) return publicUrl;
  return new URL(requestUrl).origin;
}

const require = createRequire(import.meta.url);
const fontFile = (weight: "400Regular" | "700Bold") => readFileSync(require.resolve(`@expo-google-fonts/be-vietnam-pro/${weight}/BeVietnamPro_${weight}.ttf`));
let fonts: { regular: Buffer; bold: Buffer } | null = null;

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const MARGIN = 20 * MM;

/** The receipt as an A4 PDF. */
export async function receiptPdf(data: ReceiptData): Promise<Uint8Array> {
  fonts ??= { regular: fontFile("400Regular"), bold: fontFile("700Bold") };
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`${t("receipt.heading")} ${data.dossier.code}`);
  pdf.setLanguage("vi-VN");
  const regular = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const page = pdf.addPage([A4.width, A4.height]);
  const width = A4.width - 2 * MARGIN;
  let y = A4.height - MARGIN;

  const write = (text: string, options: { font?: PDFFont; size?: number; x?: number; maxWidth?: number; align?: "left" | "center" } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 11;
    const maxWidth = options.maxWidth ?? width;
    for (const line of wrap(text, font, size, maxWidth)) {
      const lineWidth = font.widthOfTextAtSize(line, size);
      const x = (options.x ?? MARGIN) + (options.align === "center" ? (maxWidth - lineWidth) / 2 : 0);
      page.drawText(line, { x, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.35;
    }
  };

  // Header: the centre on the left, the national motto on the right.
  const top = y;
  write(data.centre.name.toUpperCase(), { font: bold, size: 10, maxWidth: width * 0.42, align: "center" });
  const leftBottom = y;
  y = top;
  write("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { font: bold, size: 10, x: MARGIN + width * 0.45, maxWidth: width * 0.55, align: "center" });
  write("Độc lập - Tự do - Hạnh phúc", { font: bold, size: 10, x: MARGIN + width * 0.45, maxWidth: width * 0.55, align: "center" });
  const [, day] = formatDateTime(data.dossier.receivedAt).split(" ") as [string, string];
  const [dd, mm, yyyy] = day.split("/");
  write(t("receipt.date", { dd: dd!, mm: mm!, yyyy: yyyy! }), { size: 10, x: MARGIN + width * 0.45, maxWidth: width * 0.55, align: "center" });
  y = Math.min(y, leftBottom) - 16;

  const qr = await pdf.embedPng(await QRCode.toBuffer(data.lookupUrl, { margin: 1, width: 240, errorCorrectionLevel: "M" }));
  const qrSize = 26 * MM;
  page.drawImage(qr, { x: A4.width - MARGIN - qrSize, y: y - qrSize, width: qrSize, height: qrSize });
  write(t("receipt.heading").toUpperCase(), { font: bold, size: 13, maxWidth: width - qrSize - 6, align: "center" });
  write(`${t("receipt.code")}: ${data.dossier.code}`, { font: bold, size: 11, maxWidth: width - qrSize - 6, align: "center" });
  y = Math.min(y, y - qrSize + 24) - 10;

  write(t("receipt.receivedFrom", { centre: data.centre.name }));
  for (const [label, value] of [
    [t("receipt.name"), data.dossier.applicantName],
    [t("receipt.idNumber"), data.dossier.applicantIdNumber],
    [t("receipt.address"), data.dossier.applicantAddress ?? "…"],
    [t("receipt.phone"), data.dossier.applicantPhone],
    [t("receipt.request"), data.procedure.name],
  ] as const) {
    write(`${label}: ${value}`);
  }
  y -= 4;
  write(`1. ${t("receipt.documents")}`);
  data.dossier.documents.forEach((d, i) => write(`   ${i + 1}. ${d.name} — ${d.form}, ${String(d.count).padStart(2, "0")}`, { size: 10 }));
  write(`2. ${t("receipt.sets")}`);
  write(`3. ${t("receipt.time", { time: data.procedure.time })}`);
  write(`4. ${t("receipt.receivedAt", { at: spelledTime(data.dossier.receivedAt) })}`);
  write(`5. ${t("receipt.dueAt", { at: spelledTime(data.dossier.dueAt) })}`, { font: bold });
  write(`6. ${t("receipt.fee", { fee: data.procedure.fee })}`);
  y -= 4;
  write(t("receipt.legalBasis", { basis: data.procedure.legalBasis }), { size: 10 });
  y -= 18;

  const signTop = y;
  signature(page, { x: MARGIN, width: width / 2, y: signTop, title: t("receipt.applicantSigns"), name: data.dossier.applicantName, bold, regular });
  signature(page, { x: MARGIN + width / 2, width: width / 2, y: signTop, title: t("receipt.receiverSigns"), name: data.receiver, bold, regular });
  y = signTop - 110;
  write(t("receipt.lookup", { url: data.lookupUrl }), { size: 9 });
  return pdf.save();
}

function signature(page: PDFPage, o: { x: number; width: number; y: number; title: string; name: string; bold: PDFFont; regular: PDFFont }) {
  const centred = (text: string, font: PDFFont, size: number, y: number) =>
    page.drawText(text, { x: o.x + (o.width - font.widthOfTextAtSize(text, size)) / 2, y, size, font });
  centred(o.title.toUpperCase(), o.bold, 10, o.y - 10);
  centred(t("receipt.signHint"), o.regular, 9, o.y - 24);
  centred(o.name, o.bold, 10, o.y - 90);
}

/** Lines of at most `maxWidth` points, broken at spaces. */
function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= maxWidth || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
