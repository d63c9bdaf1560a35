import QRCode from "qrcode";
import { data } from "react-router";
import { controlSlipData, printedBase } from "../../server/dossiers/receipt";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { formatDate, formatDateTime } from "../../server/time";
import { A4Sheet } from "../components/forms/a4-sheet";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-control";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${t("control.title")} ${d?.dossier.code ?? ""} · ${t("app.name")}` }];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  try {
    const slip = await controlSlipData(context.services, actor, { code: params.code, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    return { ...slip, qr: await QRCode.toDataURL(slip.lookupUrl, { margin: 1, width: 200, errorCorrectionLevel: "M" }) };
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export default function ControlSlip({ loaderData }: Route.ComponentProps) {
  const { centre, dossier, procedure, steps, form, qr, lookupUrl, legalBasis } = loaderData;
  return (
    <A4Sheet testId="control-slip" agency={centre} date={steps.at(-1)?.at ?? dossier.receivedAt} form={form} pdfHref={`/dossiers/${dossier.code}/phieu-kiem-soat.pdf`} printLabel={t("control.print")}>
      <div className="mt-6 flex items-start justify-between gap-4">
        <div className="flex-1 text-center">
          <h1 className="text-[15pt] font-bold uppercase">{form.title}</h1>
          <p className="mt-1">
            {t("receipt.code")}: <span data-testid="control-code" className="font-mono font-bold">{dossier.code}</span>
          </p>
        </div>
        <img src={qr} alt={t("receipt.qr")} className="size-[22mm]" />
      </div>
        <p className="mt-3">
          {t("control.applicant")}: <span className="font-semibold">{dossier.applicantName}</span>
        </p>
        <p>
          {t("receipt.request")}: <span className="font-semibold">{procedure}</span>
        </p>
        <p>{t("control.due", { at: formatDateTime(dossier.dueAt), day: formatDate(dossier.dueAt) })}</p>
        {dossier.extendedDueAt ? <p className="font-semibold">{t("control.extended", { at: formatDateTime(dossier.extendedDueAt) })}</p> : null}
        <table className="mt-3 w-full border-collapse text-[10.5pt]">
          <thead>
            <tr className="[&>th]:border [&>th]:border-black [&>th]:px-2 [&>th]:py-1">
              <th className="w-8">TT</th>
              <th>{t("control.step")}</th>
              <th>{t("control.actor")}</th>
              <th className="w-32">{t("control.at")}</th>
              <th className="w-28">{t("control.result")}</th>
              <th>{t("control.note")}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, i) => (
              <tr key={i} className="align-top [&>td]:border [&>td]:border-black [&>td]:px-2 [&>td]:py-1">
                <td className="text-center">{i + 1}</td>
                <td>
                  {s.step.charAt(0).toUpperCase() + s.step.slice(1)}
                  <span className="block text-[10pt] italic">{s.state}</span>
                </td>
                <td>
                  {s.actor}
                  {s.role ? <span className="block text-[10pt] italic">{t(`home.role.${s.role}`)}</span> : null}
                </td>
                <td className="tabular-nums">{formatDateTime(s.at)}</td>
                <td>{s.onTime ? t("control.onTime") : t("control.late")}</td>
                <td>{s.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-[11pt] italic">{t("receipt.legalBasis", { basis: legalBasis })}</p>
        <p className="mt-6 border-t border-black pt-2 text-[11pt]">{t("form.lookup", { url: lookupUrl })}</p>
    </A4Sheet>
  );
}
