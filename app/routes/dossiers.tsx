import { useRef } from "react";
import { data, useRevalidator } from "react-router";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { openDossier } from "../../server/dossiers/dossiers";
import { dossierRole, dossierWork, takeStep } from "../../server/dossiers/steps";
import { DOSSIER_ACTIONS } from "../../server/dossiers/workflow";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { DossierCard } from "../components/dossier-card";
import { DossierNav } from "../components/dossier-nav";
import { LiveBadge } from "../components/live-badge";
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
  const [snapshot, work] = await Promise.all([getStaffSnapshot(context.services, actor), dossierWork(context.services, actor)]);
  return { user, snapshot, work, role: dossierRole(user.role) };
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
      { form: "open-dossier", errorFields: { dossier_missing_document: "received" } },
      async ({ intent: _i, ...input }): Promise<Answer> => {
        const opened = await openDossier(context.services, actor, input);
        return opened.ok ? { message: t("dossier.opened", { code: opened.value.code }) } : { fieldErrors: opened.fieldErrors };
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
        <DossierNav />
        <h1 className="text-2xl font-bold">{t(`dossier.console.${role}`)}</h1>
        <p className="mt-1 text-slate-600">{t(`dossier.console.${role}.intro`)}</p>
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
