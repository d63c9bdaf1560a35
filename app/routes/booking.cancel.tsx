import { data, Form, Link, useNavigation, useSearchParams } from "react-router";
import { cancelAppointment, type BookingConfirmation } from "../../server/appointments/booking";
import { formatBookingCode } from "../../server/appointments/slots";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { longDay } from "../components/appointments/booking-confirmation";
import { Brand } from "../components/brand";
import { readForm } from "../lib/actions.server";
import type { Route } from "./+types/booking.cancel";

export const meta: Route.MetaFunction = () => [{ title: `${t("cancelBooking.title")} · ${t("app.name")}` }];

type Answer = { cancelled?: BookingConfirmation; error?: string };

// A POST, so the phone digits never sit in a URL or a log.
export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  try {
    const cancelled = await cancelAppointment(context.services, {
      code: String(form.get("code") ?? ""),
      phoneLast4: String(form.get("phone") ?? ""),
      address: context.clientAddress,
    });
    return { cancelled } satisfies Answer;
  } catch (error) {
    if (isAppError(error)) return data({ error: error.message } satisfies Answer, { status: error.status });
    throw error;
  }
}

export default function CancelBooking({ actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const answer = actionData as Answer | undefined;
  const done = answer?.cancelled;
  return (
    <main className="min-h-screen bg-slate-100 px-4 py-6">
      <div className="mx-auto w-full max-w-lg">
        <Brand />
        <h1 className="mt-5 text-2xl font-bold">{t("cancelBooking.title")}</h1>
        {done ? (
          <p role="status" data-testid="cancel-done" className="mt-4 rounded-xl bg-emerald-50 px-4 py-3 text-emerald-950 ring-1 ring-emerald-200">
            {t("cancelBooking.done", { code: formatBookingCode(done.code), time: done.slotStart, day: longDay(done.day), field: done.fieldName })}
          </p>
        ) : (
          <>
            <p className="mt-1 text-slate-600">{t("cancelBooking.intro")}</p>
            <Form method="post" className="mt-4 space-y-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <label className="block text-sm font-medium">
                {t("cancelBooking.code")}
                <input
                  name="code"
                  required
                  defaultValue={params.get("ma") ?? ""}
                  autoCapitalize="characters"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={14}
                  placeholder="ABCDE 23456"
                  className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 font-mono text-xl tracking-wider uppercase"
                />
              </label>
              <label className="block text-sm font-medium">
                {t("cancelBooking.phone")}
                <input name="phone" required inputMode="numeric" pattern="[0-9]{4}" maxLength={4} autoComplete="off" className="mt-1 block w-32 rounded-lg border border-slate-300 px-3 py-2.5 text-lg tracking-widest" />
              </label>
              {answer?.error ? (
                <p role="alert" data-testid="cancel-error" className="rounded-xl bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
                  {answer.error}
                </p>
              ) : null}
              <button type="submit" disabled={navigation.state === "submitting"} className="w-full rounded-lg bg-red-700 px-4 py-3 text-lg font-semibold text-white hover:bg-red-800 disabled:opacity-60">
                {t("cancelBooking.submit")}
              </button>
            </Form>
          </>
        )}
        <p className="mt-6 text-center">
          <Link to="/dat-lich" className="font-medium text-brand-800 underline">
            {t("cancelBooking.book")}
          </Link>
        </p>
      </div>
    </main>
  );
}
