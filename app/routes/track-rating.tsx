import { data, Form, Link, useNavigation } from "react-router";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { RATING_VALUES, ratingInput, reasonLabel, TRACKING_WINDOW_HOURS, UNSATISFIED_REASONS, valueLabel } from "../../server/ratings/rules";
import type { TrackingRatingView } from "../../server/ratings/tracking";
import { ActionMessage } from "../components/action-message";
import { Brand } from "../components/brand";
import { Face, VALUE_STYLE } from "../components/rating/faces";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import type { Route } from "./+types/track-rating";

export const meta: Route.MetaFunction = () => [{ title: `${t("rating.phone.title")} · ${t("app.name")}` }, { name: "robots", content: "noindex" }];

/** The ticket the link names and whether it may be rated now; a link that names none (or too many tries) says so. */
export async function loader({ params, context }: Route.LoaderArgs) {
  try {
    return { view: await context.services.trackingRatings.view({ token: params.token, address: context.clientAddress }), error: null };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return data({ view: null as TrackingRatingView | null, error: error.message }, { status: error.status });
  }
}

export async function action({ params, request, context }: Route.ActionArgs) {
  return respond(await readForm(request), ratingInput, { form: "rate" }, async (input) => {
    await context.services.trackingRatings.rate({ ...input, token: params.token, address: context.clientAddress });
    return { rated: true };
  });
}

export default function TrackRating({ loaderData, actionData, params }: Route.ComponentProps) {
  const navigation = useNavigation();
  const reply = actionData as ActionReply<{ rated: boolean }> | undefined;
  const { view } = loaderData;
  const rated = reply?.rated === true;
  return (
    <main className="min-h-screen bg-slate-100 px-4 py-5">
      <div className="mx-auto w-full max-w-lg">
        <Brand subtitle={view?.centreName} />
        <h1 className="mt-5 text-2xl font-bold">{t("rating.phone.title")}</h1>
        {view ? (
          <p className="mt-1 text-lg text-slate-700" data-testid="rating-ticket">
            {t("rating.phone.ticket", { code: view.code, field: view.fieldName })}
          </p>
        ) : null}

        {!view ? (
          <Notice tone="error">{loaderData.error ?? t("rating.phone.notFound")}</Notice>
        ) : rated ? (
          <section role="status" className="mt-5 rounded-2xl bg-white p-6 text-center shadow-sm ring-1 ring-slate-200" data-testid="rating-thanks">
            <Face value="very_satisfied" className="mx-auto size-20 text-emerald-600" />
            <p className="mt-4 text-2xl font-bold">{t("rating.thanks")}</p>
            <p className="mt-2 text-slate-600">{t("rating.thanksHint")}</p>
          </section>
        ) : view.state === "not_finished" ? (
          <Notice>{t("rating.phone.notFinished", { code: view.code })}</Notice>
        ) : view.state === "expired" ? (
          <Notice>{t("rating.phone.expired", { hours: TRACKING_WINDOW_HOURS })}</Notice>
        ) : view.state === "rated" ? (
          <Notice tone="done">{t("rating.phone.rated", { code: view.code })}</Notice>
        ) : (
          <Form method="post" className="group mt-5 space-y-4" data-testid="rating-form">
            <fieldset className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <legend className="sr-only">{t("rating.ask")}</legend>
              <p className="text-lg font-semibold">{t("rating.ask")}</p>
              <div className="mt-3 space-y-3">
                {RATING_VALUES.map((value) => (
                  <label key={value} className="block">
                    <input type="radio" name="value" value={value} required className={`peer sr-only ${value === "unsatisfied" ? "unsatisfied" : ""}`} />
                    <span
                      className={`flex min-h-16 items-center gap-4 rounded-xl px-4 py-3 text-xl font-semibold ring-2 ring-slate-200 peer-focus-visible:outline-2 peer-focus-visible:outline-brand-600 ${VALUE_STYLE[value].ring}`}
                    >
                      <Face value={value} className={`size-10 shrink-0 ${value === "very_satisfied" ? "text-emerald-600" : value === "satisfied" ? "text-sky-600" : "text-orange-600"}`} />
                      {valueLabel(value)}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            {/* Shown once "Không hài lòng" is chosen (by CSS: it works before the page's script has loaded). */}
            <fieldset className="hidden rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 group-has-[.unsatisfied:checked]:block" data-testid="rating-reasons">
              <legend className="sr-only">{t("rating.reasons.title")}</legend>
              <p className="text-lg font-semibold">{t("rating.reasons.title")}</p>
              <p className="text-sm text-slate-600">{t("rating.reasons.hint")}</p>
              <div className="mt-3 space-y-2">
                {UNSATISFIED_REASONS.map((key) => (
                  <label key={key} className="flex min-h-12 items-center gap-3 rounded-xl px-3 py-2 text-lg ring-1 ring-slate-200 has-checked:bg-orange-50 has-checked:ring-orange-400">
                    <input type="checkbox" name="reasons" value={key} className="size-5 shrink-0 accent-orange-600" />
                    {reasonLabel(key)}
                  </label>
                ))}
              </div>
              <label className="mt-3 block text-base font-medium">
                {t("rating.comment")}
                <textarea name="comment" rows={3} maxLength={500} placeholder={t("rating.commentPlaceholder")} className="mt-1 block w-full rounded-xl border border-slate-300 px-3 py-2 text-lg" />
              </label>
            </fieldset>
            <ActionMessage reply={reply} reserve={false} />
            <button
              type="submit"
              disabled={navigation.state !== "idle"}
              className="w-full rounded-xl bg-brand-700 py-4 text-xl font-bold text-white hover:bg-brand-800 disabled:opacity-60"
            >
              {navigation.state !== "idle" ? t("rating.sending") : t("rating.send")}
            </button>
          </Form>
        )}
        {view ? (
          <p className="mt-6 text-center">
            <Link to={`/t/${params.token}`} className="font-medium text-brand-800 underline underline-offset-2">
              {t("rating.phone.backToTicket")}
            </Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}

function Notice({ children, tone = "info" }: { children: React.ReactNode; tone?: "info" | "done" | "error" }) {
  const style = tone === "error" ? "bg-red-50 text-red-900 ring-red-200" : tone === "done" ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-amber-50 text-amber-900 ring-amber-200";
  return (
    <p role="status" data-testid="rating-notice" className={`mt-5 rounded-2xl p-5 text-lg ring-1 ${style}`}>
      {children}
    </p>
  );
}
