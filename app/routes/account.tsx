import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { changeOwnPassword } from "../../server/auth/accounts";
import { endOwnSessions, listOwnSessions } from "../../server/auth/session";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { formatDateTime } from "../../server/time";
import { ActionMessage } from "../components/action-message";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/account";

export const meta: Route.MetaFunction = () => [{ title: `${t("account.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "account.self");
  const sessions = await listOwnSessions(context.services, actor, context.auth.session!.id);
  return { user, sessions: sessions.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), lastSeenAt: row.lastSeenAt.toISOString(), expiresAt: row.expiresAt.toISOString() })) };
}

const passwordForm = z
  .object({
    currentPassword: plainText(1000, { required: t("account.password.currentRequired") }),
    newPassword: plainText(1000, { required: t("account.password.newRequired") }),
    confirmPassword: plainText(1000, { required: t("account.password.confirmRequired") }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], error: t("account.password.mismatch") });
const sessionForm = z.object({ handle: z.string().regex(/^[0-9a-f]{16}$/).optional() });

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "account.self");
  const { services } = context;
  const currentSessionId = context.auth.session!.id;
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "password") {
    return respond(formData, passwordForm, { form: "password", resetForm: true }, async ({ currentPassword, newPassword }) => {
      const changed = await changeOwnPassword(services, actor, { currentPassword, newPassword, currentSessionId });
      return changed.ok ? { message: t("account.password.changed") } : { fieldErrors: changed.fieldErrors };
    });
  }
  if (intent !== "end-session" && intent !== "end-others") throw data({ message: t("error.bad_request") }, { status: 400 });
  return respond(formData, sessionForm, { form: intent }, async ({ handle }) => {
    const ended = await endOwnSessions(services, actor, { handle: intent === "end-session" ? handle : undefined, currentSessionId });
    return { message: t("account.sessions.ended", { n: ended }) };
  });
}

/** "Chrome trên Windows"-like, from the browser's own description (no library needed for a hint). */
function describeBrowser(userAgent: string | null) {
  if (!userAgent) return t("account.sessions.unknownBrowser");
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const system = /Windows/.test(userAgent) ? "Windows" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Mac OS/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  return browser && system ? t("account.sessions.browserOn", { browser, system }) : (browser ?? system ?? t("account.sessions.otherClient"));
}

export default function Account({ loaderData }: Route.ComponentProps) {
  const { user, sessions } = loaderData;
  const fetcher = useFetcher<ActionReply>();
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const [form, fields] = useForm<{ currentPassword: string; newPassword: string; confirmPassword: string }>({
    id: "password",
    lastResult: reply?.form === "password" ? reply.result : undefined,
  });
  const passwordInput = (meta: typeof fields.currentPassword, label: string, autoComplete: string) => (
    <div className="mt-3">
      <label htmlFor={meta.id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        {...getInputProps(meta, { type: "password" })}
        autoComplete={autoComplete}
        className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base aria-[invalid]:border-red-500"
      />
      {meta.errors ? (
        <p id={meta.errorId} className="mt-1 text-sm text-red-700">
          {meta.errors[0]}
        </p>
      ) : null}
    </div>
  );
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto grid max-w-6xl gap-6 p-6 lg:grid-cols-[22rem_1fr]">
        <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h1 className="text-xl font-bold">{t("account.title")}</h1>
          <p className="mt-1 text-slate-600">
            {user.fullName} · {user.username}
          </p>
          <h2 className="mt-5 text-lg font-semibold">{t("account.password.title")}</h2>
          <p className="text-sm text-slate-600">{t("account.password.hint")}</p>
          <fetcher.Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="password" />
            {passwordInput(fields.currentPassword, t("account.password.current"), "current-password")}
            {passwordInput(fields.newPassword, t("account.password.new"), "new-password")}
            {passwordInput(fields.confirmPassword, t("account.password.confirm"), "new-password")}
            <button type="submit" disabled={fetcher.state !== "idle"} className="mt-4 w-full rounded-lg bg-brand-700 py-2.5 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
              {t("account.password.submit")}
            </button>
          </fetcher.Form>
          {reply?.form === "password" && reply.message ? <ActionMessage reply={reply} className="mt-3" /> : null}
        </section>
        <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <div className="flex items-baseline justify-between gap-4">
            <h2 className="text-lg font-semibold">{t("account.sessions.title")}</h2>
            {sessions.length > 1 ? (
              <fetcher.Form method="post">
                <button name="intent" value="end-others" className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50">
                  {t("account.sessions.endOthers")}
                </button>
              </fetcher.Form>
            ) : null}
          </div>
          <p className="text-sm text-slate-600">{t("account.sessions.hint")}</p>
          {reply && reply.form !== "password" ? <ActionMessage reply={reply} className="mt-3" /> : null}
          <ul className="mt-3 divide-y divide-slate-100" data-testid="sessions">
            {sessions.map((row) => (
              <li key={row.handle} className="flex items-center justify-between gap-3 py-2.5">
                <span>
                  <span className="block font-medium">
                    {describeBrowser(row.userAgent)}
                    {row.current ? <span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs font-semibold text-emerald-900">{t("account.sessions.current")}</span> : null}
                  </span>
                  <span className="block text-sm text-slate-500">
                    {t("account.sessions.detail", { address: row.address ?? "?", since: formatDateTime(row.createdAt), last: formatDateTime(row.lastSeenAt) })}
                  </span>
                </span>
                {row.current ? null : (
                  <fetcher.Form method="post">
                    <input type="hidden" name="handle" value={row.handle} />
                    <button name="intent" value="end-session" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm whitespace-nowrap hover:bg-slate-50">
                      {t("account.sessions.end")}
                    </button>
                  </fetcher.Form>
                )}
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
