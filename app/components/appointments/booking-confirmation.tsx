import { Link } from "react-router";
import { t } from "../../../server/i18n";
import type { BookingConfirmation as Booking } from "../../../server/appointments/booking";
import { formatBookingCode } from "../../../server/appointments/slots";

/** "Thứ Hai 30/11/2026" of a service day (YYYY-MM-DD). */
export function longDay(day: string) {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return `${t(`booking.weekday.${weekday}` as "booking.weekday.0")} ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** The booking as the citizen keeps it: the code large, its QR for the kiosk's scanner, when and where, how to cancel. */
export function BookingConfirmation({ booking, qr }: { booking: Booking; qr: string }) {
  const weekday = new Date(`${booking.day}T12:00:00Z`).getUTCDay();
  const day = `${booking.day.slice(8, 10)}/${booking.day.slice(5, 7)}/${booking.day.slice(0, 4)}`;
  return (
    <section data-testid="booking-confirmation" aria-labelledby="booking-done" className="mt-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="booking-done" className="text-xl font-bold text-emerald-800">
        {t("booking.done")}
      </h2>
      <p className="mt-3 text-sm text-slate-600">{t("booking.yourCode")}</p>
      <p data-testid="booking-code" data-code={booking.code} className="font-mono text-4xl font-black tracking-wider text-brand-800">
        {formatBookingCode(booking.code)}
      </p>
      <img src={qr} alt={t("booking.qrAlt", { code: booking.code })} data-testid="booking-qr" width={220} height={220} className="mx-auto mt-3 h-56 w-56" />
      <p className="mt-3 rounded-lg bg-brand-50 px-3 py-2 text-center font-semibold text-brand-900 ring-1 ring-brand-200">{t("booking.bring")}</p>
      <p className="mt-2 text-sm text-slate-600">{t("booking.bringHint")}</p>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-slate-800">
        <dt className="text-slate-600">{t("booking.when")}</dt>
        <dd className="font-semibold" data-testid="booking-when">
          {t("booking.whenValue", { time: booking.slotStart, minutes: booking.slotMinutes, weekday: t(`booking.weekday.${weekday}` as "booking.weekday.0"), day })}
        </dd>
        <dt className="text-slate-600">{t("booking.fieldLabel")}</dt>
        <dd>{booking.fieldName}</dd>
        {booking.procedureName ? (
          <>
            <dt className="text-slate-600">{t("booking.procedureLabel")}</dt>
            <dd>{booking.procedureName}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">{t("booking.centreLabel")}</dt>
        <dd>
          {booking.centreName}
          {booking.centreAddress ? <span className="block text-sm text-slate-600">{booking.centreAddress}</span> : null}
        </dd>
      </dl>
      <p className="mt-4 text-sm text-slate-700">{t("booking.window")}</p>
      <p className="mt-2 text-sm text-slate-700">{t("booking.howToCancel")}</p>
      <div className="mt-4 flex flex-wrap gap-3">
        <Link to="/dat-lich/huy" className="rounded-lg px-4 py-2.5 font-semibold text-brand-800 ring-1 ring-brand-300">
          {t("booking.cancelLink")}
        </Link>
        <Link to="/dat-lich" reloadDocument className="rounded-lg px-4 py-2.5 font-semibold text-slate-700 ring-1 ring-slate-300">
          {t("booking.again")}
        </Link>
      </div>
    </section>
  );
}
