import { useEffect, useRef } from "react";
import { useFetcher } from "react-router";
import { z } from "zod";
import type { CentreSnapshot, CounterSummary } from "../../server/realtime/events";
import { AppError } from "../../server/errors";
import { signInToCounter, signOutOfCounter } from "../../server/queue/counters";
import { getCentreSnapshot } from "../../server/queue/read";
import { callNextTicket, finishTicket } from "../../server/queue/service";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { attempt, requireUser } from "../lib/guards.server";
import { t } from "../lib/i18n";
import { formatTime } from "../lib/time";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/counter";

export const meta: Route.MetaFunction = () => [{ title: `${t("counter.title")} · ${t("app.name")}` }];

const STAFF = ["officer", "supervisor"] as const;

export async function loader({ context, request }: Route.LoaderArgs) {
  const user = requireUser(context, request, [...STAFF]);
  const snapshot = await getCentreSnapshot(context.services, user.centreId);
  return { user, snapshot };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-in"), counterId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("sign-out") }),
  z.object({ intent: z.literal("call-next"), counterId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("finish"), ticketId: z.coerce.number().int().positive() }),
]);

export async function action({ context, request }: Route.ActionArgs) {
  const user = requireUser(context, request, [...STAFF]);
  const { services } = context;
  return attempt(async () => {
    const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) throw new AppError("bad_request");
    const input = parsed.data;
    switch (input.intent) {
      case "sign-in": {
        const { counter } = await signInToCounter(services, { userId: user.id, centreId: user.centreId, counterId: input.counterId });
        return { ok: true as const, message: t("counter.signedIn", { counter: counter.number }) };
      }
      case "sign-out":
        await signOutOfCounter(services, { userId: user.id });
        return { ok: true as const, message: t("counter.signedOut") };
      case "call-next": {
        const { ticket } = await callNextTicket(services, { userId: user.id, counterId: input.counterId });
        return { ok: true as const, message: t("counter.called", { code: ticket.code }) };
      }
      case "finish": {
        const { ticket } = await finishTicket(services, { userId: user.id, centreId: user.centreId, ticketId: input.ticketId });
        return { ok: true as const, message: t("counter.finished", { code: ticket.code }) };
      }
    }
  });
}

export default function CounterPage({ loaderData }: Route.ComponentProps) {
  const { user } = loaderData;
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot);
  const mine = snapshot.counters.find((c) => c.officerId === user.id);
  return (
    <div className="flex min-h-screen flex-col">
      <StaffHeader user={user} centreName={snapshot.centre.name}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      {mine ? <Console counter={mine} snapshot={snapshot} /> : <ChooseCounter snapshot={snapshot} />}
    </div>
  );
}

function ActionMessage({ data }: { data: { ok: boolean; message?: string; error?: string } | undefined }) {
  if (!data) return null;
  return (
    <p
      role={data.ok ? "status" : "alert"}
      className={`rounded-lg px-4 py-2.5 text-base ${data.ok ? "bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200" : "bg-red-50 text-red-900 ring-1 ring-red-200"}`}
    >
      {data.ok ? data.message : data.error}
    </p>
  );
}

function ChooseCounter({ snapshot }: { snapshot: CentreSnapshot }) {
  const fetcher = useFetcher<typeof action>();
  const fieldName = (id: number) => snapshot.fields.find((f) => f.id === id)?.name ?? "";
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 p-6">
      <h1 className="text-2xl font-bold">{t("counter.choose")}</h1>
      <p className="mt-1 text-slate-600">{t("counter.choose.hint")}</p>
      <div className="mt-3 empty:hidden">
        <ActionMessage data={fetcher.data} />
      </div>
      <ul className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-5">
        {snapshot.counters.map((c) => (
          <li key={c.id} className="flex flex-col rounded-xl bg-white p-3.5 shadow-sm ring-1 ring-slate-200">
            <span className="text-xl font-bold">{c.name}</span>
            <span className="mt-1 flex-1 text-sm text-slate-600">
              {c.fieldIds.length === snapshot.fields.length && snapshot.fields.length > 1
                ? t("counter.allFields")
                : c.fieldIds.map(fieldName).join(", ")}
            </span>
            <span className={`mt-2 text-sm ${c.officerId ? "text-amber-700" : "text-emerald-700"}`}>
              {c.officerName ? t("counter.takenBy", { name: c.officerName }) : t("counter.free")}
            </span>
            <fetcher.Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="sign-in" />
              <input type="hidden" name="counterId" value={c.id} />
              <button
                type="submit"
                disabled={c.officerId !== null || fetcher.state !== "idle"}
                className="w-full rounded-lg bg-brand-700 py-2 font-semibold text-white hover:bg-brand-800 disabled:bg-slate-300 disabled:text-slate-600"
              >
                {t("counter.signIn")} {c.number}
              </button>
            </fetcher.Form>
          </li>
        ))}
      </ul>
    </main>
  );
}

function Console({ counter, snapshot }: { counter: CounterSummary; snapshot: CentreSnapshot }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const current = counter.current;
  const served = snapshot.fields.filter((f) => counter.fieldIds.includes(f.id));
  const totalWaiting = served.reduce((n, f) => n + f.waiting, 0);
  const fieldName = (id: number) => snapshot.fields.find((f) => f.id === id)?.name ?? "";

  const callNext = useRef<HTMLFormElement>(null);
  const finish = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "F2") {
        event.preventDefault();
        callNext.current?.requestSubmit();
      } else if (event.key === "F4") {
        event.preventDefault();
        finish.current?.requestSubmit();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <main className="mx-auto grid w-full max-w-7xl flex-1 grid-cols-[1fr_22rem] gap-5 p-5">
      <section className="flex flex-col gap-4">
        <div className="flex items-center justify-between">
          <h1 className="text-2xl font-bold">{counter.name}</h1>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="sign-out" />
            <button type="submit" disabled={busy} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
              {t("counter.signOut")}
            </button>
          </fetcher.Form>
        </div>
        <ActionMessage data={fetcher.data} />
        <div className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200" aria-live="polite">
          <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">{t("counter.current")}</h2>
          {current ? (
            <div className="mt-2 flex items-end gap-6">
              <span data-testid="current-ticket" className="text-8xl leading-none font-black text-brand-800 tabular-nums">
                {current.code}
              </span>
              <span className="pb-2 text-lg text-slate-700">
                <span className="block font-semibold">{fieldName(current.fieldId)}</span>
                {current.priority > 0 ? <span className="mr-2 rounded bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-900">{t("counter.priority")}</span> : null}
                <span className="block text-base text-slate-500">
                  {t("counter.issuedAt", { time: formatTime(current.issuedAt) })}
                  {current.calledAt ? ` · ${t("counter.calledAt", { time: formatTime(current.calledAt) })}` : ""}
                </span>
              </span>
            </div>
          ) : (
            <p data-testid="current-ticket" className="mt-2 text-3xl text-slate-400">
              {t("counter.none")}
            </p>
          )}
        </div>
        <div className="grid grid-cols-2 gap-4">
          <fetcher.Form method="post" ref={callNext}>
            <input type="hidden" name="intent" value="call-next" />
            <input type="hidden" name="counterId" value={counter.id} />
            <button
              type="submit"
              disabled={busy}
              className="flex w-full items-center justify-center gap-3 rounded-xl bg-brand-700 px-4 py-5 text-xl font-bold text-white shadow hover:bg-brand-800 disabled:opacity-60"
            >
              {t("counter.callNext")} <kbd>F2</kbd>
            </button>
          </fetcher.Form>
          <fetcher.Form method="post" ref={finish}>
            <input type="hidden" name="intent" value="finish" />
            <input type="hidden" name="ticketId" value={current?.id ?? ""} />
            <button
              type="submit"
              disabled={busy || !current}
              className="flex w-full items-center justify-center gap-3 rounded-xl bg-emerald-700 px-4 py-5 text-xl font-bold text-white shadow hover:bg-emerald-800 disabled:bg-slate-300 disabled:text-slate-600"
            >
              {t("counter.finish")} <kbd>F4</kbd>
            </button>
          </fetcher.Form>
        </div>
        <p className="text-sm text-slate-500">
          {t("counter.shortcuts")}: <kbd>F2</kbd> {t("counter.callNext")} · <kbd>F4</kbd> {t("counter.finish")}
        </p>
      </section>
      <aside className="self-start rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="text-lg font-semibold">{t("counter.fields")}</h2>
        <ul className="mt-3 divide-y divide-slate-100">
          {served.map((f) => (
            <li key={f.id} className="flex items-center justify-between gap-3 py-2.5">
              <span>
                <span className="mr-2 inline-block w-7 rounded bg-slate-100 text-center font-mono font-bold">{f.prefix}</span>
                {f.name}
              </span>
              <span data-testid={`waiting-${f.code}`} className="text-lg font-bold tabular-nums">
                {f.waiting}
              </span>
            </li>
          ))}
        </ul>
        <p className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
          <span>{t("counter.waitingTotal")}</span>
          <span data-testid="waiting-total" className="text-xl tabular-nums">
            {t("counter.people", { n: totalWaiting })}
          </span>
        </p>
      </aside>
    </main>
  );
}
