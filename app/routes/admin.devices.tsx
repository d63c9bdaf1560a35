import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { createDevice, issuePairingCode, listDevices, pairingPath, revokeDevice, setScreenFields } from "../../server/devices/service";
import { listFields } from "../../server/queue/field-settings";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { ActionMessage, replyText } from "../components/action-message";
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
  kind: z.enum(["kiosk", "display"], { error: t("validation.device_kind") }),
});
const deviceSchema = z.object({ deviceId: id });
const screenSchema = z.object({ deviceId: id, fieldIds: z.array(id).default([]) });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "devices.manage");
  const [devices, fields] = await Promise.all([listDevices(context.services, actor), listFields(context.services, actor)]);
  return {
    user,
    fields: fields.map((f) => ({ id: f.id, name: f.name })),
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      pairedAt: d.pairedAt?.toISOString() ?? null,
      lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
      revoked: d.revokedAt !== null,
      paired: d.tokenHash !== null,
      fieldIds: d.fieldIds ?? [],
    })),
  };
}

type Reply = ActionReply<{ link: string; name: string }>;

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "devices.manage");
  const { services } = context;
  const formData = await readForm(request);
  const link = (code: string) => `${new URL(request.url).origin}${pairingPath(code)}`;
  switch (formData.get("intent")) {
    case "create":
      return respond(formData, createSchema, { form: "create", resetForm: true }, async ({ kind, name }) => {
        const { device, pairingCode } = await createDevice(services, actor, { kind, name });
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
    lastResult: fetcher.state === "idle" && reply?.form === "create" ? reply.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
    shouldRevalidate: "onInput",
  });

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
            <select {...getSelectProps(fields.kind)} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base">
              <option value="kiosk">{t("pair.kind.kiosk")}</option>
              <option value="display">{t("pair.kind.display")}</option>
            </select>
            {fields.kind.errors ? <span className="mt-1 text-red-700">{fields.kind.errors[0]}</span> : null}
          </label>
          <button type="submit" className="mt-6 rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
            {t("devices.create")}
          </button>
        </fetcher.Form>

        {loaderData.devices.length === 0 ? (
          <p className="mt-6 text-slate-600">{t("devices.empty")}</p>
        ) : (
          <table className="mt-6 w-full overflow-hidden rounded-xl bg-white text-left shadow-sm ring-1 ring-slate-200">
            <thead className="bg-slate-50 text-sm text-slate-600">
              <tr>
                <th className="px-4 py-3">{t("devices.name")}</th>
                <th className="px-4 py-3">{t("devices.kind")}</th>
                <th className="px-4 py-3">{t("devices.status")}</th>
                <th className="px-4 py-3">{t("devices.lastSeen")}</th>
                <th className="px-4 py-3" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loaderData.devices.map((d) => (
                <tr key={d.id}>
                  <td className="px-4 py-3">
                    <span className="font-medium">{d.name}</span>
                    {d.kind === "display" && !d.revoked ? <ScreenFields device={d} fields={loaderData.fields} /> : null}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">{t(`pair.kind.${d.kind}`)}</td>
                  <td className="px-4 py-3">
                    {d.revoked
                      ? t("devices.status.revoked")
                      : d.paired && d.pairedAt
                        ? t("devices.status.paired", { date: formatDateTime(d.pairedAt) })
                        : t("devices.status.pending")}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : t("common.never")}</td>
                  <td className="px-4 py-3">
                    <div className="flex justify-end gap-2">
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
