import QRCode from "qrcode";
import { data, Form, Link, useNavigation } from "react-router";
import { bookAppointment, type BookingConfirmation as Booking } from "../../server/appointments/booking";
import { appointmentSlots, bookableDays, bookingChoices, BOOKING_HORIZON_DAYS, type DaySlots } from "../../server/appointments/days";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { BookingConfirmation, longDay } from "../components/appointments/booking-confirmation";
import { Brand } from "../components/brand";
import { readForm } from "../lib/actions.server";
import type { Route } from "./+types/booking";

export const meta: Route.MetaFunction = () => [{ title: `${t("booking.title")} · ${t("app.name")}` }];

const num = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null);

/**
 * The steps are links (?c=centre&f=field&d=day), so the page works on any phone without
 * scripts; the last step is the form with the slot and the phone.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { services, clientAddress: address } = context;
  const params = new URL(request.url).searchParams;
  const centres = await bookingChoices(services, { address });
  const centre = centres.find((c) => c.id === num(params.get("c"))) ?? (centres.length === 1 ? centres[0]! : null);
  const field = centre?.fields.find((f) => f.id === num(params.get("f"))) ?? null;
  let days: Array<{ day: string; left: number }> = [];
  let slots: DaySlots | null = null;
  let refusal: string | null = null;
  const day = params.get("d");
  try {
    if (field) days = (await bookableDays(services, { fieldId: field.id, address })).days;
    if (field && day) slots = await appointmentSlots(services, { fieldId: field.id, day, address });
  } catch (error) {
    if (!isAppError(error)) throw error;
    refusal = error.message;
  }
  return { centres, several: centres.length > 1, centre, field, days, day: slots ? day : null, slots, refusal };
}

type Answer = { booking?: Booking; qr?: string; error?: string };

export async function action({ context, request }: Route.ActionArgs) {
  const form = await readForm(request);
  try {
    const booking = await bookAppointment(context.services, {
      fieldId: String(form.get("fieldId") ?? ""),
      procedureId: String(form.get("procedureId") ?? "") || null,
      day: String(form.get("day") ?? ""),
      slotStart: String(form.get("slotStart") ?? ""),
      phone: String(form.get("phone") ?? ""),
      address: context.clientAddress,
    });
    // The QR holds the code alone: the kiosk's scanner types it like a keyboard.
    const qr = await QRCode.toDataURL(booking.code, { margin: 1, width: 240, errorCorrectionLevel: "M" });
    return { booking, qr } satisfies Answer;
  } catch (error) {
    if (isAppError(error)) return data({ error: error.message } satisfies Answer, { status: error.status });
    throw error;
  }
}

const card = "mt-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200";
const choice = "block rounded-xl px-4 py-3 ring-1 ring-slate-300 active:bg-brand-50";

export default function BookingPage({ loaderData, actionData }: Route.ComponentProps) {
  const { centres, several, centre, field, days, day, slots, refusal } = loaderData;
  const answer = actionData as Answer | undefined;
  const navigation = useNavigation();
  const link = (q: Record<string, number | string | undefined>) =>
    `/dat-lich?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]))}`;
  const base = { c: centre?.id };

  return (
    <main className="min-h-screen bg-slate-100 px-4 py-6">
      <div className="mx-auto w-full max-w-lg">
        <Brand />
        <h1 className="mt-5 text-2xl font-bold">{t("booking.title")}</h1>
        {answer?.booking && answer.qr ? (
          <BookingConfirmation booking={answer.booking} qr={answer.qr} />
        ) : (
          <>
            <p className="mt-1 text-slate-600">{t("booking.intro")}</p>
            {centres.length === 0 ? <p className={card}>{t("booking.noFields")}</p> : null}

            {several ? (
              <Step title={t("booking.centre")} chosen={centre?.name} change={centre ? "/dat-lich" : undefined}>
                <ul className="space-y-2">
                  {centres.map((c) => (
                    <li key={c.id}>
                      <Link to={link({ c: c.id })} className={choice}>
                        <span className="font-semibold">{c.name}</span>
                        {c.address ? <span className="block text-sm text-slate-600">{c.address}</span> : null}
                      </Link>
                    </li>
                  ))}
                </ul>
              </Step>
            ) : null}

            {centre ? (
              <Step title={t("booking.field")} chosen={field?.name} change={field ? link(base) : undefined}>
                <ul className="space-y-2" data-testid="booking-fields">
                  {centre.fields.map((f) => (
                    <li key={f.id}>
                      <Link to={link({ ...base, f: f.id })} className={choice}>
                        <span className="font-semibold">{f.name}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </Step>
            ) : null}

            {field ? (
              <Step title={t("booking.day")} chosen={day ? longDay(day) : undefined} change={day ? link({ ...base, f: field.id }) : undefined}>
                {days.length === 0 ? (
                  <p>{t("booking.noDays", { days: BOOKING_HORIZON_DAYS })}</p>
                ) : (
                  <ul className="grid grid-cols-2 gap-2" data-testid="booking-days">
                    {days.map((d) => (
                      <li key={d.day}>
                        <Link
                          to={link({ ...base, f: field.id, d: d.day })}
                          data-day={d.day}
                          className={`${choice} ${d.left === 0 ? "text-slate-500" : ""}`}
                          aria-disabled={d.left === 0 || undefined}
                        >
                          <span className="block font-semibold">{longDay(d.day)}</span>
                          <span className="text-sm">{d.left > 0 ? t("booking.left", { n: d.left }) : t("booking.full")}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </Step>
            ) : null}

            {refusal ? (
              <p role="alert" className="mt-4 rounded-xl bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
                {refusal}
              </p>
            ) : null}

            {field && slots && day ? (
              <Form method="post" className={card} data-testid="booking-form">
                <input type="hidden" name="fieldId" value={field.id} />
                <input type="hidden" name="day" value={day} />
                <fieldset>
                  <legend className="text-lg font-bold">{t("booking.slot")}</legend>
                  {slots.slots.every((s) => s.left === 0) ? <p className="mt-2">{t("booking.noSlots")}</p> : null}
                  <div className="mt-2 grid grid-cols-3 gap-2">
                    {slots.slots.map((s) => (
                      <label
                        key={s.start}
                        className={`flex flex-col items-center rounded-xl px-2 py-2 ring-1 has-checked:bg-brand-700 has-checked:text-white has-checked:ring-brand-700 ${
                          s.left === 0 ? "bg-slate-100 text-slate-400 ring-slate-200" : "ring-slate-300"
                        }`}
                      >
                        <input type="radio" name="slotStart" value={s.start} required disabled={s.left === 0} className="sr-only" />
                        <span className="text-lg font-bold tabular-nums">{s.start}</span>
                        <span className="text-xs">{s.left > 0 ? t("booking.left", { n: s.left }) : t("booking.full")}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
                {field.procedures.length > 0 ? (
                  <label className="mt-4 block text-sm font-medium">
                    {t("booking.procedure")}
                    <select name="procedureId" className="mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2.5">
                      <option value="">{t("booking.procedureAny")}</option>
                      {field.procedures.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                <label className="mt-4 block text-sm font-medium">
                  {t("booking.phone")}
                  <input
                    name="phone"
                    type="tel"
                    required
                    inputMode="tel"
                    autoComplete="tel"
                    placeholder="09xx xxx xxx"
                    className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2.5 text-lg tracking-wide"
                  />
                </label>
                <p className="mt-1 text-xs text-slate-600">{t("booking.phoneHint")}</p>
                {answer?.error ? (
                  <p role="alert" data-testid="booking-error" className="mt-3 rounded-xl bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
                    {answer.error}
                  </p>
                ) : null}
                <button
                  type="submit"
                  disabled={navigation.state === "submitting"}
                  className="mt-4 w-full rounded-lg bg-brand-700 px-4 py-3 text-lg font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
                >
                  {t("booking.submit")}
                </button>
              </Form>
            ) : null}
            <p className="mt-6 text-center">
              <Link to="/dat-lich/huy" className="font-medium text-brand-800 underline">
                {t("booking.cancelLink")}
              </Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}

/** A step of the booking: its choices, or what was chosen with a link to change it. */
function Step({ title, chosen, change, children }: { title: string; chosen?: string; change?: string; children: React.ReactNode }) {
  return (
    <section className="mt-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="text-lg font-bold">{title}</h2>
        {chosen && change ? (
          <Link to={change} className="text-sm font-medium text-brand-800 underline">
            {t("booking.change")}
          </Link>
        ) : null}
      </div>
      {chosen ? <p className="mt-1 font-semibold text-brand-900">{chosen}</p> : <div className="mt-3">{children}</div>}
    </section>
  );
}
