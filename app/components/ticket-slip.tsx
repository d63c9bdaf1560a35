import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import type { SlipData } from "../../server/tracking/slip";

export type Slip = SlipData;

/** The 80 mm paper ticket, the same at the kiosk and at reception: printed only (see the print rules in app.css). */
export function TicketSlip({ slip }: { slip: Slip }) {
  return (
    <div className="print-only ticket-slip text-center text-black" data-testid="ticket-slip">
      <p className="text-sm leading-tight">{slip.centreName}</p>
      <p className="mt-1 text-base font-bold">{t("slip.title")}</p>
      <p className="my-1 text-7xl leading-none font-black tabular-nums" data-testid="slip-code">
        {slip.code}
      </p>
      <p className="text-lg leading-tight font-semibold">{slip.fieldName}</p>
      {slip.priorityClassName ? <p className="text-base">{t("kiosk.ticketPriority", { name: slip.priorityClassName })}</p> : null}
      <p className="mt-1 text-sm">{t("slip.issuedAt", { time: formatDateTime(slip.issuedAt) })}</p>
      {slip.peopleAhead !== null ? (
        <div className="mt-1 text-base leading-snug font-semibold" data-testid="slip-ahead">
          {slip.estimatedWaitMinutes === null ? (
            <p>{t("slip.unserved")}</p>
          ) : slip.peopleAhead > 0 ? (
            <>
              <p>{t("slip.ahead", { n: slip.peopleAhead })}</p>
              <p>{t("slip.estimate", { m: slip.estimatedWaitMinutes })}</p>
            </>
          ) : (
            <p>{t("slip.aheadNone")}</p>
          )}
        </div>
      ) : null}
      <img src={slip.qr} alt={slip.trackingUrl} className="mx-auto mt-2 block h-36 w-36" data-testid="slip-qr" />
      <p className="text-xs">{t("slip.scan")}</p>
      {slip.dossierCodes.map((code) => (
        <p key={code} className="mt-1 font-mono text-sm font-bold" data-testid="slip-dossier">
          {t("slip.dossier", { code })}
        </p>
      ))}
      <p className="mt-2 text-xs">{t("slip.keep")}</p>
    </div>
  );
}
