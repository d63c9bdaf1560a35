import { Form, Link, useNavigation, useSearchParams } from "react-router";
import { z } from "zod";
import { shownDay } from "../../server/calendar/days";
import { AUDIT_ACTIONS, AUDIT_PAGE, auditNames, searchAudit, type AuditAction } from "../../server/audit";
import { t, type MessageKey } from "../../server/i18n";
import { formatDateTime, serviceDayStart } from "../../server/time";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.audit";

export const meta: Route.MetaFunction = () => [{ title: `${t("admin.audit.title")} · ${t("app.name")}` }];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const query = z.object({
  q: z.string().max(100).optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  from: z.string().regex(DAY).optional().catch(undefined),
  to: z.string().regex(DAY).optional().catch(undefined),
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "audit.read");
  const names = await auditNames(context.services, actor);
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await searchAudit(context.services, actor, {
    text: params.q,
    action: params.action,
    from: params.from ? serviceDayStart(params.from) : undefined,
    to: params.to ? new Date(serviceDayStart(params.to).getTime() + 24 * 60 * 60_000) : undefined,
    beforeId: params.before,
  });
  return {
    user,
    rows: rows.map(({ before, after, ...r }) => ({
      ...r,
      at: r.at.toISOString(),
      target: r.targetType === "counter" || r.targetType === "user" || r.targetType === "field" || r.targetType === "procedure" ? (names[r.targetType].get(r.targetId ?? 0) ?? null) : null,
      changes: describeChanges(before, after, names),
    })),
    more: rows.length === AUDIT_PAGE ? rows[rows.length - 1]!.id : null,
  };
}

const actionLabel = (action: string) => t(`audit.action.${action as AuditAction}` as MessageKey);

type Names = { field: Map<number, string>; user: Map<number, string>; counter: Map<number, string>; procedure: Map<number, string> };

/** Labels of the values the services record; anything else shows its own name. */
const KEY_LABEL: Record<string, MessageKey> = {
  status: "audit.key.status",
  pauseReason: "audit.key.pauseReason",
  officerId: "audit.key.officerId",
  fieldIds: "audit.key.fieldIds",
  fieldId: "audit.key.fieldId",
  counter: "audit.key.counter",
  counterReleased: "audit.key.counterReleased",
  fullName: "audit.key.fullName",
  username: "audit.key.username",
  role: "audit.key.role",
  isActive: "audit.key.isActive",
  isOpen: "audit.key.isOpen",
  sessionsEnded: "audit.key.sessionsEnded",
  otherSessionsEnded: "audit.key.sessionsEnded",
  name: "audit.key.name",
  code: "audit.key.code",
  prefix: "audit.key.prefix",
  number: "audit.key.number",
  sortOrder: "audit.key.sortOrder",
  ticket: "audit.key.ticket",
  activeTicket: "audit.key.activeTicket",
  returned: "audit.key.returned",
  notice: "audit.key.notice",
  until: "audit.key.until",
  queueMode: "audit.key.queueMode",
  kind: "audit.key.kind",
  targetCounterId: "audit.key.targetCounterId",
  targetOfficerId: "audit.key.targetOfficerId",
  level: "audit.key.level",
  legalBasis: "audit.key.legalBasis",
  documents: "audit.key.documents",
  processingDays: "audit.key.processingDays",
  processingHours: "audit.key.processingHours",
  fee: "audit.key.fee",
  onTheSpot: "audit.key.onTheSpot",
  needsAppraisal: "audit.key.needsAppraisal",
  approverRole: "audit.key.approverRole",
  year: "audit.key.year",
  daysOff: "audit.key.daysOff",
  workingDays: "audit.key.workingDays",
  tet: "audit.key.tet",
  nationalDayExtra: "audit.key.nationalDayExtra",
  source: "audit.key.source",
  dossierCutoff: "audit.key.dossierCutoff",
};

const isDay = (value: unknown): value is string => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);

function describeValue(key: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? t("audit.value.yes") : t("audit.value.no");
  if (key === "status" && typeof value === "string" && ["open", "paused", "closed"].includes(value)) return t(`counter.state.${value as "open" | "closed"}`, { reason: "" }).replace(/:\s*$/, "");
  if (key === "status" && typeof value === "string") return t(`status.${value}` as MessageKey);
  if (key === "role" && typeof value === "string") return t(`home.role.${value as "officer"}`);
  if (key === "pauseReason" && typeof value === "string") return t(`reason.pause.${value}` as MessageKey);
  if (key === "activeTicket" && typeof value === "string") return t(`audit.value.${value}` as MessageKey);
  if (key === "fieldIds" && Array.isArray(value)) return value.map((id) => names.field.get(Number(id)) ?? `#${id}`).join(", ") || "—";
  if (key === "fieldId") return names.field.get(Number(value)) ?? `#${value}`;
  if (key === "officerId" || key === "targetOfficerId") return names.user.get(Number(value)) ?? `#${value}`;
  if (key === "targetCounterId") return names.counter.get(Number(value)) ?? `#${value}`;
  if ((key === "until" || key.endsWith("At")) && typeof value === "string") return formatDateTime(value);
  if (key === "level" && (value === "province" || value === "commune")) return t(`procedures.level.${value}`);
  if (key === "approverRole" && (value === "approver" || value === "appraiser")) return t(`procedures.approverRole.${value}`);
  // A procedure's documents: «name (form × count, mandatory)», one after the other.
  if (key === "documents" && Array.isArray(value))
    return (value as Array<{ name: string; form: "original" | "certified_copy" | "copy"; count: number; mandatory: boolean }>)
      .map((d) => `${d.name} (${t(`dossier.form.${d.form}`)}${d.count > 1 ? ` × ${d.count}` : ""}${d.mandatory ? `, ${t("dossier.mandatory")}` : ""})`)
      .join("; ");
  // The calendar's days (days off, make-up days, Tết), as people read dates.
  if (isDay(value)) return shownDay(value);
  if (Array.isArray(value) && value.every(isDay)) return value.map(shownDay).join(", ") || "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "what: before → after" for each value the row records, in words. */
function describeChanges(before: unknown, after: unknown, names: Names): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((k) => {
    const label = KEY_LABEL[k] ? t(KEY_LABEL[k]) : k;
    if (k in b && k in a) return `${label}: ${describeValue(k, b[k], names)} → ${describeValue(k, a[k], names)}`;
    return `${label}: ${describeValue(k, k in a ? a[k] : b[k], names)}`;
  });
}

export default function Audit({ loaderData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { rows, more, user } = loaderData;
  const next = new URLSearchParams(params);
  if (more) next.set("before", String(more));
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-7xl px-6 py-5">
        <h1 className="text-2xl font-bold">{t("admin.audit.title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t("admin.audit.intro")}</p>
        <Form method="get" className="mt-4 flex flex-wrap items-end gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" role="search">
          <label className="min-w-64 flex-1 text-sm font-medium">
            {t("admin.audit.search")}
            <input name="q" defaultValue={params.get("q") ?? ""} maxLength={100} className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" />
          </label>
          <label className="text-sm font-medium">
            {t("admin.audit.action")}
            <select name="action" defaultValue={params.get("action") ?? ""} className="mt-1 block rounded-lg border border-slate-300 bg-white px-3 py-2 text-base">
              <option value="">{t("admin.audit.allActions")}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            {t("admin.audit.from")}
            <input type="date" name="from" defaultValue={params.get("from") ?? ""} className="mt-1 block rounded-lg border border-slate-300 px-3 py-2 text-base" />
          </label>
          <label className="text-sm font-medium">
            {t("admin.audit.to")}
            <input type="date" name="to" defaultValue={params.get("to") ?? ""} className="mt-1 block rounded-lg border border-slate-300 px-3 py-2 text-base" />
          </label>
          <button type="submit" className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            {navigation.state === "loading" ? t("admin.audit.searching") : t("admin.audit.submit")}
          </button>
        </Form>
        {rows.length === 0 ? (
          <p className="mt-6 text-slate-600">{t("admin.audit.empty")}</p>
        ) : (
          <table className="mt-4 w-full rounded-xl bg-white text-left text-sm shadow-sm ring-1 ring-slate-200" data-testid="audit">
            <thead className="bg-slate-50 text-slate-600">
              <tr className="[&>th]:px-3 [&>th]:py-2.5 [&>th]:font-semibold [&>th]:whitespace-nowrap">
                <th>{t("admin.audit.at")}</th>
                <th>{t("admin.audit.who")}</th>
                <th>{t("admin.audit.action")}</th>
                <th>{t("admin.audit.change")}</th>
                <th>{t("admin.audit.reason")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="align-top [&>td]:px-3 [&>td]:py-2">
                  <td className="whitespace-nowrap tabular-nums">{formatDateTime(r.at)}</td>
                  <td>
                    {r.actorName ?? (r.actorDeviceId ? t("admin.audit.device", { id: r.actorDeviceId }) : t("admin.audit.system"))}
                    {r.address ? <span className="block text-xs text-slate-500">{r.address}</span> : null}
                  </td>
                  <td>
                    <span className="whitespace-nowrap">{actionLabel(r.action)}</span>
                    {r.target ? <span className="block text-xs text-slate-500">{r.target}</span> : null}
                  </td>
                  <td>
                    <ul className="text-slate-700">
                      {r.changes.map((line) => (
                        <li key={line} className="[overflow-wrap:anywhere]">
                          {line}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{r.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {more ? (
          <Link to={`?${next.toString()}`} className="mt-4 inline-block font-medium text-brand-800 underline">
            {t("admin.audit.older")}
          </Link>
        ) : null}
      </main>
    </div>
  );
}
