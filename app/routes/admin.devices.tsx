import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { deviceOverview } from "../../server/devices/health";
import { createDevice, issuePairingCode, pairingPath, revokeDevice, setScreenFields } from "../../server/devices/service";
import { bindTabletCounter, countersForTablets, setKioskPrinting } from "../../server/devices/settings";
import { listFields } from "../../server/queue/field-settings";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { ActionMessage, replyText } from "../components/action-message";
import { DeviceConnection, DeviceModes, KioskPrinting, TabletCounter } from "../components/admin/device-parts";
import { StaffHeader } from "../components/staff-header";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import type { Route } from "./+types/admin.devices";

export const meta: Route.MetaFunction = () => [{ title: `${t("devices.title")} · ${t("app.name")}` }];

const createSchema = z.object({
  intent: z.literal("create"),
  name: plainText(100, { required: t("validation.device_name_required") })
    .trim()
    .min(1, t("validation.device_name_required")),
  kind: z.enum(["kiosk", "display", "rating"], { error: t("validation.device_kind") }),
  counterId: id.optional(),
});
const deviceSchema = z.object({ deviceId: id });
const screenSchema = z.object({ deviceId: id, fieldIds: z.array(id).default([]) });
const counterSchema = z.object({ deviceId: id, counterId: id });
const printingSchema = z.object({ deviceId: id, enabled: z.enum(["on", "off"]) });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "devices.manage");
  const [devices, fields, counters] = await Promise.all([
    deviceOverview(context.services, actor),
    listFields(context.services, actor),
    countersForTablets(context.services, actor),
  ]);
  return { user, fields: fields.map((f) => ({ id: f.id, name: f.name })), counters, devices };
}

type Reply = ActionReply<{ link: string; name: string }>;

/** A tablet's counter refused (none chosen, or already has a tablet): said next to the counter's choice. */
const counterErrors = { device_counter_required: "counterId", device_counter_taken: "counterId", counter_not_found: "counterId" } as const;

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "devices.manage");
  const { services } = context;
  const formData = await readForm(request);
  const link = (code: string) => `${new URL(request.url).origin}${pairingPath(code)}`;
  switch (formData.get("intent")) {
    case "create":
      return respond(formData, createSchema, { form: "create", resetForm: true, errorFields: counterErrors }, async ({ kind, name, counterId }) => {
        const { device, pairingCode } = await createDevice(services, actor, { kind, name, counterId: kind === "rating" ? counterId : null });
        return { link: link(pairingCode), name: device.name };
      });
    case "new-link":
      return respond(formData, deviceSchema, { form: "new-link" }, async ({ deviceId }) => {
        const { device, pairingCode } = await issuePairingCode(services, actor, { deviceId });
        return { link: link(pairingCode), name: device.name };
      });
    case "screen-fields":
      return respond(formData, screenSchema, { form: "screen-fields", errorFields: { field_not_found: "fieldIds" } }, async ({ deviceId, fieldIds }) => {
        const device = await setScreenFields(services, actor, { deviceId, fieldIds });
        return { message: t("devices.screenFieldsSaved", { name: device.name }) };
      });
    case "counter":
      return respond(formData, counterSchema, { form: "counter" }, async ({ deviceId, counterId }) => {
        const { device, counter } = await bindTabletCounter(services, actor, { deviceId, counterId });
        return { message: t("devices.counterSaved", { name: device.name, n: counter.number }) };
      });
    case "printing":
      return respond(formData, printingSchema, { form: "printing" }, async ({ deviceId, enabled }) => {
        const device = await setKioskPrinting(services, actor, { deviceId, enabled: enabled === "on" });
        return { message: t("devices.printSaved", { name: device.name, value: t(device.printEnabled ? "devices.print.on" : "devices.print.off") }) };
      });
    case "revoke":
      return respond(formData, deviceSchema, { form: "revoke" }, async ({ deviceId }) => {
        const device = await revokeDevice(services, actor, { deviceId });
        return { message: t("devices.revoked", { name: device.name }) };
      });
    default:
      throw data({ message: t("error.bad_request") }, { status: 400 });
  }
}

export default function Devices({ loaderData }: Route.ComponentProps) {
  const fetcher = useFetcher<Reply>();
  const reply = fetcher.data;
  const [form, fields] = useForm({
    id: "create",
    // As soon as the answer arrives, not once the page's data has reloaded too: a name typed for
    // the next one in between would be wiped by the reset of the one just created.
    lastResult: reply?.form === "create" ? reply.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
    shouldRevalidate: "onInput",
  });
  const [kind, setKind] = useState("kiosk");

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-6xl p-6">
        <h1 className="text-2xl font-bold">{t("devices.title")}</h1>
        {reply?.link ? (
          <div role="status" className="mt-4 rounded-xl bg-emerald-50 p-4 ring-1 ring-emerald-200">
            <p className="font-medium text-emerald-900">{t("devices.linkCreated", { name: reply.name ?? "" })}</p>
            <p className="mt-2 rounded bg-white px-3 py-2 font-mono text-sm break-all select-all" data-testid="pairing-link">
              {reply.link}
            </p>
          </div>
        ) : null}
        {reply?.form !== "create" && replyText(reply) ? <ActionMessage reply={reply} className="mt-4" /> : null}

        <fetcher.Form method="post" {...getFormProps(form)} className="mt-6 flex flex-wrap items-start gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <input type="hidden" name="intent" value="create" />
          <label className="flex min-w-64 flex-1 flex-col text-sm font-medium">
            {t("devices.name")}
            <input {...getInputProps(fields.name, { type: "text" })} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base" />
            {fields.name.errors ? <span className="mt-1 text-red-700">{fields.name.errors[0]}</span> : null}
          </label>
          <label className="flex flex-col text-sm font-medium">
            {t("devices.kind")}
            <select {...getSelectProps(fields.kind)} onChange={(e) => setKind(e.target.value)} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base">
              <option value="kiosk">{t("pair.kind.kiosk")}</option>
              <option value="display">{t("pair.kind.display")}</option>
              <option value="rating">{t("pair.kind.rating")}</option>
            </select>
            {fields.kind.errors ? <span className="mt-1 text-red-700">{fields.kind.errors[0]}</span> : null}
          </label>
          {kind === "rating" ? (
            <label className="flex flex-col text-sm font-medium">
              {t("devices.counter")}
              <select {...getSelectProps(fields.counterId)} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base">
                <option value="">{t("devices.counterChoose")}</option>
                {loaderData.counters.map((c) => (
                  <option key={c.id} value={c.id}>
                    {t("devices.counterOf", { n: c.number })}
                  </option>
                ))}
              </select>
              <span className="mt-1 text-xs font-normal text-slate-500">{t("devices.counterHint")}</span>
              {fields.counterId.errors ? <span className="mt-1 max-w-sm text-red-700">{fields.counterId.errors[0]}</span> : null}
            </label>
          ) : null}
          <button type="submit" className="mt-6 rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
            {t("devices.create")}
          </button>
        </fetcher.Form>

        {loaderData.devices.length === 0 ? (
          <p className="mt-6 text-slate-600">{t("devices.empty")}</p>
        ) : (
          <table className="mt-6 w-full overflow-hidden rounded-xl bg-white text-left shadow-sm ring-1 ring-slate-200" data-testid="device-list">
            <thead className="bg-slate-50 text-sm text-slate-600">
              <tr>
                <th className="px-4 py-3">{t("devices.name")}</th>
                <th className="px-4 py-3">{t("devices.connection")}</th>
                <th className="px-4 py-3">{t("devices.modes")}</th>
                <th className="px-4 py-3">{t("devices.status")}</th>
                <th className="px-4 py-3" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loaderData.devices.map((d) => (
                <tr key={d.id} className="align-top">
                  <td className="px-4 py-3">
                    <span className="font-medium">{d.name}</span>
                    <span className="block text-sm text-slate-500">{t(`pair.kind.${d.kind}`)}</span>
                    {d.kind === "display" && !d.revoked ? <ScreenFields device={d} fields={loaderData.fields} /> : null}
                    {d.kind === "rating" && !d.revoked ? <TabletCounter device={d} counters={loaderData.counters} /> : null}
                    {d.kind === "kiosk" && !d.revoked ? <KioskPrinting device={d} /> : null}
                  </td>
                  <td className="px-4 py-3">
                    <DeviceConnection device={d} />
                  </td>
                  <td className="px-4 py-3">
                    <DeviceModes modes={d.modes} />
                  </td>
                  <td className="px-4 py-3 text-sm">
                    {d.revoked
                      ? t("devices.status.revoked")
                      : d.paired && d.pairedAt
                        ? t("devices.status.paired", { date: formatDateTime(d.pairedAt) })
                        : t("devices.status.pending")}
                  </td>
                  <td className="px-4 py-3">
                    <div className="flex flex-col items-end gap-2">
                      <fetcher.Form method="post">
                        <input type="hidden" name="deviceId" value={d.id} />
                        <button name="intent" value="new-link" className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                          {t("devices.newLink")}
                        </button>
                      </fetcher.Form>
                      {!d.revoked ? (
                        <fetcher.Form method="post">
                          <input type="hidden" name="deviceId" value={d.id} />
                          <button
                            name="intent"
                            value="revoke"
                            onClick={(event) => {
                              if (!window.confirm(t("devices.revokeConfirm", { name: d.name }))) event.preventDefault();
                            }}
                            className="whitespace-nowrap rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50">
                            {t("devices.revoke")}
                          </button>
                        </fetcher.Form>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}

/** Which fields a waiting-room screen shows: all, or those chosen (a TV per floor, per area). */
function ScreenFields({ device, fields }: { device: { id: number; fieldIds: number[] }; fields: Array<{ id: number; name: string }> }) {
  const [open, setOpen] = useState(false);
  const fetcher = useFetcher<Reply>({ key: `screen-${device.id}` });
  const shown = device.fieldIds.length === 0 ? t("devices.screenAllFields") : fields.filter((f) => device.fieldIds.includes(f.id)).map((f) => f.name).join(", ");
  return (
    <div className="mt-1 text-sm text-slate-600">
      {t("devices.screenFields")}: {shown}{" "}
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} className="ml-1 font-medium text-brand-800 underline underline-offset-2">
        {open ? t("admin.queue.close") : t("devices.screenChoose")}
      </button>
      {open ? (
        <fetcher.Form method="post" className="mt-2 rounded-lg bg-slate-50 p-3" onSubmit={() => setOpen(false)}>
          <input type="hidden" name="intent" value="screen-fields" />
          <input type="hidden" name="deviceId" value={device.id} />
          <p className="text-xs text-slate-500">{t("devices.screenHint")}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            {fields.map((f) => (
              <label key={f.id} className="flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1 has-checked:border-brand-600 has-checked:bg-brand-50">
                <input type="checkbox" name="fieldIds" value={f.id} defaultChecked={device.fieldIds.includes(f.id)} />
                {f.name}
              </label>
            ))}
          </div>
          <button type="submit" className="mt-2 rounded-md bg-brand-700 px-3 py-1.5 font-semibold text-white hover:bg-brand-800">
            {t("devices.screenSave")}
          </button>
        </fetcher.Form>
      ) : null}
    </div>
  );
}
