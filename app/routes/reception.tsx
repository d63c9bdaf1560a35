import { useEffect, useState } from "react";
import { data, useFetcher, useRevalidator } from "react-router";
import { z } from "zod";
import { id, issueInput } from "../../server/queue/inputs";
import { issueTicket } from "../../server/queue/issuing";
import { listTodayTickets } from "../../server/queue/read";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { cancelTicket } from "../../server/queue/waiting";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { TicketSlip, type Slip } from "../components/ticket-slip";
import { printedBase } from "../../server/dossiers/receipt";
import { issuedSlip, reprintSlip } from "../../server/tracking/slip";
import { ActionMessage } from "../components/action-message";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { fieldAvailability } from "../../server/queue/availability";
import { formatTime } from "../../server/time";
import { intentOrOffline, keepShownData, revalidateUnlessOffline } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/reception";

export const meta: Route.MetaFunction = () => [{ title: `${t("reception.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "ticket.issue");
  const [snapshot, today] = await Promise.all([getStaffSnapshot(context.services, actor), listTodayTickets(context.services, actor)]);
  return { user, snapshot, today: today.map((r) => ({ ...r, issuedAt: r.issuedAt.toISOString() })) };
}

type Reply = ActionReply<{ slip: Slip }>;

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "ticket.issue");
  const { services } = context;
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const base = printedBase(services.config.publicUrl, request.url);
  if (intent === "reprint") {
    // Printed again as it stands now, with the code of a dossier opened since.
    return respond(formData, z.object({ ticketId: id }), { form: "reprint" }, async ({ ticketId }) => ({ slip: await reprintSlip(services, actor, { ticketId }, base) }));
  }
  if (intent === "cancel") {
    return respond(formData, z.object({ ticketId: id }), { form: "cancel" }, async ({ ticketId }) => {
      const { ticket } = await cancelTicket(services, actor, { ticketId });
      return { message: t("counter.cancelled", { code: ticket.code }) };
    });
  }
  if (intent !== "issue") throw data({ message: t("error.bad_request") }, { status: 400 });
  return respond(formData, issueInput, { form: "issue" }, async (input) => {
    const issued = await issueTicket(services, actor, input);
    return { message: t("reception.issued", { code: issued.ticket.code }), slip: await issuedSlip(services, actor, issued, base) };
  });
}

// While the server cannot be reached: an issue or a withdrawal says it was not sent, and the lists shown stay.
export const clientAction = intentOrOffline(t("counter.notSent"));
export const shouldRevalidate = revalidateUnlessOffline;
export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

export default function Reception({ loaderData }: Route.ComponentProps) {
  const { user, today } = loaderData;
  const revalidator = useRevalidator();
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, { onEvent: () => void revalidator.revalidate() });
  // While the server cannot be reached no number can be given: the buttons wait, the row says why.
  const offline = connection === "offline" || connection === "restarting";
  const fetcher = useFetcher<Reply>();
  const [priorityClassId, setPriorityClassId] = useState("");
  const [slip, setSlip] = useState<Slip | null>(null);
  const result = fetcher.data;

  // A new ticket is printed at once; the print dialog (or a kiosk-mode silent print) takes it from here.
  const [seen, setSeen] = useState(result);
  if (result !== seen) {
    setSeen(result);
    if (result?.slip) {
      setSlip(result.slip);
      if (result.form === "issue") setPriorityClassId("");
    }
  }
  useEffect(() => {
    if (slip) window.print();
  }, [slip]);

  const now = new Date();
  return (
    <div className="flex min-h-screen flex-col">
      <div className="no-print">
        <StaffHeader user={user} centreName={snapshot.centre.name}>
          <LiveBadge connection={connection} />
        </StaffHeader>
      </div>
      <main className="no-print mx-auto grid w-full max-w-7xl flex-1 grid-cols-[1fr_26rem] gap-5 p-5">
        <section>
          <h1 className="text-2xl font-bold">{t("reception.title")}</h1>
          <p className="text-slate-600">{t("reception.subtitle")}</p>
          {offline ? (
            <div className="mt-3 min-h-11">
              <p role="alert" data-testid="offline-actions" className="rounded-lg bg-amber-50 px-4 py-2 text-base text-amber-950 ring-1 ring-amber-300">
                {t("reception.offline")}
              </p>
            </div>
          ) : (
            <ActionMessage reply={result} className="mt-3" />
          )}
          <fieldset className="mt-4">
            <legend className="text-sm font-semibold">{t("reception.priority")}</legend>
            <div className="mt-2 flex flex-wrap gap-2">
              {[{ id: "", name: t("reception.none") }, ...snapshot.priorityClasses.map((p) => ({ id: String(p.id), name: p.name }))].map((p) => (
                <label
                  key={p.id}
                  className={`cursor-pointer rounded-full px-3 py-1.5 text-sm font-medium ring-1 ${priorityClassId === p.id ? "bg-amber-100 text-amber-900 ring-amber-400" : "bg-white ring-slate-300"}`}
                >
                  <input type="radio" name="priority" className="sr-only" checked={priorityClassId === p.id} onChange={() => setPriorityClassId(p.id)} />
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>
          <ul className="mt-4 grid grid-cols-2 gap-3">
            {snapshot.fields.map((f) => {
              const availability = fieldAvailability(f, snapshot.counters, now);
              return (
                <li key={f.id}>
                  <fetcher.Form method="post" className="h-full">
                    <input type="hidden" name="intent" value="issue" />
                    <input type="hidden" name="fieldId" value={f.id} />
                    <input type="hidden" name="priorityClassId" value={priorityClassId} />
                    <button
                      type="submit"
                      disabled={offline || fetcher.state !== "idle" || !availability.open}
                      className="flex h-full w-full items-center gap-3 rounded-xl bg-white px-4 py-3 text-left shadow-sm ring-1 ring-slate-200 hover:ring-brand-600 disabled:bg-slate-100 disabled:text-slate-500"
                    >
                      <span className="grid h-10 w-10 shrink-0 place-items-center rounded-lg bg-brand-700 text-xl font-black text-white">{f.prefix}</span>
                      <span>
                        <span className="block font-semibold">{f.name}</span>
                        <span className="block text-sm text-slate-500">{availability.label}</span>
                      </span>
                    </button>
                  </fetcher.Form>
                </li>
              );
            })}
          </ul>
        </section>
        <aside className="flex min-h-0 flex-col rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 className="text-lg font-semibold">{t("reception.today")}</h2>
          {today.length === 0 ? <p className="mt-2 text-slate-500">{t("reception.empty")}</p> : null}
          <ul className="mt-2 min-h-0 divide-y divide-slate-100 overflow-y-auto" data-testid="today-tickets">
            {today.map((r) => (
              <li key={r.id} className="flex items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-mono text-lg font-bold">{r.code}</span>
                  <span className="ml-2 text-sm text-slate-500">
                    {formatTime(r.issuedAt)} · {t(`status.${r.status}`)}
                  </span>
                  <span className="block text-sm text-slate-600">
                    {r.fieldName}
                    {r.priorityClassName ? ` · ${r.priorityClassName}` : ""}
                  </span>
                </span>
                <span className="flex gap-1.5">
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="reprint" />
                    <input type="hidden" name="ticketId" value={r.id} />
                    <button type="submit" disabled={offline} className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-50 disabled:opacity-40">
                      {t("reception.reprint")}
                    </button>
                  </fetcher.Form>
                  {r.status === "waiting" ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="intent" value="cancel" />
                      <input type="hidden" name="ticketId" value={r.id} />
                      <button
                        type="submit"
                        disabled={offline}
                        onClick={(event) => {
                          if (!window.confirm(t("reception.cancelConfirm", { code: r.code }))) event.preventDefault();
                        }}
                        className="rounded-md border border-red-300 px-2.5 py-1 text-sm text-red-800 hover:bg-red-50 disabled:opacity-40"
                      >
                        {t("counter.cancel")}
                      </button>
                    </fetcher.Form>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </aside>
      </main>
      {slip ? <TicketSlip slip={slip} /> : null}
    </div>
  );
}
