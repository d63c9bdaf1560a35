/** What a kiosk tells the server of how it works (the device list shows it; server/devices/health.ts checks it). */
import type { DeviceModesReport } from "../../server/realtime/events";

/**
 * Its printing as the page it runs applies it (`printEnabled` of its loader data, when the page has
 * it). Whether Chromium prints without its dialog (--kiosk-printing) cannot be read by a page.
 */
export function kioskModes(data: object): DeviceModesReport {
  const printEnabled = "printEnabled" in data ? data.printEnabled : undefined;
  return typeof printEnabled === "boolean" ? { print: printEnabled ? "on" : "off" } : {};
}
