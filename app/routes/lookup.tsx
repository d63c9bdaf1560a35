import { data, Form, useNavigation, useSearchParams } from "react-router";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { formatDate, formatDateTime } from "../../server/time";
import type { PublicDossier } from "../../server/dossiers/lookup";
import { Brand } from "../components/brand";
import { readForm } from "../lib/actions.server";
import type { Route } from "./+types/lookup";

export const meta: Route.MetaFunction = () => [{ title: `${t("lookup.title")} · ${t("app.name")}` }];

type Answer = { found: PublicDossier | null; error?: string };

// A POST, so the phone digits never sit in a URL or a log.
export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  try {
    const found = await context.services.lookup.lookup({
      code: String(form.get("code") ?? ""),
      phoneLast4: String(form.get("phone") ?? ""),
      address: context.clientAddress,
    });
    return { found } satisfies Answer;
  } catch (error) {
    if (isAppError(error)) return data({ found: null, error: error.message } satisfies Answer, { status: error.status });
    throw error;
  }
}

export default function Lookup({ actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const answer = actionData as Answer | undefined;
  const found = answer?.found ?? null;
  return (
    <main className="min-h-screen bg-slate-100 px-4 py-6">
      <div className="mx-auto w-full max-w-lg">
        <Brand />
        <h1 className="mt-5 text-2xl font-bold">{t("lookup.title")}</h1>
        <p className="mt-1 text-slate-600">{t("lookup.intro")}</p>
        <Form method="post" className="mt-4 space-y-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <label className="block text-sm font-medium">
            {t("lookup.code")}
            <input
              name="code"
              required
              defaultValue={params.get("ma") ?? ""}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              placeholder="DEMO-261201-0001"
              className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 font-mono text-lg uppercase"
            />
          </label>
          <label className="block text-sm font-medium">
            {t("lookup.phone")}
            <input name="phone" required inputMode="numeric" pattern="[0-9]{4}" maxLength={4} autoComplete="off" className="mt-1 block w-32 rounded-lg border border-slate-300 px-3 py-2.5 text-lg tracking-widest" />
          </label>
          <button type="submit" disabled={navigation.state === "submitting"} className="w-full rounded-lg bg-brand-700 px-4 py-3 text-lg font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
            {t("lookup.submit")}
          </button>
        </Form>
        {answer?.error ? (
          <p role="alert" className="mt-4 rounded-xl bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
            {answer.error}
          </p>
        ) : null}
        {answer && !answer.error && !found ? (
          <p role="status" data-testid="lookup-none" className="mt-4 rounded-xl bg-amber-50 px-4 py-3 text-amber-950 ring-1 ring-amber-200">
            {t("lookup.none")}
          </p>
        ) : null}
        {found ? (
          <section data-testid="lookup-result" aria-labelledby="found-title" className="mt-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="found-title" className="font-mono text-lg font-bold">
              {found.code}
            </h2>
            <p className="mt-1 font-semibold">{found.procedure}</p>
            <p className="mt-3 inline-block rounded-full bg-brand-50 px-3 py-1 font-semibold text-brand-800 ring-1 ring-brand-200">{found.stateLabel}</p>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-slate-700">
              <dt>{t("lookup.receivedAt")}</dt>
              <dd>{formatDateTime(found.receivedAt)}</dd>
              <dt>{t("lookup.dueDay")}</dt>
              <dd className="font-semibold">{formatDate(`${found.dueDay}T12:00:00+07:00`)}</dd>
              {found.extendedDueDay ? (
                <>
                  <dt>{t("lookup.extendedDay")}</dt>
                  <dd className="font-semibold text-amber-800" data-testid="lookup-extended">
                    {formatDate(`${found.extendedDueDay}T12:00:00+07:00`)}
                  </dd>
                </>
              ) : null}
              <dt>{t("lookup.updatedAt")}</dt>
              <dd>{formatDateTime(found.updatedAt)}</dd>
            </dl>
            {found.supplement ? (
              <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
                <span className="font-semibold">{t("lookup.supplement")}</span> {found.supplement}
              </p>
            ) : null}
          </section>
        ) : null}
      </div>
    </main>
  );
}
