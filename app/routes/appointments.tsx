import { Form } from "react-router";
import { appointmentsOfDay } from "../../server/appointments/register";
import { formatBookingCode } from "../../server/appointments/slots";
import { t } from "../../server/i18n";
import { formatTime } from "../../server/time";
import { longDay } from "../components/appointments/booking-confirmation";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/appointments";

export const meta: Route.MetaFunction = () => [{ title: `${t("staffAppointments.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "appointments.view");
  const day = new URL(request.url).searchParams.get("ngay") ?? undefined;
  return { user, ...(await appointmentsOfDay(context.services, actor, { day })) };
}

const STATUS_STYLE = {
  booked: "bg-brand-50 text-brand-900 ring-brand-200",
  checked_in: "bg-emerald-50 text-emerald-900 ring-emerald-200",
  cancelled: "bg-slate-100 text-slate-600 ring-slate-200",
  no_show: "bg-amber-50 text-amber-900 ring-amber-200",
} as const;

export default function StaffAppointments({ loaderData }: Route.ComponentProps) {
  const { user, day, appointments, counts } = loaderData;
  const fields = [...new Map(appointments.map((a) => [a.fieldId, a.fieldName])).entries()];
  return (
    <div className="min-h-screen bg-slate-50">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-5xl px-5 py-5">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h1 className="text-2xl font-bold">
            {t("staffAppointments.title")} · {longDay(day)}
          </h1>
          <Form className="flex items-end gap-2 text-sm">
            <label className="flex flex-col font-medium">
              {t("staffAppointments.day")}
              <input type="date" name="ngay" defaultValue={day} className="rounded-md border border-slate-300 px-2 py-1.5" />
            </label>
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
              {t("staffAppointments.show")}
            </button>
          </Form>
        </div>
        {fields.length === 0 ? <p className="mt-6 rounded-xl bg-white p-4 ring-1 ring-slate-200">{t("staffAppointments.none")}</p> : null}
        {fields.map(([fieldId, fieldName]) => {
          const c = counts[fieldId] ?? { booked: 0, checkedIn: 0, noShow: 0, cancelled: 0 };
          return (
            <section key={fieldId} className="mt-5 rounded-xl bg-white ring-1 ring-slate-200" data-testid={`appointments-field-${fieldId}`}>
              <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-2">
                <h2 className="text-lg font-bold">{fieldName}</h2>
                <p className="text-sm text-slate-600">{t("staffAppointments.counts", c)}</p>
              </header>
              <table className="w-full text-left text-sm">
                <thead className="text-slate-600">
                  <tr>
                    <th className="px-4 py-1.5 font-medium">{t("staffAppointments.slot")}</th>
                    <th className="px-4 py-1.5 font-medium">{t("staffAppointments.code")}</th>
                    <th className="px-4 py-1.5 font-medium">{t("staffAppointments.phone")}</th>
                    <th className="px-4 py-1.5 font-medium">{t("staffAppointments.status")}</th>
                    <th className="px-4 py-1.5 font-medium">{t("staffAppointments.ticket")}</th>
                  </tr>
                </thead>
                <tbody>
                  {appointments
                    .filter((a) => a.fieldId === fieldId)
                    .map((a) => (
                      <tr key={a.code} className="border-t border-slate-100">
                        <td className="px-4 py-1.5 font-semibold tabular-nums">{a.slotStart}</td>
                        <td className="px-4 py-1.5 font-mono">{formatBookingCode(a.code)}</td>
                        <td className="px-4 py-1.5 tabular-nums">••• {a.phoneEnd}</td>
                        <td className="px-4 py-1.5">
                          <span className={`rounded-full px-2 py-0.5 ring-1 ${STATUS_STYLE[a.status]}`}>{t(`staffAppointments.status.${a.status}`)}</span>
                        </td>
                        <td className="px-4 py-1.5">
                          {a.ticketCode ? `${a.ticketCode}${a.checkedInAt ? ` · ${formatTime(a.checkedInAt)}` : ""}` : ""}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          );
        })}
      </main>
    </div>
  );
}
