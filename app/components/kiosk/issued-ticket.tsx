import { useEffect, useRef, useState } from "react";
import { t } from "../../../server/i18n";
import { formatDateTime } from "../../../server/time";
import type { SlipData } from "../../../server/tracking/slip";

/**
 * What a kiosk shows after a tap (and the appointment check-in after its own): the code and a
 * large QR code of the ticket's tracking page — for a kiosk without paper, the QR is the slip —
 * and a countdown before the screen is ready for the next citizen.
 */
export function IssuedTicket({
  slip,
  printing,
  seconds,
  onDone,
  note,
}: {
  slip: SlipData;
  printing: boolean;
  seconds: number;
  onDone: () => void;
  /** A line under the field (the appointment check-in says where its ticket was placed). */
  note?: { text: string; tone: "priority" | "plain" };
}) {
  const [left, setLeft] = useState(seconds);
  // The page re-renders on every queue event: the countdown must not restart with it.
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  });
  useEffect(() => {
    if (left <= 0) {
      done.current();
      return;
    }
    const timer = setTimeout(() => setLeft(left - 1), 1_000);
    return () => clearTimeout(timer);
  }, [left]);

  return (
    <main className="no-print flex min-h-screen flex-col items-center bg-brand-900 px-8 py-10 text-white select-none">
      <p className="text-2xl text-brand-100">{slip.centreName}</p>
      <p role="status" data-testid="take-slip" className={`mt-4 text-center font-black ${printing ? "text-5xl text-amber-300" : "text-3xl text-white"}`}>
        {printing ? `${t("kiosk.takeSlip")} ↓` : t("kiosk.noPrint")}
      </p>
      <div className="mt-8 w-full max-w-3xl rounded-3xl bg-white p-10 text-center text-slate-900 shadow-2xl" data-testid="issued-ticket">
        <p className="text-3xl font-semibold">{t("kiosk.yourNumber")}</p>
        <p className="my-3 text-[11rem] leading-none font-black text-brand-800 tabular-nums" data-testid="ticket-code">
          {slip.code}
        </p>
        <p className="text-4xl font-bold">{slip.fieldName}</p>
        {note ? (
          <p
            className={`mt-3 inline-block rounded-lg px-3 py-1 text-2xl font-semibold ${note.tone === "priority" ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-800"}`}
            data-testid="ticket-placement"
          >
            {note.text}
          </p>
        ) : null}
        {slip.priorityClassName ? (
          <p className="mt-3 inline-block rounded-lg bg-amber-100 px-3 py-1 text-2xl font-semibold text-amber-900">
            {t("kiosk.ticketPriority", { name: slip.priorityClassName })}
          </p>
        ) : null}
        {slip.estimatedWaitMinutes === null ? (
          // No counter open for it yet: no "you are next", which would not be true.
          <p className="mt-4 rounded-xl bg-amber-50 px-4 py-3 text-2xl font-semibold text-amber-900" data-testid="ticket-estimate">
            {t("kiosk.unservedTicket")}
          </p>
        ) : (
          <>
            <p className="mt-4 text-3xl">{slip.peopleAhead ? t("kiosk.ahead", { n: slip.peopleAhead }) : t("kiosk.aheadNone")}</p>
            <p className="mt-1 text-3xl font-semibold" data-testid="ticket-estimate">
              {slip.peopleAhead ? t("kiosk.estimate", { m: slip.estimatedWaitMinutes }) : null}
            </p>
          </>
        )}
        <p className="mt-2 text-xl text-slate-600">{t("kiosk.issuedAt", { time: formatDateTime(slip.issuedAt) })}</p>
        <img src={slip.qr} alt={slip.trackingUrl} className="mx-auto mt-6 block h-[26rem] w-[26rem]" data-testid="kiosk-qr" />
        <p className="mt-2 text-2xl font-semibold">{t("kiosk.scanToTrack")}</p>
        <p className="mt-4 text-xl text-slate-600">{t("kiosk.watchScreen")}</p>
      </div>
      <p className="mt-8 text-2xl text-brand-100 tabular-nums" data-testid="kiosk-countdown">
        {t("kiosk.returnsIn", { s: Math.max(left, 0) })}
      </p>
      <button type="button" onClick={onDone} className="mt-4 w-full max-w-3xl rounded-2xl bg-white py-6 text-3xl font-bold text-brand-900 active:bg-brand-100">
        {t("kiosk.again")}
      </button>
    </main>
  );
}
