import QRCode from "qrcode";
import { data } from "react-router";
import { printedBase, receiptData } from "../../server/dossiers/receipt";
import { spelledTime as spelled } from "../../server/dossiers/receipt-text";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { A4Sheet } from "../components/forms/a4-sheet";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-receipt";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${t("receipt.title")} ${d?.dossier.code ?? ""} · ${t("app.name")}` }];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  try {
    const receipt = await receiptData(context.services, actor, { code: params.code, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    const qr = await QRCode.toDataURL(receipt.lookupUrl, { margin: 1, width: 220, errorCorrectionLevel: "M" });
    return { ...receipt, qr };
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export default function Receipt({ loaderData }: Route.ComponentProps) {
  const { centre, dossier, procedure, receiver, qr, lookupUrl, form } = loaderData;
  return (
    <A4Sheet testId="receipt" agency={centre.name} date={dossier.receivedAt} form={form} pdfHref={`/dossiers/${dossier.code}/giay-tiep-nhan.pdf`} printLabel={t("receipt.print")}>
        <div className="mt-6 flex items-start justify-between gap-4">
          <div className="flex-1 text-center">
            <h1 className="text-[15pt] font-bold uppercase">{form.title}</h1>
            <p className="mt-1">
              {t("receipt.code")}: <span data-testid="receipt-code" className="font-mono font-bold">{dossier.code}</span>
            </p>
          </div>
          <img src={qr} alt={t("receipt.qr")} className="size-[28mm]" />
        </div>
        <p className="mt-4">{t("receipt.receivedFrom", { centre: centre.name })}</p>
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3">
          <dt>{t("receipt.name")}:</dt>
          <dd className="font-semibold">{dossier.applicantName}</dd>
          <dt>{t("receipt.idNumber")}:</dt>
          <dd>{dossier.applicantIdNumber}</dd>
          <dt>{t("receipt.address")}:</dt>
          <dd>{dossier.applicantAddress ?? "…"}</dd>
          <dt>{t("receipt.phone")}:</dt>
          <dd>{dossier.applicantPhone}</dd>
          <dt>{t("receipt.request")}:</dt>
          <dd className="font-semibold">{procedure.name}</dd>
        </dl>
        <p className="mt-3">1. {t("receipt.documents")}</p>
        <table className="mt-1 w-full border-collapse text-[12pt]">
          <thead>
            <tr className="[&>th]:border [&>th]:border-black [&>th]:px-2 [&>th]:py-1">
              <th className="w-10">TT</th>
              <th>{t("receipt.docName")}</th>
              <th className="w-40">{t("receipt.docForm")}</th>
              <th className="w-20">{t("receipt.docCount")}</th>
            </tr>
          </thead>
          <tbody>
            {dossier.documents.map((d, i) => (
              <tr key={d.key} className="[&>td]:border [&>td]:border-black [&>td]:px-2 [&>td]:py-1">
                <td className="text-center">{i + 1}</td>
                <td>{d.name}</td>
                <td>{d.form}</td>
                <td className="text-center">{String(d.count).padStart(2, "0")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2">2. {t("receipt.sets")}</p>
        <p>3. {t("receipt.time", { time: procedure.time })}</p>
        <p>4. {t("receipt.receivedAt", { at: spelled(dossier.receivedAt) })}</p>
        <p data-testid="receipt-due">5. {t("receipt.dueAt", { at: spelled(dossier.dueAt) })}</p>
        <p>6. {t("receipt.fee", { fee: procedure.fee })}</p>
        <p data-testid="receipt-legal" className="mt-2 text-[12pt] italic">
          {t("receipt.legalBasis", { basis: procedure.legalBasis })}
        </p>
        <div className="mt-8 grid grid-cols-2 text-center">
          <div>
            <p className="font-bold uppercase">{t("receipt.applicantSigns")}</p>
            <p className="italic">{t("receipt.signHint")}</p>
            <p className="mt-20 font-semibold">{dossier.applicantName}</p>
          </div>
          <div>
            <p className="font-bold uppercase">{t("receipt.receiverSigns")}</p>
            <p className="italic">{t("receipt.signHint")}</p>
            <p className="mt-20 font-semibold">{receiver}</p>
          </div>
        </div>
        <p className="mt-10 border-t border-black pt-2 text-[11pt]">{t("receipt.lookup", { url: lookupUrl })}</p>
    </A4Sheet>
  );
}
