/** The pieces of a row of the administrator's device list: health, reported modes, a tablet's counter, a kiosk's printing. */
import { useFetcher } from "react-router";
import { describeModes } from "../../../server/devices/modes";
import { t } from "../../../server/i18n";
import { formatDateTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";

type Health = { online: boolean; since: string | null; connectedAt: string | null; paired: boolean; revoked: boolean };

/** On line since when, or off line since when (a device never connected says so). */
export function DeviceConnection({ device }: { device: Health }) {
  if (device.revoked || !device.paired) return <span className="text-sm text-slate-400">—</span>;
  if (device.online) {
    return (
      <span className="text-sm" data-testid="device-online">
        <span className="mr-1.5 inline-block size-2.5 rounded-full bg-emerald-500" aria-hidden />
        <span className="font-medium text-emerald-800">{t("devices.online")}</span>
        {device.connectedAt ? <span className="block text-slate-600">{t("devices.connectedSince", { time: formatDateTime(device.connectedAt) })}</span> : null}
      </span>
    );
  }
  return (
    <span className="text-sm font-medium text-red-800" data-testid="device-offline">
      <span className="mr-1.5 inline-block size-2.5 rounded-full bg-red-500" aria-hidden />
      {device.since ? t("devices.offlineSince", { time: formatDateTime(device.since) }) : t("devices.neverSeen")}
    </span>
  );
}

/** What the device last said of how it works, line by line, and when. */
export function DeviceModes({ modes }: { modes: Record<string, string> | null }) {
  const { lines, at } = describeModes(modes);
  if (lines.length === 0) return <span className="text-sm text-slate-400">{t("devices.modesNone")}</span>;
  return (
    <ul className="text-sm" data-testid="device-modes">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
      {at ? <li className="text-xs text-slate-500">{t("devices.mode.reportedAt", { time: at })}</li> : null}
    </ul>
  );
}

type Reply = ActionReply;

/** A rating tablet's counter, and another to choose (one tablet per counter: the service refuses a taken one). */
export function TabletCounter({ device, counters }: { device: { id: number; counterId: number | null }; counters: Array<{ id: number; number: number }> }) {
  const fetcher = useFetcher<Reply>({ key: `counter-${device.id}` });
  const refusal = fetcher.data?.result.status === "error" ? Object.values(fetcher.data.result.error ?? {}).flat()[0] : undefined;
  return (
    <fetcher.Form method="post" className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <input type="hidden" name="intent" value="counter" />
      <input type="hidden" name="deviceId" value={device.id} />
      <label className="flex items-center gap-2 whitespace-nowrap">
        {t("devices.counter")}
        <select name="counterId" defaultValue={device.counterId ?? ""} data-testid="tablet-counter" className="w-36 rounded-md border border-slate-300 px-2 py-1">
        <option value="">{t("devices.counterChoose")}</option>
        {counters.map((c) => (
          <option key={c.id} value={c.id}>
            {t("devices.counterOf", { n: c.number })}
          </option>
        ))}
        </select>
      </label>
      <button type="submit" className="whitespace-nowrap rounded-md border border-slate-300 px-2.5 py-1 font-medium hover:bg-slate-50">
        {t("devices.counterSave")}
      </button>
      {refusal ? (
        <span role="alert" className="basis-full text-red-700">
          {refusal}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

/** A kiosk's "In phiếu: có/không", with the switch. */
export function KioskPrinting({ device }: { device: { id: number; printEnabled: boolean } }) {
  const fetcher = useFetcher<Reply>({ key: `printing-${device.id}` });
  return (
    <fetcher.Form method="post" className="mt-1 flex items-center gap-2 text-sm text-slate-700">
      <input type="hidden" name="intent" value="printing" />
      <input type="hidden" name="deviceId" value={device.id} />
      <span data-testid="kiosk-printing">
        {t("devices.print")}: <strong>{t(device.printEnabled ? "devices.print.on" : "devices.print.off")}</strong>
      </span>
      <button type="submit" name="enabled" value={device.printEnabled ? "off" : "on"} className="rounded-md border border-slate-300 px-2.5 py-1 font-medium hover:bg-slate-50">
        {t(device.printEnabled ? "devices.printTurnOff" : "devices.printTurnOn")}
      </button>
    </fetcher.Form>
  );
}

