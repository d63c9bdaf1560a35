import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { createDevice, issuePairingCode, listDevices, pairingPath, revokeDevice } from "../../server/devices/service";
import { isAppError } from "../../server/errors";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import type { Route } from "./+types/admin.devices";

export const meta: Route.MetaFunction = () => [{ title: `${t("devices.title")} · ${t("app.name")}` }];

const createSchema = z.object({
  intent: z.literal("create"),
  name: z.string({ error: t("validation.device_name_required") }).trim().min(1, t("validation.device_name_required")).max(100),
  kind: z.enum(["kiosk", "display"], { error: t("validation.device_kind") }),
});
const deviceSchema = z.object({
  intent: z.enum(["new-link", "revoke"]),
  deviceId: z.coerce.number().int().positive(),
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const user = requireUser(context, request, ["admin"]);
  const devices = await listDevices(context.services.db, user.centreId);
  return {
    user,
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      pairedAt: d.pairedAt?.toISOString() ?? null,
      lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
      revoked: d.revokedAt !== null,
      paired: d.tokenHash !== null,
    })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const user = requireUser(context, request, ["admin"]);
  const { services } = context;
  const formData = await request.formData();
  const link = (code: string) => `${new URL(request.url).origin}${pairingPath(code)}`;
  if (formData.get("intent") === "create") {
    const submission = parseWithZod(formData, { schema: createSchema });
    if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
    const { device, pairingCode } = await createDevice(services.db, { centreId: user.centreId, ...submission.value });
    return { result: submission.reply({ resetForm: true }), link: link(pairingCode), name: device.name };
  }
  const parsed = deviceSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return data({ error: t("error.bad_request") }, { status: 400 });
  try {
    if (parsed.data.intent === "new-link") {
      const { device, pairingCode } = await issuePairingCode(services.db, { deviceId: parsed.data.deviceId, centreId: user.centreId });
      return { link: link(pairingCode), name: device.name };
    }
    const device = await revokeDevice(services.db, { deviceId: parsed.data.deviceId, centreId: user.centreId });
    services.sockets.disconnectDevice(device.id);
    return { message: t("devices.revoked", { name: device.name }) };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.message }, { status: error.status });
    throw error;
  }
}

type ActionData = { result?: SubmissionResult<string[]>; link?: string; name?: string; message?: string; error?: string };

export default function Devices({ loaderData }: Route.ComponentProps) {
  const fetcher = useFetcher<ActionData>();
  const reply = fetcher.data;
  const [form, fields] = useForm({
    lastResult: fetcher.state === "idle" ? reply?.result : undefined,
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
        {reply?.message ? <p role="status" className="mt-4 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200">{reply.message}</p> : null}
        {reply?.error ? <p role="alert" className="mt-4 rounded-xl bg-red-50 p-3 text-red-900 ring-1 ring-red-200">{reply.error}</p> : null}

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
                  <td className="px-4 py-3 font-medium">{d.name}</td>
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
