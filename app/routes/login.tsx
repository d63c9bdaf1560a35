import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useEffect } from "react";
import { data, Form, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { setCookie } from "../../server/auth/cookies";
import { loginInput } from "../../server/auth/login-input";
import { endSession } from "../../server/auth/session";
import { isAppError } from "../../server/errors";
import { Brand } from "../components/brand";
import { safeRedirect, startPage } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { readForm } from "../lib/actions.server";
import type { Route } from "./+types/login";

const schema = loginInput.extend({ redirectTo: z.string().max(2000).optional() });

export const meta: Route.MetaFunction = () => [{ title: `${t("login.title")} · ${t("app.name")}` }];

export function loader({ context }: Route.LoaderArgs) {
  if (context.auth.user) throw redirect(startPage(context.auth.user.role));
  return null;
}

/** Where a browser keeps a Secure cookie: over HTTPS, or on this machine itself. */
function secureContext(request: Request) {
  const url = new URL(request.url);
  return url.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { services } = context;
  try {
    const { token, session, user } = await services.login.login({
      username: submission.value.username,
      password: submission.value.password,
      address: context.clientAddress,
      userAgent: request.headers.get("user-agent"),
      replaces: context.auth.session?.id,
    });
    const secure = services.config.cookieSecure;
    // A Secure cookie over plain HTTP (not localhost) is dropped by the browser: say so instead of looping back here.
    if (secure && !secureContext(request)) {
      await endSession(services, session.id);
      const url = new URL(request.url);
      return data(submission.reply({ formErrors: [t("login.insecure", { host: url.host })], hideFields: ["password"] }), { status: 400 });
    }
    return redirect(safeRedirect(submission.value.redirectTo, startPage(user.role)), {
      headers: { "Set-Cookie": setCookie("session", token, session.expiresAt, { secure }) },
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    const headers = error.code === "too_many_attempts" ? { "Retry-After": String(error.params.seconds ?? 60) } : undefined;
    return data(submission.reply({ formErrors: [error.message], hideFields: ["password"] }), { status: error.status, headers });
  }
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const busy = navigation.state !== "idle";
  // After a refused attempt the password is typed again from scratch; the username stays.
  useEffect(() => {
    if (!lastResult?.error?.[""]) return;
    const password = document.getElementById(fields.password.id) as HTMLInputElement | null;
    if (password) {
      password.value = "";
      password.focus();
    }
  }, [lastResult, fields.password.id]);

  return (
    <main className="grid min-h-screen place-items-center bg-gradient-to-b from-brand-50 to-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Brand subtitle={t("app.centreFallback")} />
        </div>
        <Form method="post" {...getFormProps(form)} className="rounded-2xl bg-white p-7 shadow-lg ring-1 ring-slate-200">
          <h1 className="text-2xl font-bold">{t("login.title")}</h1>
          <p className="mt-1 text-sm text-slate-500">{t("login.subtitle")}</p>
          {form.errors?.length ? (
            <p id={form.errorId} role="alert" className="mt-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
              {form.errors.join(" ")}
            </p>
          ) : null}
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <label className="mt-5 block text-sm font-medium" htmlFor={fields.username.id}>
            {t("login.username")}
          </label>
          <input
            {...getInputProps(fields.username, { type: "text" })}
            autoComplete="username"
            autoFocus
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 text-base aria-[invalid]:border-red-500"
          />
          {fields.username.errors ? <p id={fields.username.errorId} className="mt-1 text-sm text-red-700">{fields.username.errors[0]}</p> : null}
          <label className="mt-4 block text-sm font-medium" htmlFor={fields.password.id}>
            {t("login.password")}
          </label>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            autoComplete="current-password"
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2.5 text-base aria-[invalid]:border-red-500"
          />
          {fields.password.errors ? <p id={fields.password.errorId} className="mt-1 text-sm text-red-700">{fields.password.errors[0]}</p> : null}
          <button
            type="submit"
            disabled={busy}
            className="mt-6 w-full rounded-lg bg-brand-700 py-3 text-base font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {busy ? t("login.submitting") : t("login.submit")}
          </button>
        </Form>
      </div>
    </main>
  );
}
