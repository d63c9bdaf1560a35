/** Words of the printed forms that pages show too (no Node modules here: the browser bundles it). */
import { t } from "../i18n";
import { formatDateTime } from "../time";

/** "16 giờ 05 phút, ngày 01/12/2026". */
export function spelledTime(iso: string) {
  const [time, day] = formatDateTime(iso).split(" ") as [string, string];
  const [h, m] = time.split(":");
  return t("receipt.at", { h: h!, m: m!, day });
}
