import { useCallback, useEffect, useRef, useState } from "react";
import { data, Link, useFetcher, useNavigate } from "react-router";
import { checkInAppointment } from "../../server/appointments/check-in";
import { CODE_ALPHABET, CODE_LENGTH, formatBookingCode } from "../../server/appointments/slots";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { kioskSettings } from "../../server/devices/kiosk";
import { printedBase } from "../../server/dossiers/receipt";
import { issuedSlip, type SlipData } from "../../server/tracking/slip";
import { IssuedTicket } from "../components/kiosk/issued-ticket";
import { TicketSlip } from "../components/ticket-slip";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { readForm } from "../lib/actions.server";
import { requireDevice } from "../lib/guards.server";
import { useHydrated } from "../lib/hydrated";
import type { Route } from "./+types/kiosk.appointment";

export const meta: Route.MetaFunction = () => [{ title: `${t("kioskCheckIn.title")} · ${t("app.name")}` }];

/** Seconds the ticket stays on screen (long enough to scan its QR) before the kiosk goes back to its start screen. */
const SHOW_TICKET_SECONDS = 30;

export async function loader({ context }: Route.LoaderArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  const snapshot = await getPublicSnapshot(context.services, actor);
  return { centreName: snapshot.centre.name };
}

/** What the kiosk shows and prints of the ticket (the citizen's own slip, as after a tap), and where the check-in placed it. */
type CheckedInTicket = { id: number; slip: SlipData; print: boolean; slotStart: string; onTime: boolean };
type Answer = { issued?: CheckedInTicket; error?: string };

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireDevice(context, "ticket.issue");
  const base = printedBase(context.services.config.publicUrl, request.url);
  const form = await readForm(request);
  try {
    const done = await checkInAppointment(context.services, actor, { code: String(form.get("code") ?? "") });
    const [slip, settings] = await Promise.all([issuedSlip(context.services, actor, done, base), kioskSettings(context.services, actor)]);
    const issued: CheckedInTicket = { id: done.ticket.id, slip, print: settings.printEnabled, slotStart: done.appointment.slotStart, onTime: done.appointment.onTime };
    return { issued } satisfies Answer;
  } catch (error) {
    if (isAppError(error)) return data({ error: error.message } satisfies Answer, { status: error.status });
    throw error;
  }
}

const clean = (value: string) => [...value.toUpperCase()].filter((c) => CODE_ALPHABET.includes(c)).join("").slice(0, CODE_LENGTH);

export default function KioskAppointment({ loaderData }: Route.ComponentProps) {
  const fetcher = useFetcher<Answer>();
  const navigate = useNavigate();
  const hydrated = useHydrated();
  const [code, setCode] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const issued = fetcher.data?.issued;
  const error = fetcher.state === "idle" ? fetcher.data?.error : undefined;

  // The ticket is shown for a while (IssuedTicket counts down), then the kiosk is ready for the next citizen.
  const backToStart = useCallback(() => navigate("/kiosk"), [navigate]);
  // The slip goes to the printer once it is on the page, as after a tap.
  useEffect(() => {
    if (issued?.print) window.print();
  }, [issued]);
  // An answer (a refusal) is for the citizen who typed: the code is cleared for the next one.
  const [answered, setAnswered] = useState(fetcher.data);
  if (fetcher.data !== answered) {
    setAnswered(fetcher.data);
    setCode("");
  }
  // A scanner types into the focused input: keep it focused after every key and answer.
  useEffect(() => input.current?.focus(), [fetcher.state, code]);

  if (issued) {
    return (
      <>
        <IssuedTicket
          key={issued.id}
          slip={issued.slip}
          printing={issued.print}
          seconds={SHOW_TICKET_SECONDS}
          onDone={backToStart}
          note={{ text: t(issued.onTime ? "kioskCheckIn.onTime" : "kioskCheckIn.late", { time: issued.slotStart }), tone: issued.onTime ? "priority" : "plain" }}
        />
        {issued.print ? <TicketSlip slip={issued.slip} /> : null}
      </>
    );
  }

  const key = "grid min-h-16 place-items-center rounded-2xl bg-white text-3xl font-bold text-slate-900 shadow active:bg-brand-100 disabled:opacity-50";
  return (
    <main className="flex min-h-screen flex-col items-center bg-gradient-to-b from-brand-800 to-brand-900 p-8 text-white select-none">
      <p className="text-2xl text-brand-100">{loaderData.centreName}</p>
      <h1 className="mt-2 text-5xl font-black">{t("kioskCheckIn.title")}</h1>
      <p className="mt-3 max-w-4xl text-center text-2xl text-brand-100">{t("kioskCheckIn.intro")}</p>
      <fetcher.Form method="post" className="mt-6 w-full max-w-5xl">
        <label className="sr-only" htmlFor="booking-code">
          {t("kioskCheckIn.code")}
        </label>
        <div className="flex gap-4">
          <input
            ref={input}
            id="booking-code"
            name="code"
            value={formatBookingCode(code).trim()}
            onChange={(e) => setCode(clean(e.target.value))}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            className="min-w-0 flex-1 rounded-2xl bg-white px-6 py-4 text-center font-mono text-5xl font-black tracking-widest text-slate-900 uppercase"
          />
          <button type="submit" disabled={fetcher.state !== "idle"} className="rounded-2xl bg-amber-400 px-10 text-3xl font-black text-slate-900 active:bg-amber-300 disabled:opacity-60">
            {t("kioskCheckIn.submit")}
          </button>
        </div>
        {error ? (
          <p role="alert" data-testid="checkin-error" className="mt-4 rounded-2xl bg-red-50 px-6 py-4 text-center text-2xl text-red-900">
            {error}
          </p>
        ) : null}
        {fetcher.state !== "idle" ? <p className="mt-4 text-center text-2xl">{t("kiosk.issuing")}</p> : null}
        <div className="mt-6 grid grid-cols-8 gap-3" role="group" aria-label={t("kioskCheckIn.keypad")}>
          {[...CODE_ALPHABET].map((c) => (
            <button key={c} type="button" className={key} disabled={!hydrated || code.length >= CODE_LENGTH} onClick={() => setCode((v) => clean(v + c))}>
              {c}
            </button>
          ))}
        </div>
        <div className="mt-3 grid grid-cols-3 gap-3">
          <Link to="/kiosk" className={`${key} bg-white/15 text-2xl text-white`}>
            {t("kioskCheckIn.back")}
          </Link>
          <button type="button" className={`${key} text-2xl`} disabled={!hydrated} onClick={() => setCode("")}>
            {t("kioskCheckIn.clear")}
          </button>
          <button type="button" className={`${key} text-2xl`} disabled={!hydrated} onClick={() => setCode((v) => v.slice(0, -1))}>
            {t("kioskCheckIn.delete")}
          </button>
        </div>
      </fetcher.Form>
    </main>
  );
}
