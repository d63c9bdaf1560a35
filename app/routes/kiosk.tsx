import { useCallback, useEffect, useState } from "react";
import { Link, useFetcher } from "react-router";
import { issueInput } from "../../server/queue/inputs";
import { issueTicket } from "../../server/queue/issuing";
import { kioskSettings } from "../../server/devices/kiosk";
import { printedBase } from "../../server/dossiers/receipt";
import { issuedSlip, type SlipData } from "../../server/tracking/slip";
import { IssuedTicket } from "../components/kiosk/issued-ticket";
import { TicketSlip } from "../components/ticket-slip";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { fieldAvailability } from "../../server/queue/availability";
import { replyText } from "../components/action-message";
import { useHydrated } from "../lib/hydrated";
import { actionOrOffline, revalidateUnlessOffline } from "../lib/offline";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireDevice } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import { kioskModes } from "../lib/device-modes";
import type { Route } from "./+types/kiosk";

export const meta: Route.MetaFunction = () => [{ title: `${t("kiosk.title")} · ${t("app.name")}` }];

/** Seconds the ticket stays on screen (long enough to scan its QR) before the kiosk is ready for the next citizen. */
const SHOW_TICKET_SECONDS = 30;
/** Seconds a refusal stays on screen. */
const REFUSAL_SECONDS = 8;
/** Seconds a priority choice waits for a field to be tapped. */
const PRIORITY_CHOICE_SECONDS = 30;

export async function loader({ context }: Route.LoaderArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  // Its printing setting as of loading, reported to the device list (each tap reads it again).
  const [snapshot, settings] = await Promise.all([getPublicSnapshot(context.services, actor), kioskSettings(context.services, actor)]);
  return { snapshot, printEnabled: settings.printEnabled };
}

/** What the kiosk shows and prints of a ticket it issued: the citizen's own slip, nothing of the staff's; `print`: the kiosk's setting at the tap. */
type KioskTicket = { id: number; slip: SlipData; print: boolean };

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  const base = printedBase(context.services.config.publicUrl, request.url);
  return respond(await readForm(request), issueInput, { form: "issue" }, async (input) => {
    const ticket = await issueTicket(context.services, actor, input);
    const [slip, settings] = await Promise.all([issuedSlip(context.services, actor, ticket, base), kioskSettings(context.services, actor)]);
    const issued: KioskTicket = { id: ticket.ticket.id, slip, print: settings.printEnabled };
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
      setShown(issued.id);
      setPriorityClassId(null);
    }
  }
  // The slip goes to the printer once it is on the page (a kiosk-printing Chromium prints without a dialog).
  const printing = issued !== null && issued.print && shown === issued.id;
  useEffect(() => {
    if (printing) window.print();
  }, [printing, issued]);
  const backToStart = useCallback(() => setShown(null), []);

  const now = new Date();
  // While the server cannot be reached no number can be given: the buttons wait, the banner says why.
  const offline = connection === "offline" || connection === "restarting";
  const selectedClass = snapshot.priorityClasses.find((p) => p.id === priorityClassId);

  if (issued && shown === issued.id) {
    return (
      <>
        <IssuedTicket key={issued.id} slip={issued.slip} printing={issued.print} seconds={SHOW_TICKET_SECONDS} onDone={backToStart} />
        {issued.print ? <TicketSlip slip={issued.slip} /> : null}
      </>
    );
  }

  return (
    <main className="no-print flex min-h-screen flex-col bg-gradient-to-b from-brand-800 to-brand-900 p-8 text-white select-none">
      {offline ? (
        <p role="status" data-testid="offline-banner" className="-mx-8 -mt-8 mb-6 bg-amber-400 px-8 py-3 text-center text-2xl font-semibold text-slate-900">
          {connection === "restarting" ? t("kiosk.restarting") : t("kiosk.offline")}
        </p>
      ) : null}
      <header className="text-center">
        <p className="text-2xl text-brand-100">{snapshot.centre.name}</p>
        <h1 className="mt-2 text-5xl font-black">{t("kiosk.title")}</h1>
        <p className="mt-3 text-2xl text-brand-100">{t("kiosk.subtitle")}</p>
        <Link to="/kiosk/lich-hen" data-testid="kiosk-appointment" className="mt-4 inline-block rounded-2xl bg-amber-400 px-8 py-4 text-2xl font-bold text-slate-900 active:bg-amber-300">
          {t("kioskCheckIn.start")}
        </Link>
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
