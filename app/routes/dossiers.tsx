import { useRef, useState } from "react";
import { data, Link, useFetcher, useRevalidator } from "react-router";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { listProcedures, openDossier, receptionFields } from "../../server/dossiers/dossiers";
import { draftCount } from "../../server/dossiers/letters";
import { dossierRole, dossierWork, takeStep } from "../../server/dossiers/steps";
import { DOSSIER_ACTIONS } from "../../server/dossiers/workflow";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { DossierCard } from "../components/dossier-card";
import { DossierNav } from "../components/dossier-nav";
import { LiveBadge } from "../components/live-badge";
import { OpenDossierForm, type OpenReply, type ProcedureOption } from "../components/open-dossier-form";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import { keepShownData } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/dossiers";

export const meta: Route.MetaFunction = () => [{ title: `${t("dossier.title")} · ${t("app.name")}` }];

const stepForm = z.object({ intent: z.literal("step"), dossierId: id, action: z.enum(DOSSIER_ACTIONS), reason: plainText(1000).optional() });
const openForm = z.object({
  intent: z.literal("open"),
  procedureId: id,
  ticketId: id.optional(),
  applicantName: z.string().default(""),
  applicantIdNumber: z.string().default(""),
  applicantPhone: z.string().default(""),
  applicantAddress: z.string().default(""),
  received: z.array(z.string().max(40)).default([]),
  notes: plainText(2000).optional(),
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "dossier.work");
  // Staff who receive dossiers may open one here, for a citizen without a ticket.
  const receives = can(actor, "dossier.receive");
  const [snapshot, work, procedures, fields, drafts] = await Promise.all([
    getStaffSnapshot(context.services, actor),
    dossierWork(context.services, actor),
    receives ? listProcedures(context.services, actor) : Promise.resolve([]),
    receives ? receptionFields(context.services, actor) : Promise.resolve([]),
    draftCount(context.services, actor),
  ]);
  return {
    user,
    drafts,
    snapshot,
    work,
    role: dossierRole(user.role),
    reception: receives
      ? {
          fields,
          procedures: procedures.map(
            (p): ProcedureOption => ({
              id: p.id,
              fieldId: p.fieldId,
              code: p.code,
              name: p.name,
              documents: p.documents,
              processingDays: p.processingDays,
              processingHours: p.processingHours,
              fee: p.fee,
              onTheSpot: p.onTheSpot,
            }),
          ),
        }
      : null,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  const formData = await readForm(request);
  if (formData.get("intent") === "step") {
    return respond(formData, stepForm, { form: `dossier-${formData.get("dossierId")}` }, async ({ dossierId, action, reason }): Promise<Answer> => {
      const dossier = await takeStep(context.services, actor, { dossierId, action, reason });
      return { message: t("dossier.stepped", { code: dossier.code }) };
    });
  }
  if (formData.get("intent") === "open") {
    if (!can(actor, "dossier.receive")) throw data({ message: t("error.forbidden") }, { status: 403 });
    return respond(
      formData,
      openForm,
      { form: "open-dossier", errorFields: { dossier_missing_document: "received", procedure_not_found: "procedureId" } },
      async ({ intent: _i, ...input }) => {
        const opened = await openDossier(context.services, actor, input);
        return opened.ok ? { message: t("dossier.opened", { code: opened.value.code }), code: opened.value.code } : { fieldErrors: opened.fieldErrors };
      },
    );
  }
  throw data({ message: t("error.bad_request") }, { status: 400 });
}

export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

export default function Dossiers({ loaderData }: Route.ComponentProps) {
  const revalidator = useRevalidator();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { connection } = useLiveSnapshot(loaderData.snapshot, {
    onDossier: () => {
      if (pending.current) clearTimeout(pending.current);
      pending.current = setTimeout(() => void revalidator.revalidate(), 150);
    },
  });
  const { work, role } = loaderData;
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      <main className="mx-auto max-w-7xl p-5">
        <DossierNav badge={{ "/dossiers/xin-loi": loaderData.drafts }} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">{t(`dossier.console.${role}`)}</h1>
            <p className="mt-1 text-slate-600">{t(`dossier.console.${role}.intro`)}</p>
          </div>
        </div>
        {loaderData.reception ? <Reception fields={loaderData.reception.fields} procedures={loaderData.reception.procedures} /> : null}
        {work.length === 0 ? (
          <p className="mt-6 rounded-xl bg-white p-6 text-center text-slate-500 shadow-sm ring-1 ring-slate-200" data-testid="dossiers-empty">
            {t("dossier.none")}
          </p>
        ) : (
          <div className="mt-4 grid gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="dossiers">
            {work.map((d) => (
              <DossierCard key={d.id} dossier={d} />
            ))}
          </div>
        )}
      </main>
    </div>
  );
}

/** Reception without a ticket: the counter's opening form, its procedures grouped by field; the code and the receipt once opened. */
function Reception({ fields, procedures }: { fields: Array<{ id: number; name: string }>; procedures: ProcedureOption[] }) {
  const [open, setOpen] = useState(false);
  // Each opening is a new form (fresh inputs for the next citizen).
  const [round, setRound] = useState(0);
  const fetcher = useFetcher<OpenReply>({ key: "open-dossier-reception" });
  const reply = fetcher.state === "idle" && fetcher.data?.form === "open-dossier" ? fetcher.data : undefined;
  const [answered, setAnswered] = useState(reply);
  const [opened, setOpened] = useState<string | null>(null);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.code) setOpened(reply.code);
  }
  const groups = fields.map((f) => ({ label: f.name, items: procedures.filter((p) => p.fieldId === f.id) }));
  const again = () => {
    setOpened(null);
    setRound((n) => n + 1);
    setOpen(true);
  };

  return (
    <section aria-labelledby="reception-title" className="mt-4 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="reception">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="reception-title" className="text-lg font-bold">
            {t("reception.dossier.title")}
          </h2>
          <p className="text-sm text-slate-600">{t("reception.dossier.intro")}</p>
        </div>
        {!open && !opened ? (
          <button type="button" onClick={again} className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            {t("reception.dossier.open")}
          </button>
        ) : null}
      </div>
      {opened ? (
        <div role="status" className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl bg-emerald-50 p-3 ring-1 ring-emerald-200" data-testid="reception-opened">
          <p className="text-emerald-900">
            {t("reception.dossier.opened")} <strong className="font-mono text-lg">{opened}</strong>
          </p>
          <Link to={`/dossiers/${opened}/giay-tiep-nhan`} className="font-semibold text-brand-800 underline underline-offset-2">
            {t("reception.dossier.receipt")}
          </Link>
          <button type="button" onClick={again} className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            {t("reception.dossier.another")}
          </button>
        </div>
      ) : open ? (
        <OpenDossierForm
          key={round}
          id={`open-dossier-reception-${round}`}
          fetcher={fetcher}
          reply={reply?.code ? undefined : reply}
          groups={groups}
          wide
          onCancel={() => setOpen(false)}
        />
      ) : null}
    </section>
  );
}
