import { useFetcher } from "react-router";
import type { CentreSnapshot } from "../../../server/realtime/events";
import { t } from "../../../server/i18n";
import type { ActionReply } from "../../lib/actions.server";
import { ActionMessage } from "../action-message";

/** Before work: the officer takes a free counter of the centre. */
export function ChooseCounter({ snapshot }: { snapshot: CentreSnapshot }) {
  const fetcher = useFetcher<ActionReply>();
  const fieldName = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId)?.name ?? "";
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 p-6">
      <h1 className="text-2xl font-bold">{t("counter.choose")}</h1>
      <p className="mt-1 text-slate-600">{t("counter.choose.hint")}</p>
      <ActionMessage reply={fetcher.data} className="mt-3" reserve={false} />
      <ul className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-5">
        {snapshot.counters.map((c) => (
          <li key={c.id} className="flex flex-col rounded-xl bg-white p-3.5 shadow-sm ring-1 ring-slate-200">
            <span className="text-xl font-bold">{c.name}</span>
            <span className="mt-1 flex-1 text-sm text-slate-600">
              {c.fieldIds.length === snapshot.fields.length && snapshot.fields.length > 1 ? t("counter.allFields") : c.fieldIds.map(fieldName).join(", ")}
            </span>
            <span className={`mt-2 text-sm ${c.officerId ? "text-amber-700" : "text-emerald-700"}`}>
              {c.officerName ? t("counter.takenBy", { name: c.officerName }) : t("counter.free")}
            </span>
            <fetcher.Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="sign-in" />
              <input type="hidden" name="counterId" value={c.id} />
              <button
                type="submit"
                disabled={c.officerId !== null || fetcher.state !== "idle"}
                className="w-full rounded-lg bg-brand-700 py-2 font-semibold text-white hover:bg-brand-800 disabled:bg-slate-300 disabled:text-slate-600"
              >
                {t("counter.signIn")} {c.number}
              </button>
            </fetcher.Form>
          </li>
        ))}
      </ul>
    </main>
  );
}
