import { data } from "react-router";
import { controlSlipData } from "../../server/dossiers/receipt";
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
    return await controlSlipData(context.services, actor, { code: params.code });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export default function ControlSlip({ loaderData }: Route.ComponentProps) {
  const { centre, dossier, procedure, steps, form } = loaderData;
  return (
    <A4Sheet testId="control-slip" agency={centre} date={steps.at(-1)?.at ?? dossier.receivedAt} form={form} printLabel={t("control.print")}>
        <h1 className="mt-6 text-center text-[15pt] font-bold uppercase">{form.title}</h1>
        <p className="mt-1 text-center">
          {t("receipt.code")}: <span data-testid="control-code" className="font-mono font-bold">{dossier.code}</span>
        </p>
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
    </A4Sheet>
  );
}
