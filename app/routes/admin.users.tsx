import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { roleEnum } from "../../db/schema";
import { assignableRoles, createUser, listStaff, resetPassword, setUserActive, updateUser } from "../../server/admin/users";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { formatDateTime } from "../../server/time";
import { ActionMessage } from "../components/action-message";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.users";

export const meta: Route.MetaFunction = () => [{ title: `${t("admin.users.title")} · ${t("app.name")}` }];

const role = z.enum(roleEnum.enumValues, { error: t("admin.user.error.role") });
const createSchema = z.object({
  intent: z.literal("create"),
  username: plainText(40, { required: t("admin.user.error.username") }),
  fullName: plainText(200, { required: t("admin.user.error.fullName") }),
  role,
  password: plainText(1000, { required: t("admin.user.error.password") }),
});
const editSchema = z.object({
  intent: z.literal("edit"),
  userId: id,
  fullName: plainText(200, { required: t("admin.user.error.fullName") }),
  role,
});
const resetSchema = z.object({ intent: z.literal("reset"), userId: id, newPassword: plainText(1000, { required: t("admin.user.error.password") }) });
const activeSchema = z.object({ intent: z.enum(["disable", "enable"]), userId: id });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "users.manage");
  const staff = await listStaff(context.services, actor);
  return {
    user,
    roles: assignableRoles(actor),
    staff: staff.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt?.toISOString() ?? null })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "users.manage");
  const { services } = context;
  const formData = await readForm(request);
  switch (formData.get("intent")) {
    case "create":
      return respond(formData, createSchema, { form: "create", resetForm: true }, async ({ intent: _i, ...input }) => {
        const result = await createUser(services, actor, input);
        return result.ok ? { message: t("admin.users.created", { username: result.value.username }) } : { fieldErrors: result.fieldErrors };
      });
    case "edit":
      return respond(formData, editSchema, { form: `edit-${formData.get("userId")}` }, async ({ userId, fullName, role }) => {
        const result = await updateUser(services, actor, { userId, fullName, role });
        return result.ok ? { message: t("admin.users.saved", { username: result.value.username }) } : { fieldErrors: result.fieldErrors };
      });
    case "reset":
      return respond(formData, resetSchema, { form: `reset-${formData.get("userId")}`, resetForm: true }, async ({ userId, newPassword }): Promise<{ message: string } | { fieldErrors: Record<string, string[]> }> => {
        const result = await resetPassword(services, actor, { userId, newPassword });
        if (!result.ok) return { fieldErrors: result.fieldErrors };
        const [target] = (await listStaff(services, actor)).filter((s) => s.id === userId);
        return { message: t("admin.users.passwordReset", { username: target?.username ?? "", n: result.value.sessionsEnded }) };
      });
    case "disable":
    case "enable":
      return respond(formData, activeSchema, { form: "active" }, async ({ intent, userId }) => {
        await setUserActive(services, actor, { userId, active: intent === "enable" });
        const [target] = (await listStaff(services, actor)).filter((s) => s.id === userId);
        return { message: t(intent === "enable" ? "admin.users.enabled" : "admin.users.disabled", { username: target?.username ?? "" }) };
      });
    default:
      throw data({ message: t("error.bad_request") }, { status: 400 });
  }
}

type Reply = ActionReply;
type Staff = Route.ComponentProps["loaderData"]["staff"][number];

const input = "mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base";
const button = "whitespace-nowrap rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50";

export default function Users({ loaderData }: Route.ComponentProps) {
  const fetcher = useFetcher<Reply>();
  const reply = fetcher.data;
  const [form, fields] = useForm({
    id: "create",
    defaultValue: { role: "officer" },
    // As soon as the answer arrives, not once the page's data has reloaded too: a name typed for
    // the next one in between would be wiped by the reset of the one just created.
    lastResult: reply?.form === "create" ? reply.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
    shouldRevalidate: "onInput",
  });
  const [editing, setEditing] = useState<{ id: number; what: "edit" | "reset" } | null>(null);
  const { roles, staff, user } = loaderData;

  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-6xl p-6">
        <h1 className="text-2xl font-bold">{t("admin.users.title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t("admin.users.intro")}</p>
        <ActionMessage reply={reply?.form === "create" ? undefined : reply} reserve={false} className="mt-4" />

        <section aria-labelledby="new-user" className="mt-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="new-user" className="text-lg font-semibold">
            {t("admin.users.new")}
          </h2>
          <fetcher.Form method="post" {...getFormProps(form)} className="mt-3 grid gap-4 md:grid-cols-2 lg:grid-cols-4">
            <input type="hidden" name="intent" value="create" />
            <FormField label={t("admin.user.fullName")} id={fields.fullName.id} errors={fields.fullName.errors}>
              <input {...getInputProps(fields.fullName, { type: "text" })} autoComplete="off" className={input} />
            </FormField>
            <FormField label={t("admin.user.username")} id={fields.username.id} errors={fields.username.errors} hint={t("admin.user.username.hint")}>
              <input {...getInputProps(fields.username, { type: "text" })} autoComplete="off" autoCapitalize="none" spellCheck={false} className={input} />
            </FormField>
            <FormField label={t("admin.user.role")} id={fields.role.id} errors={fields.role.errors}>
              <select {...getSelectProps(fields.role)} className={input}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`home.role.${r}`)}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField label={t("admin.user.password")} id={fields.password.id} errors={fields.password.errors} hint={t("admin.user.password.hint")}>
              <input {...getInputProps(fields.password, { type: "text" })} autoComplete="new-password" spellCheck={false} className={input} />
            </FormField>
            <div className="md:col-span-2 lg:col-span-4">
              {form.errors ? <p className="mb-2 text-red-700">{form.errors[0]}</p> : null}
              {reply?.form === "create" && reply.message ? (
                <p role="status" className="mb-2 text-emerald-800">
                  {reply.message}
                </p>
              ) : null}
              <button type="submit" className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
                {t("admin.users.create")}
              </button>
            </div>
          </fetcher.Form>
        </section>

        <table className="mt-6 w-full overflow-hidden rounded-xl bg-white text-left shadow-sm ring-1 ring-slate-200">
          <thead className="bg-slate-50 text-sm text-slate-600">
            <tr>
              <th className="px-4 py-3">{t("admin.users.col.name")}</th>
              <th className="px-4 py-3">{t("admin.users.col.username")}</th>
              <th className="px-4 py-3">{t("admin.users.col.role")}</th>
              <th className="px-4 py-3">{t("admin.users.col.where")}</th>
              <th className="px-4 py-3 text-right">{t("admin.users.col.actions")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {staff.map((s) => (
              <StaffRow
                key={s.id}
                person={s}
                self={s.id === user.id}
                roles={roles}
                open={editing?.id === s.id ? editing.what : null}
                onOpen={(what) => setEditing(what ? { id: s.id, what } : null)}
              />
            ))}
          </tbody>
        </table>
      </main>
    </div>
  );
}

/** A labelled input with its hint and its error below, outside the label (so the label names only the input). */
function FormField({ label, id, errors, hint, children }: { label: string; id: string; errors?: string[]; hint?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {children}
      {hint ? <span className="mt-1 text-xs text-slate-500">{hint}</span> : null}
      {errors ? (
        <span className="mt-1 text-red-700" data-testid={`error-${id}`}>
          {errors[0]}
        </span>
      ) : null}
    </div>
  );
}

function StaffRow({
  person,
  self,
  roles,
  open,
  onOpen,
}: {
  person: Staff;
  self: boolean;
  roles: readonly string[];
  open: "edit" | "reset" | null;
  onOpen: (what: "edit" | "reset" | null) => void;
}) {
  const fetcher = useFetcher<Reply>();
  const reply = fetcher.data;
  const error = reply?.result.status === "error" ? Object.values(reply.result.error ?? {}).flat()[0] : undefined;
  const editable = roles.includes(person.role);
  return (
    <tr className={person.isActive ? "" : "bg-slate-50 text-slate-500"} data-testid={`user-${person.username}`}>
      <td className="px-4 py-3 align-top">
        {open === "edit" ? (
          <fetcher.Form method="post" className="flex flex-col gap-2" onSubmit={() => onOpen(null)}>
            <input type="hidden" name="intent" value="edit" />
            <input type="hidden" name="userId" value={person.id} />
            <label className="text-sm font-medium">
              {t("admin.user.fullName")}
              <input name="fullName" defaultValue={person.fullName} required className={`${input} w-full`} />
            </label>
            <label className="text-sm font-medium">
              {t("admin.user.role")}
              <select name="role" defaultValue={person.role} disabled={self} className={`${input} w-full`}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`home.role.${r as Staff["role"]}`)}
                  </option>
                ))}
              </select>
              {self ? <input type="hidden" name="role" value={person.role} /> : null}
            </label>
            <div className="flex gap-2">
              <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white">
                {t("admin.users.save")}
              </button>
              <button type="button" className={button} onClick={() => onOpen(null)}>
                {t("admin.queue.cancel")}
              </button>
            </div>
          </fetcher.Form>
        ) : (
          <span className="font-medium">
            {person.fullName} {self ? <span className="text-slate-500">{t("admin.users.you")}</span> : null}
          </span>
        )}
        {error ? <p className="mt-1 text-sm text-red-700">{error}</p> : null}
        {reply?.message ? (
          <p role="status" className="mt-1 text-sm text-emerald-800">
            {reply.message}
          </p>
        ) : null}
      </td>
      <td className="px-4 py-3 align-top font-mono text-sm">{person.username}</td>
      <td className="px-4 py-3 align-top whitespace-nowrap">{t(`home.role.${person.role}`)}</td>
      <td className="px-4 py-3 align-top text-sm">
        {!person.isActive ? (
          <span className="font-medium text-red-800">{t("admin.users.inactive")}</span>
        ) : (
          <>
            {person.counterNumber !== null ? <span className="mr-2 font-semibold">{t("admin.users.atCounter", { n: person.counterNumber })}</span> : null}
            {person.sessions > 0 && person.lastSeenAt ? (
              <span>
                {t("admin.users.signedIn", { n: person.sessions, time: formatDateTime(person.lastSeenAt) })}
                {person.lastAddress ? ` ${t("admin.users.signedInFrom", { address: person.lastAddress })}` : ""}
              </span>
            ) : (
              <span className="text-slate-500">{t("admin.users.notSignedIn")}</span>
            )}
          </>
        )}
      </td>
      <td className="px-4 py-3 align-top">
        {editable ? (
          <div className="flex justify-end gap-2">
            <button type="button" className={button} onClick={() => onOpen(open === "edit" ? null : "edit")}>
              {t("admin.users.edit")}
            </button>
            {open === "reset" ? (
              <fetcher.Form method="post" className="flex items-end gap-2" onSubmit={() => onOpen(null)}>
                <input type="hidden" name="intent" value="reset" />
                <input type="hidden" name="userId" value={person.id} />
                <label className="text-sm font-medium">
                  {t("admin.users.newPassword")}
                  <input name="newPassword" type="text" autoComplete="new-password" required className={`${input} w-48`} />
                </label>
                <button type="submit" className="rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold text-white">
                  {t("admin.users.save")}
                </button>
              </fetcher.Form>
            ) : (
              <button type="button" className={button} onClick={() => onOpen("reset")}>
                {t("admin.users.resetPassword")}
              </button>
            )}
            {self ? null : (
              <fetcher.Form method="post">
                <input type="hidden" name="userId" value={person.id} />
                {person.isActive ? (
                  <button
                    name="intent"
                    value="disable"
                    onClick={(event) => {
                      if (!window.confirm(t("admin.users.disableConfirm", { name: person.fullName }))) event.preventDefault();
                    }}
                    className="whitespace-nowrap rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
                  >
                    {t("admin.users.disable")}
                  </button>
                ) : (
                  <button name="intent" value="enable" className={button}>
                    {t("admin.users.enable")}
                  </button>
                )}
              </fetcher.Form>
            )}
          </div>
        ) : null}
      </td>
    </tr>
  );
}
