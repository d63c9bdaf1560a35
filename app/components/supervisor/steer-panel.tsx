/** What a supervisor does to one counter: pause or reopen it, move its officer, change its fields, sign its officer out. */
import { useFetcher } from "react-router";
import type { CounterSummary, FieldSummary } from "../../../server/realtime/events";
import { t } from "../../../server/i18n";
import { PAUSE_REASONS, pauseLabel } from "../../../server/queue/reasons";
import type { ActionReply } from "../../lib/actions.server";

const select = "mt-1 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base";
const text = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base";
const action = "rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-60";
const danger = "rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60";

/** The answer of one of the panel's forms, by its intent. */
function Answer({ reply, intent }: { reply?: ActionReply; intent: string }) {
  if (!reply || reply.form !== intent) return null;
  if (reply.message) {
    return (
      <p role="status" className="text-sm text-emerald-800">
        {reply.message}
      </p>
    );
  }
  const error = Object.values(reply.result.error ?? {}).flat()[0];
  return error ? (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

export function SteerPanel({ counter, counters, fields }: { counter: CounterSummary; counters: CounterSummary[]; fields: FieldSummary[] }) {
  const fetcher = useFetcher<ActionReply>({ key: `steer-${counter.id}` });
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const busy = fetcher.state !== "idle";
  const free = counters.filter((c) => c.id !== counter.id && !c.staffed);
  const serving = counter.current !== null;
  const activeChoice = serving ? (
    <fieldset className="mt-2 text-sm">
      <legend className="font-medium">{t("supervisor.steer.activeTicket", { code: counter.current!.code })}</legend>
      <label className="mr-4 inline-flex items-center gap-1.5">
        <input type="radio" name="activeTicket" value="requeue" defaultChecked /> {t("supervisor.steer.requeue")}
      </label>
      <label className="inline-flex items-center gap-1.5">
        <input type="radio" name="activeTicket" value="finish" /> {t("supervisor.steer.finish")}
      </label>
    </fieldset>
  ) : null;

  return (
    <div className="grid gap-3 rounded-xl bg-white p-3 ring-1 ring-brand-600/30 lg:grid-cols-2" data-testid={`steer-${counter.number}`}>
      {counter.staffed ? (
        <fetcher.Form method="post" className="rounded-lg bg-slate-50 p-3">
          <input type="hidden" name="counterId" value={counter.id} />
          <h3 className="font-semibold">{counter.status === "paused" ? t("supervisor.steer.reopenTitle") : t("supervisor.steer.pauseTitle")}</h3>
          {counter.status === "paused" ? (
            <button name="intent" value="steer-open" disabled={busy} className={`${action} mt-2`}>
              {t("supervisor.steer.reopen")}
            </button>
          ) : (
            <div className="mt-1 flex flex-wrap items-end gap-2">
              <label className="text-sm font-medium">
                {t("supervisor.steer.pauseReason")}
                <select name="reason" className={`${select} block`} defaultValue="meeting">
                  {PAUSE_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(pauseLabel(r))}
                    </option>
                  ))}
                </select>
              </label>
              <label className="min-w-40 flex-1 text-sm font-medium">
                {t("supervisor.steer.note")}
                <input name="note" maxLength={200} className={text} />
              </label>
              <button name="intent" value="steer-pause" disabled={busy || serving} className={action}>
                {t("supervisor.steer.pause")}
              </button>
            </div>
          )}
          {serving && counter.status !== "paused" ? <p className="mt-1 text-sm text-slate-600">{t("supervisor.steer.pauseWhenFree")}</p> : null}
          <Answer reply={reply} intent="steer-pause" />
          <Answer reply={reply} intent="steer-open" />
        </fetcher.Form>
      ) : null}

      {counter.staffed ? (
        <fetcher.Form method="post" className="rounded-lg bg-slate-50 p-3">
          <input type="hidden" name="officerId" value={counter.officerId ?? ""} />
          <h3 className="font-semibold">{t("supervisor.steer.moveTitle", { name: counter.officerName ?? "" })}</h3>
          {free.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">{t("supervisor.steer.noFreeCounter")}</p>
          ) : (
            <>
              <div className="mt-1 flex flex-wrap items-end gap-2">
                <label className="text-sm font-medium">
                  {t("supervisor.steer.toCounter")}
                  <select name="toCounterId" className={`${select} block`}>
                    {free.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="min-w-40 flex-1 text-sm font-medium">
                  {t("supervisor.steer.note")}
                  <input name="reason" maxLength={200} className={text} />
                </label>
              </div>
              {activeChoice}
              <button name="intent" value="move" disabled={busy} className={`${action} mt-2`}>
                {t("supervisor.steer.move")}
              </button>
            </>
          )}
          <Answer reply={reply} intent="move" />
        </fetcher.Form>
      ) : null}

      <fetcher.Form method="post" className="rounded-lg bg-slate-50 p-3">
        <input type="hidden" name="counterId" value={counter.id} />
        <h3 className="font-semibold">{t("supervisor.steer.fieldsTitle")}</h3>
        <p className="text-sm text-slate-600">{t("supervisor.steer.fieldsHint")}</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {fields.map((f) => (
            <label key={f.id} className="flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm has-checked:border-brand-600 has-checked:bg-brand-50">
              <input type="checkbox" name="fieldIds" value={f.id} defaultChecked={counter.fieldIds.includes(f.id)} />
              {f.name}
            </label>
          ))}
        </div>
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <label className="min-w-40 flex-1 text-sm font-medium">
            {t("supervisor.steer.note")}
            <input name="reason" maxLength={200} className={text} />
          </label>
          <button name="intent" value="fields" disabled={busy} className={action}>
            {t("supervisor.steer.saveFields")}
          </button>
        </div>
        <Answer reply={reply} intent="fields" />
      </fetcher.Form>

      {counter.staffed ? (
        <fetcher.Form method="post" className="rounded-lg bg-slate-50 p-3">
          <input type="hidden" name="counterId" value={counter.id} />
          <h3 className="font-semibold">{t("supervisor.steer.signOutTitle", { name: counter.officerName ?? "" })}</h3>
          <label className="mt-1 block text-sm font-medium">
            {t("supervisor.steer.reasonRequired")}
            <input name="reason" required maxLength={200} className={text} />
          </label>
          {activeChoice}
          <button name="intent" value="sign-out" disabled={busy} className={`${danger} mt-2`}>
            {t("supervisor.steer.signOut")}
          </button>
          <Answer reply={reply} intent="sign-out" />
        </fetcher.Form>
      ) : null}
    </div>
  );
}
