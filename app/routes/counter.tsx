import { useEffect, useRef, useState } from "react";
import { data, useRevalidator } from "react-router";
import { z } from "zod";
import { can, type UserActor } from "../../server/auth/permissions";
import { listProcedures } from "../../server/dossiers/dossiers";
import { dossierWork } from "../../server/dossiers/steps";
import { t } from "../../server/i18n";
import { finishTicket, markNoShow, recallTicket } from "../../server/queue/at-counter";
import { callNextTicket, callSpecificTicket } from "../../server/queue/calling";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../../server/queue/counters";
import { callInput, cancelInput, finishInput, id, pauseInput, signOutInput, transferInput, transferTarget } from "../../server/queue/inputs";
import { getCounterQueue } from "../../server/queue/read";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { listTransferTargets, transferTicket } from "../../server/queue/transfer";
import { cancelTicket, rejoinTicket } from "../../server/queue/waiting";
import { ChooseCounter } from "../components/counter/choose-counter";
import { Console } from "../components/counter/console";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { respond, readForm } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import { intentOrOffline, keepShownData, revalidateUnlessOffline } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/counter";

export const meta: Route.MetaFunction = () => [{ title: `${t("counter.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "counter.operate");
  const { services } = context;
  const snapshot = await getStaffSnapshot(services, actor);
  const mine = snapshot.counters.find((c) => c.officerId === user.id);
  const [queue, targets] = mine
    ? await Promise.all([getCounterQueue(services, actor, { counterId: mine.id }), listTransferTargets(services, actor)])
    : [{ waiting: [], noShows: [] }, { fields: [], counters: [], officers: [] }];
  // The dossier of the citizen being served, and the procedures one may be opened for.
  const receives = can(actor, "dossier.receive");
  const [procedures, ticketDossiers] = await Promise.all([
    receives && mine ? listProcedures(services, actor) : Promise.resolve([]),
    receives && mine?.current ? dossierWork(services, actor, { ticketId: mine.current.id }) : Promise.resolve([]),
  ]);
  return {
    user,
    snapshot,
    queue,
    targets,
    procedures: procedures.map((p) => ({
      id: p.id,
      fieldId: p.fieldId,
      code: p.code,
      name: p.name,
      documents: p.documents,
      processingDays: p.processingDays,
      processingHours: p.processingHours,
      fee: p.fee,
      onTheSpot: p.onTheSpot,
    })),
    ticketDossiers,
  };
}

type Deps = Route.ActionArgs["context"]["services"];
type Intent<S extends z.ZodType> = { schema: S; run(services: Deps, actor: UserActor, input: z.output<S>): Promise<string> };
/** Binds an intent's input schema to what it does, so the two stay typed together. */
const intent = <S extends z.ZodType>(schema: S, run: Intent<S>["run"]): Intent<S> => ({ schema, run });

/** Each thing the console can ask for: its input, and the message once it is done. */
const intents = {
  "sign-in": intent(z.object({ counterId: id }), async (s, a, v) => t("counter.signedIn", { counter: (await signInToCounter(s, a, v)).counter.number })),
  "sign-out": intent(signOutInput, async (s, a, v) => {
    const { returned } = await signOutOfCounter(s, a, v);
    return returned > 0 ? t("counter.signedOutReturned", { n: returned }) : t("counter.signedOut");
  }),
  pause: intent(pauseInput, async (s, a, v) => (await setCounterPaused(s, a, { paused: true, ...v }), t("counter.paused"))),
  resume: intent(z.object({}), async (s, a) => (await setCounterPaused(s, a, { paused: false }), t("counter.resumed"))),
  "call-next": intent(z.object({ counterId: id }), async (s, a, v) => t("counter.called", { code: (await callNextTicket(s, a, v)).ticket.code })),
  call: intent(callInput.extend({ counterId: id }), async (s, a, v) => t("counter.calledSpecific", { code: (await callSpecificTicket(s, a, v)).ticket.code })),
  recall: intent(z.object({ ticketId: id }), async (s, a, v) => {
    const { ticket } = await recallTicket(s, a, v);
    return t("counter.recalled", { code: ticket.code, n: ticket.recallCount });
  }),
  "no-show": intent(z.object({ ticketId: id }), async (s, a, v) => t("counter.noShowDone", { code: (await markNoShow(s, a, v)).ticket.code })),
  rejoin: intent(z.object({ ticketId: id }), async (s, a, v) => t("counter.rejoined", { code: (await rejoinTicket(s, a, v)).ticket.code })),
  cancel: intent(cancelInput.extend({ ticketId: id }), async (s, a, v) => t("counter.cancelled", { code: (await cancelTicket(s, a, v)).ticket.code })),
  transfer: intent(transferInput.extend({ ticketId: id }), async (s, a, v) => {
    const { ticket, expired } = await transferTicket(s, a, { ticketId: v.ticketId, to: transferTarget(v), note: v.note });
    return t(expired ? "counter.expiredPreviousDay" : "counter.transferred", { code: ticket.code });
  }),
  finish: intent(finishInput.extend({ ticketId: id }), async (s, a, v) => t("counter.finished", { code: (await finishTicket(s, a, v)).ticket.code })),
};
export type CounterIntent = keyof typeof intents;

/** Refusals that belong next to one input of a dialog rather than to the whole form. */
const errorFields = { out_of_order_reason_required: "reason", pause_reason_required: "reason" } as const;

function run<S extends z.ZodType>(formData: FormData, form: CounterIntent, entry: Intent<S>, services: Deps, actor: UserActor) {
  return respond(formData, entry.schema, { form, errorFields }, async (input) => ({ message: await entry.run(services, actor, input) }));
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "counter.operate");
  const formData = await readForm(request);
  const name = formData.get("intent");
  if (typeof name !== "string" || !(name in intents)) throw data({ message: t("error.bad_request") }, { status: 400 });
  const form = name as CounterIntent;
  return run(formData, form, intents[form] as Intent<z.ZodType>, context.services, actor);
}

// While the server cannot be reached: a key pressed says it was not sent (the console stays), and
// a reload of the counter's lists keeps the ones shown.
export const clientAction = intentOrOffline(t("counter.notSent"));
export const shouldRevalidate = revalidateUnlessOffline;
export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

/** How long the console says a rating came in. */
const RATING_NOTICE_MS = 8_000;

/** An officer who has not touched the keyboard or mouse for this long is no longer at work. */
const AWAY_AFTER_MS = 25 * 60_000;

export default function CounterPage({ loaderData }: Route.ComponentProps) {
  const { user } = loaderData;
  const revalidator = useRevalidator();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [rated, setRated] = useState<{ code: string; at: number } | null>(null);
  // The counter's own lists (waiting in call order, no-shows, transfer targets) are reloaded when the centre's queue changes.
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    onEvent: () => {
      if (pending.current) clearTimeout(pending.current);
      pending.current = setTimeout(() => void revalidator.revalidate(), 250);
    },
    // The session of an officer at a counter stays alive while they work: serving someone, or
    // at the keyboard or mouse recently. A console left alone ends like any other session.
    keepAlive: () => atWork.current(),
    // A step on the dossier of the citizen at this counter (appraised, approved…) shows at once.
    onDossier: () => void revalidator.revalidate(),
    // A citizen rated a visit this officer served: said for a moment, without the value.
    onRating: (notice) => setRated({ code: notice.ticket.code, at: Date.now() }),
  });
  useEffect(() => {
    if (!rated) return;
    const timer = setTimeout(() => setRated(null), RATING_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [rated]);
  // Back after a loss: the counter's own lists are reloaded too (the snapshot is, by the socket).
  const lost = useRef(false);
  useEffect(() => {
    if (connection === "offline" || connection === "restarting") lost.current = true;
    else if (connection === "online" && lost.current) {
      lost.current = false;
      void revalidator.revalidate();
    }
  }, [connection, revalidator]);
  const mine = snapshot.counters.find((c) => c.officerId === user.id);
  const lastInput = useRef(0);
  const atWork = useRef<() => boolean>(() => false);
  useEffect(() => {
    atWork.current = () => Boolean(mine) && (mine?.current != null || Date.now() - lastInput.current < AWAY_AFTER_MS);
  });
  useEffect(() => {
    lastInput.current = Date.now();
    const seen = () => (lastInput.current = Date.now());
    for (const type of ["keydown", "pointerdown"]) window.addEventListener(type, seen, { passive: true, capture: true });
    return () => {
      for (const type of ["keydown", "pointerdown"]) window.removeEventListener(type, seen, { capture: true });
    };
  }, []);
  return (
    <div className="flex min-h-screen flex-col">
      <StaffHeader user={user} centreName={snapshot.centre.name}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      {mine ? (
        <Console
          counter={mine}
          snapshot={snapshot}
          queue={loaderData.queue}
          targets={loaderData.targets}
          procedures={loaderData.procedures}
          dossiers={loaderData.ticketDossiers}
          offline={connection === "offline" || connection === "restarting"}
        />
      ) : (
        <ChooseCounter snapshot={snapshot} />
      )}
      {rated ? (
        <p role="status" data-testid="rating-received" className="fixed right-6 bottom-6 z-40 rounded-xl bg-slate-900 px-5 py-3 text-base font-medium text-white shadow-xl">
          {t("counter.ratingReceived", { code: rated.code })}
        </p>
      ) : null}
    </div>
  );
}
