import { data, Link } from "react-router";
import { calendarYear, saveCutoff, saveDeploymentDecision, setCentreDay } from "../../server/calendar/decisions";
import { t } from "../../server/i18n";
import { CentreDays, centreDayForm, Cutoff, cutoffForm, Decision, deploymentForm, Holidays } from "../components/admin/calendar-parts";
import { CentreTabs } from "../components/admin/centre-tabs";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.calendar";

export const meta: Route.MetaFunction = () => [{ title: `${t("calendar.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "centre.configure");
  const asked = new URL(request.url).searchParams.get("year");
  const calendar = await calendarYear(context.services, actor, { year: asked && /^\d{4}$/.test(asked) ? Number(asked) : null });
  return { user, calendar };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "centre.configure");
  const { services } = context;
  const formData = await readForm(request);
  switch (formData.get("intent")) {
    case "centre-day": {
      const form = formData.get("kind") === "none" ? `remove-${formData.get("day")}` : "centre-day";
      return respond(formData, centreDayForm, { form, resetForm: true }, async ({ intent: _i, ...input }): Promise<Answer> => {
        const saved = await setCentreDay(services, actor, input);
        return saved.ok ? { message: t("calendar.centre.saved", { year: input.year }) } : { fieldErrors: saved.fieldErrors };
      });
    }
    case "deployment":
      return respond(formData, deploymentForm, { form: "deployment" }, async ({ intent: _i, ...input }): Promise<Answer> => {
        const saved = await saveDeploymentDecision(services, actor, { ...input, daysOff: input.daysOff ?? "", workingDays: input.workingDays ?? "", source: input.source ?? "" });
        return saved.ok ? { message: t("calendar.decision.saved", { year: input.year }) } : { fieldErrors: saved.fieldErrors };
      });
    case "cutoff":
      return respond(formData, cutoffForm, { form: "cutoff" }, async (input): Promise<Answer> => {
        const saved = await saveCutoff(services, actor, { cutoff: input.mode === "off" ? null : (input.cutoff ?? "") });
        return saved.ok ? { message: t("calendar.cutoff.saved", { value: saved.value.cutoff ?? t("calendar.cutoff.none") }) } : { fieldErrors: saved.fieldErrors };
      });
    default:
      throw data({ message: t("error.bad_request") }, { status: 400 });
  }
}

export default function CalendarPage({ loaderData }: Route.ComponentProps) {
  const { calendar } = loaderData;
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-6xl px-6 py-5">
        <CentreTabs />
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">{t("calendar.title")}</h1>
            <p className="mt-1 max-w-3xl text-slate-600">{t("calendar.intro")}</p>
          </div>
          <nav aria-label={t("calendar.yearNav")} className="flex gap-1">
            {calendar.years.map((y) => (
              <Link
                key={y}
                to={`?year=${y}`}
                aria-current={y === calendar.year ? "page" : undefined}
                className={`rounded-lg px-3 py-1.5 font-semibold ${y === calendar.year ? "bg-brand-700 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"}`}
              >
                {y}
              </Link>
            ))}
          </nav>
        </div>

        <div className="mt-5 grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <div className="space-y-5">
            <Holidays calendar={calendar} />
            <Decision calendar={calendar} />
          </div>
          <div className="space-y-5">
            <CentreDays key={calendar.year} calendar={calendar} />
            <Cutoff calendar={calendar} />
          </div>
        </div>
      </main>
    </div>
  );
}

