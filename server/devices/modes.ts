/** What a device reported of its modes, in words (the administrator's list and the supervisor's board; runs in the browser too). */
import { t } from "../i18n";
import { formatTime } from "../time";

/** The reported modes in words, one line each ("Đọc số: ghi âm sẵn", "In phiếu: có"…), and when they were reported. */
export function describeModes(modes: Record<string, string> | null | undefined): { lines: string[]; at: string | null } {
  if (!modes) return { lines: [], at: null };
  const lines: string[] = [];
  if (modes.voice === "speech") lines.push(t("devices.mode.voice.speech", { name: modes.voiceName ?? "" }));
  else if (modes.voice === "clips" || modes.voice === "silent") lines.push(t(`devices.mode.voice.${modes.voice}`));
  if (modes.print === "on" || modes.print === "off") {
    const printing = modes.kioskPrinting === "yes" || modes.kioskPrinting === "no" ? ` (${t(`devices.mode.kioskPrinting.${modes.kioskPrinting}`)})` : "";
    lines.push(t(`devices.mode.print.${modes.print}`) + printing);
  }
  if (modes.counter) lines.push(modes.counter === "none" ? t("devices.mode.counterNone") : t("devices.mode.counter", { n: modes.counter }));
  if (modes.screen) lines.push(t("devices.mode.screen", { size: modes.screen.replace("x", "×") }));
  return { lines, at: modes.at ? formatTime(modes.at) : null };
}
