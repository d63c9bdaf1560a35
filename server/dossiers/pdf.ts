/**
 * A4 administrative documents as PDF: pdf-lib with Be Vietnam Pro embedded (a whole TTF, as a
 * subset: the Vietnamese marks need the font's full coverage), text that stays extractable, the
 * usual layout of a Vietnamese administrative paper — the agency on the left, the national motto
 * on the right, the form's number above, the title, the body, signatures — and a QR code.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { t } from "../i18n";
import { formatDate } from "../time";

const require = createRequire(import.meta.url);
const fontFile = (weight: "400Regular" | "700Bold" | "400Regular_Italic") =>
  readFileSync(require.resolve(`@expo-google-fonts/be-vietnam-pro/${weight}/BeVietnamPro_${weight}.ttf`));
let fonts: { regular: Buffer; bold: Buffer; italic: Buffer } | null = null;

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const MARGIN = 20 * MM;

export type WriteOptions = { font?: "regular" | "bold" | "italic"; size?: number; x?: number; maxWidth?: number; align?: "left" | "center" | "right"; indent?: number };

/** An A4 document being written from the top down, a new page when one is full. */
export async function a4Document(title: string) {
  fonts ??= { regular: fontFile("400Regular"), bold: fontFile("700Bold"), italic: fontFile("400Regular_Italic") };
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(title);
  pdf.setLanguage("vi-VN");
  const faces = {
    regular: await pdf.embedFont(fonts.regular, { subset: true }),
    bold: await pdf.embedFont(fonts.bold, { subset: true }),
    italic: await pdf.embedFont(fonts.italic, { subset: true }),
  };
  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  const width = A4.width - 2 * MARGIN;
  const doc = {
    width,
    margin: MARGIN,
    mm: MM,
    y: A4.height - MARGIN,
    fonts: faces,
    get page() {
      return page;
    },
    /** Room for `height` points below, else a new page. */
    need(height: number) {
      if (doc.y - height < MARGIN) {
        page = pdf.addPage([A4.width, A4.height]);
        doc.y = A4.height - MARGIN;
      }
    },
    write(text: string, o: WriteOptions = {}) {
      const font = faces[o.font ?? "regular"];
      const size = o.size ?? 11;
      const maxWidth = (o.maxWidth ?? width) - (o.indent ?? 0);
      for (const line of wrap(text, font, size, maxWidth)) {
        doc.need(size * 1.4);
        const lineWidth = font.widthOfTextAtSize(line, size);
        const left = (o.x ?? MARGIN) + (o.indent ?? 0);
        const x = o.align === "center" ? left + (maxWidth - lineWidth) / 2 : o.align === "right" ? left + maxWidth - lineWidth : left;
        page.drawText(line, { x, y: doc.y - size, size, font, color: rgb(0, 0, 0) });
        doc.y -= size * 1.38;
      }
    },
    /** The header of every form: its number and circular (top right), the agency and the motto, the date. */
    header(o: { agency: string; date: string | Date; formNumber?: string; basis?: string }) {
      if (o.formNumber) {
        doc.write(o.formNumber, { font: "bold", size: 9, align: "right" });
        if (o.basis) doc.write(t("form.issuedBy", { basis: o.basis }), { font: "italic", size: 8, align: "right" });
        doc.y -= 6;
      }
      const top = doc.y;
      doc.write(o.agency.toUpperCase(), { font: "bold", size: 10, maxWidth: width * 0.42, align: "center" });
      const leftBottom = doc.y;
      doc.y = top;
      const right = { x: MARGIN + width * 0.45, maxWidth: width * 0.55, align: "center" as const };
      doc.write("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { font: "bold", size: 10, ...right });
      doc.write("Độc lập - Tự do - Hạnh phúc", { font: "bold", size: 10, ...right });
      const [dd, mm, yyyy] = formatDate(o.date).split("/");
      doc.write(t("receipt.date", { dd: dd!, mm: mm!, yyyy: yyyy! }), { font: "italic", size: 10, ...right });
      doc.y = Math.min(doc.y, leftBottom) - 16;
    },
    /** A QR code of `url` at the right margin, from the current line down; returns its size. */
    async qr(url: string, sizeMm = 26) {
      const image = await pdf.embedPng(await QRCode.toBuffer(url, { margin: 1, width: 240, errorCorrectionLevel: "M" }));
      const size = sizeMm * MM;
      page.drawImage(image, { x: A4.width - MARGIN - size, y: doc.y - size, width: size, height: size });
      return size;
    },
    /** The form's title and the tracking code, centred beside a QR code of `url` at the right margin. */
    async titleWithQr(title: string, code: string, url: string, sizeMm = 26) {
      const qrSize = await doc.qr(url, sizeMm);
      const top = doc.y;
      const maxWidth = width - qrSize - 6;
      doc.write(title.toUpperCase(), { font: "bold", size: 13, maxWidth, align: "center" });
      doc.write(`${t("receipt.code")}: ${code}`, { font: "bold", size: 11, maxWidth, align: "center" });
      doc.y = Math.min(doc.y, top - qrSize) - 10;
    },
    /** Signature blocks side by side: title, "(Ký và ghi rõ họ tên)", room, the name. */
    signatures(blocks: Array<{ title: string; name: string }>) {
      doc.need(120);
      const w = width / blocks.length;
      const top = doc.y;
      blocks.forEach((b, i) => {
        const x = MARGIN + i * w + (blocks.length === 1 ? w / 2 : 0);
        const bw = blocks.length === 1 ? w / 2 : w;
        const centred = (text: string, font: PDFFont, size: number, y: number) => page.drawText(text, { x: x + (bw - font.widthOfTextAtSize(text, size)) / 2, y, size, font });
        centred(b.title.toUpperCase(), faces.bold, 10, top - 10);
        centred(t("form.signHint"), faces.italic, 9, top - 24);
        centred(b.name, faces.bold, 10, top - 90);
      });
      doc.y = top - 110;
    },
    /**
     * A table with borders: each column's title and share of the width; cells wrap, a row too tall
     * for the page starts the next one (the header is repeated).
     */
    table(columns: Array<{ title: string; share: number }>, rows: string[][], size = 9) {
      const total = columns.reduce((sum, c) => sum + c.share, 0);
      const widths = columns.map((c) => (c.share / total) * width);
      const pad = 3;
      const lineHeight = size * 1.3;
      const header = columns.map((c) => c.title);
      const drawRow = (cells: string[], font: PDFFont, isHeader: boolean) => {
        const lines = cells.map((cell, i) => wrap(cell, font, size, widths[i]! - 2 * pad));
        const height = Math.max(...lines.map((l) => l.length)) * lineHeight + 2 * pad;
        const before = page;
        doc.need(height);
        if (!isHeader && page !== before) drawRow(header, faces.bold, true);
        let x = MARGIN;
        lines.forEach((cellLines, i) => {
          page.drawRectangle({ x, y: doc.y - height, width: widths[i]!, height, borderColor: rgb(0, 0, 0), borderWidth: 0.5 });
          cellLines.forEach((line, j) => page.drawText(line, { x: x + pad, y: doc.y - pad - (j + 1) * lineHeight + size * 0.25, size, font }));
          x += widths[i]!;
        });
        doc.y -= height;
      };
      drawRow(header, faces.bold, true);
      for (const row of rows) drawRow(row, faces.regular, false);
    },
    save: () => pdf.save(),
  };
  return doc;
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
