/** The A4 sheet of a printed form: the form's number and circular, the agency and the national motto, the date; a print button and a PDF link above it on screen. */
import type { ReactNode } from "react";
import { t } from "../../../server/i18n";
import { formatDate } from "../../../server/time";

export function A4Sheet(props: {
  testId: string;
  agency: string;
  date: string;
  form: { number: string; basis: string };
  pdfHref?: string;
  printLabel: string;
  children: ReactNode;
}) {
  const [dd, mm, yyyy] = formatDate(props.date).split("/");
  return (
    <div className="min-h-screen bg-slate-200 py-6 print:bg-white print:py-0">
      <div className="mx-auto mb-4 flex max-w-[210mm] justify-end gap-2 print:hidden">
        {props.pdfHref ? (
          <a href={props.pdfHref} className="rounded-lg border border-slate-400 bg-white px-4 py-2 font-semibold hover:bg-slate-50">
            {t("form.pdf")}
          </a>
        ) : null}
        <button type="button" onClick={() => window.print()} className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          {props.printLabel}
        </button>
      </div>
      <article
        data-testid={props.testId}
        className="mx-auto min-h-[297mm] w-[210mm] bg-white px-[20mm] py-[15mm] font-serif text-[13pt] leading-snug text-black shadow print:min-h-0 print:shadow-none"
      >
        <div className="text-right text-[10pt]" data-testid="form-number">
          <p className="font-bold">{props.form.number}</p>
          <p className="italic">{t("form.issuedBy", { basis: props.form.basis })}</p>
        </div>
        <header className="mt-3 grid grid-cols-[1fr_1.3fr] gap-4 text-center text-[12pt]">
          <div>
            <p className="font-semibold uppercase">{props.agency}</p>
            <p className="mx-auto mt-1 w-24 border-t border-black" />
          </div>
          <div>
            <p className="font-bold">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
            <p className="font-bold">Độc lập - Tự do - Hạnh phúc</p>
            <p className="mx-auto mt-1 w-40 border-t border-black" />
            <p className="mt-2 italic">{t("receipt.date", { dd: dd!, mm: mm!, yyyy: yyyy! })}</p>
          </div>
        </header>
        {props.children}
      </article>
    </div>
  );
}
