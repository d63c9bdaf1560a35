import { useEffect, useState } from "react";
import { useFetcher } from "react-router";
import { issueInput } from "../../server/queue/inputs";
import { issueTicket, type IssuedTicket } from "../../server/queue/issuing";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { fieldAvailability } from "../../server/queue/availability";
import { replyText } from "../components/action-message";
import { useHydrated } from "../lib/hydrated";
import { actionOrOffline, revalidateUnlessOffline } from "../lib/offline";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireDevice } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import { kioskModes } from "../lib/device-modes";
import type { Route } from "./+types/kiosk";

export const meta: Route.MetaFunction = () => [{ title: `${t("kiosk.title")} · ${t("app.name")}` }];

/** Seconds the ticket stays on screen before the kiosk is ready for the next citizen. */
const SHOW_TICKET_SECONDS = 20;
/** Seconds a refusal stays on screen. */
const REFUSAL_SECONDS = 8;
/** Seconds a priority choice waits for a field to be tapped. */
const PRIORITY_CHOICE_SECONDS = 30;

export async function loader({ context }: Route.LoaderArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  return { snapshot: await getPublicSnapshot(context.services, actor) };
}

/** What the kiosk shows of a ticket it issued: the citizen's own, nothing of the staff's. */
type KioskTicket = Pick<IssuedTicket, "fieldName" | "priorityClassName" | "peopleAhead" | "estimatedWaitMinutes"> & {
  ticket: { id: number; code: string; issuedAt: string };
};

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  return respond(await readForm(request), issueInput, { form: "issue" }, async (input) => {
    const { ticket, fieldName, priorityClassName, peopleAhead, estimatedWaitMinutes } = await issueTicket(context.services, actor, input);
    const issued: KioskTicket = { ticket: { id: ticket.id, code: ticket.code, issuedAt: ticket.issuedAt }, fieldName, priorityClassName, peopleAhead, estimatedWaitMinutes };
    return { issued };
  });
}

/** A tap that cannot reach the server says so on the kiosk (and the citizen may tap again), never an error page. */
export const clientAction = (args: Route.ClientActionArgs) => actionOrOffline(args, { form: () => "issue", message: t("kiosk.offline") });
export const shouldRevalidate = revalidateUnlessOffline;

export default function Kiosk({ loaderData }: Route.ComponentProps) {
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, { modes: kioskModes(loaderData) });
  const fetcher = useFetcher<ActionReply<{ issued: KioskTicket }>>();
  const [shown, setShown] = useState<number | null>(null);
  const [priorityClassId, setPriorityClassId] = useState<number | null>(null);
  // A priority chosen and then left (the citizen walked away) must not carry over to the next person.
  useEffect(() => {
    if (priorityClassId === null) return;
    const timer = setTimeout(() => setPriorityClassId(null), PRIORITY_CHOICE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [priorityClassId]);
  const result = fetcher.data;
  const issued = result?.issued ?? null;
  const hydrated = useHydrated();
  // A refusal (sold out, too fast…) is for the citizen who tapped: it goes away for the next one.
  const [dismissed, setDismissed] = useState<typeof result>(undefined);
  const refusal = result?.result.status === "error" && result !== dismissed ? replyText(result)?.text : undefined;
  useEffect(() => {
    if (result?.result.status !== "error") return;
    const timer = setTimeout(() => setDismissed(result), REFUSAL_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [result]);

  // A new ticket is shown at once (and the priority chosen for it is cleared), for a while.
  const [seen, setSeen] = useState(issued);
  if (issued !== seen) {
    setSeen(issued);
    if (issued) {
      setShown(issued.ticket.id);
      setPriorityClassId(null);
    }
  }
  useEffect(() => {
    if (shown === null) return;
    const timer = setTimeout(() => setShown(null), SHOW_TICKET_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [shown]);

  const now = new Date();
  // While the server cannot be reached no number can be given: the buttons wait, the banner says why.
  const offline = connection === "offline" || connection === "restarting";
  const selectedClass = snapshot.priorityClasses.find((p) => p.id === priorityClassId);

  if (issued && shown === issued.ticket.id) {
    return (
      <main className="grid min-h-screen place-items-center bg-brand-900 p-8 text-white">
        <div className="w-full max-w-2xl rounded-3xl bg-white p-10 text-center text-slate-900 shadow-2xl" data-testid="issued-ticket">
          <p className="text-2xl text-slate-600">{snapshot.centre.name}</p>
          <p className="mt-6 text-3xl font-semibold">{t("kiosk.yourNumber")}</p>
          <p className="my-4 text-[10rem] leading-none font-black text-brand-800 tabular-nums" data-testid="ticket-code">
            {issued.ticket.code}
          </p>
          <p className="text-3xl font-bold">{issued.fieldName}</p>
          {issued.priorityClassName ? (
            <p className="mt-2 inline-block rounded-lg bg-amber-100 px-3 py-1 text-2xl font-semibold text-amber-900">
              {t("kiosk.ticketPriority", { name: issued.priorityClassName })}
            </p>
          ) : null}
          {issued.estimatedWaitMinutes === null ? (
            // No counter open for it yet: no "you are next", which would not be true.
            <p className="mt-4 rounded-xl bg-amber-50 px-4 py-3 text-2xl font-semibold text-amber-900" data-testid="ticket-estimate">
              {t("kiosk.unservedTicket")}
            </p>
          ) : (
            <>
              <p className="mt-4 text-2xl">{issued.peopleAhead > 0 ? t("kiosk.ahead", { n: issued.peopleAhead }) : t("kiosk.aheadNone")}</p>
              <p className="mt-1 text-2xl font-semibold" data-testid="ticket-estimate">
                {issued.peopleAhead > 0 ? t("kiosk.estimate", { m: issued.estimatedWaitMinutes }) : null}
              </p>
            </>
          )}
          <p className="mt-2 text-xl text-slate-600">{t("kiosk.issuedAt", { time: formatDateTime(issued.ticket.issuedAt) })}</p>
          <p className="mt-6 text-lg text-slate-600">{t("kiosk.watchScreen")}</p>
          <button
            type="button"
            onClick={() => setShown(null)}
            className="no-print mt-8 w-full rounded-2xl bg-brand-700 py-6 text-3xl font-bold text-white active:bg-brand-800"
          >
            {t("kiosk.again")}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main className="flex min-h-screen flex-col bg-gradient-to-b from-brand-800 to-brand-900 p-8 text-white select-none">
      {offline ? (
        <p role="status" data-testid="offline-banner" className="-mx-8 -mt-8 mb-6 bg-amber-400 px-8 py-3 text-center text-2xl font-semibold text-slate-900">
          {connection === "restarting" ? t("kiosk.restarting") : t("kiosk.offline")}
        </p>
      ) : null}
      <header className="text-center">
        <p className="text-2xl text-brand-100">{snapshot.centre.name}</p>
        <h1 className="mt-2 text-5xl font-black">{t("kiosk.title")}</h1>
        <p className="mt-3 text-2xl text-brand-100">{t("kiosk.subtitle")}</p>
      </header>
      {refusal ? (
        <p role="alert" className="mx-auto mt-6 max-w-4xl rounded-2xl bg-red-50 px-6 py-4 text-center text-2xl text-red-900">
          {refusal}
        </p>
      ) : null}
      {snapshot.priorityClasses.length > 0 ? (
        <section className="mx-auto mt-6 w-full max-w-6xl">
          <p className="text-center text-xl text-brand-100">{t("kiosk.priority.ask")}</p>
          <div className="mt-3 flex flex-wrap justify-center gap-3" role="radiogroup">
            {snapshot.priorityClasses.map((p) => (
              <button
                key={p.id}
                type="button"
                role="radio"
                aria-checked={priorityClassId === p.id}
                onClick={() => setPriorityClassId(priorityClassId === p.id ? null : p.id)}
                className={`min-h-14 rounded-2xl px-5 py-3 text-xl font-semibold ${
                  priorityClassId === p.id ? "bg-amber-400 text-slate-900 ring-4 ring-amber-200" : "bg-white/10 text-white ring-1 ring-white/40"
                }`}
              >
                {p.name}
              </button>
            ))}
          </div>
          {selectedClass ? (
            <p className="mt-3 text-center text-2xl font-bold text-amber-300" data-testid="priority-selected">
              {t("kiosk.priority.selected", { name: selectedClass.name })}
            </p>
          ) : null}
        </section>
      ) : null}
      {snapshot.fields.length === 0 ? (
        <p className="mx-auto mt-16 max-w-3xl text-center text-3xl">{t("kiosk.noFields")}</p>
      ) : (
        <ul className="mx-auto mt-6 grid w-full max-w-6xl flex-1 auto-rows-fr grid-cols-2 gap-5">
          {snapshot.fields.map((f) => {
            const availability = fieldAvailability(f, snapshot.counters, now, { estimate: true, unserved: snapshot.centre.unservedIssuing });
            return (
              <li key={f.id}>
                <fetcher.Form method="post" className="h-full">
                  <input type="hidden" name="fieldId" value={f.id} />
                  <input type="hidden" name="priorityClassId" value={priorityClassId ?? ""} />
                  <button
                    type="submit"
                    disabled={!hydrated || offline || fetcher.state !== "idle" || !availability.open}
                    className="flex h-full min-h-28 w-full items-center gap-6 rounded-3xl bg-white px-7 py-5 text-left text-slate-900 shadow-xl active:scale-[0.98] active:bg-brand-50 disabled:bg-slate-300 disabled:text-slate-600"
                  >
                    <span className="grid h-20 w-20 shrink-0 place-items-center rounded-2xl bg-brand-700 text-5xl font-black text-white">{f.prefix}</span>
                    <span>
                      <span className="block text-3xl leading-tight font-bold">{f.name}</span>
                      <span className={`mt-1 block text-xl ${availability.unserved ? "font-semibold text-amber-800" : "text-slate-600"}`}>{availability.label}</span>
                    </span>
                  </button>
                </fetcher.Form>
              </li>
            );
          })}
        </ul>
      )}
      {fetcher.state !== "idle" ? <p className="mt-6 text-center text-2xl">{t("kiosk.issuing")}</p> : null}
      {hydrated ? null : <p className="mt-6 text-center text-2xl text-brand-100">{t("kiosk.hydrating")}</p>}
    </main>
  );
}
