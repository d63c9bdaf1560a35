import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";

export type Slip = { code: string; fieldName: string; centreName: string; issuedAt: string; priorityClassName: string | null };

/** The 80 mm paper ticket: printed only (see the print rules in app.css). */
export function TicketSlip({ slip }: { slip: Slip }) {
  return (
    <div className="print-only text-center text-black" data-testid="ticket-slip">
      <p className="text-sm">{slip.centreName}</p>
      <p className="mt-2 text-base font-bold">{t("slip.title")}</p>
      <p className="my-2 text-6xl font-black">{slip.code}</p>
      <p className="text-lg font-semibold">{slip.fieldName}</p>
      {slip.priorityClassName ? <p className="text-base">{t("kiosk.ticketPriority", { name: slip.priorityClassName })}</p> : null}
      <p className="mt-2 text-sm">{t("slip.issuedAt", { time: formatDateTime(slip.issuedAt) })}</p>
      <p className="mt-2 text-xs">{t("slip.keep")}</p>
    </div>
  );
}
