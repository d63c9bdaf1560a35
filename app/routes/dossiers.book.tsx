import { data, Form } from "react-router";
import { bookChoices, trackingBook } from "../../server/dossiers/book";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import { DossierNav } from "../components/dossier-nav";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossiers.book";

export const meta: Route.MetaFunction = () => [{ title: `${t("book.title")} · ${t("app.name")}` }];

/** The filter as the URL carries it (a GET form: a filtered book can be bookmarked and shared). */
export const filterOf = (url: URL) => Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "dossier.work");
  const url = new URL(request.url);
  try {
    const [book, choices] = await Promise.all([trackingBook(context.services, actor, filterOf(url)), bookChoices(context.services, actor)]);
    return { user, book, choices, query: url.search, error: null };
  } catch (error) {
    if (!isAppError(error) || error.code !== "book_dates_invalid") throw isAppError(error) ? data({ message: error.message }, { status: error.status }) : error;
    const [book, choices] = await Promise.all([trackingBook(context.services, actor, {}), bookChoices(context.services, actor)]);
    return { user, book, choices, query: "", error: error.message };
  }
}

/** A date over its time: narrow enough for the book's columns at 1366 px. */
function When({ at }: { at: string }) {
  const [time, day] = formatDateTime(at).split(" ");
  return (
    <>
      <span className="block whitespace-nowrap">{day}</span>
      <span className="block text-xs text-slate-500">{time}</span>
    </>
  );
}

const TIMELINESS_STYLE: Record<string, string> = {
  late: "bg-red-100 text-red-900",
  due_soon: "bg-amber-100 text-amber-900",
  on_time: "bg-emerald-100 text-emerald-900",
  open: "bg-slate-100 text-slate-800",
  none: "bg-slate-100 text-slate-700",
};

export default function Book({ loaderData }: Route.ComponentProps) {
  const { book, choices, query, error } = loaderData;
  const f = book.filter;
  const select = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base";
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-[1800px] p-5">
        <DossierNav />
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h1 className="text-2xl font-bold">{t("book.title")}</h1>
          <p className="text-sm text-slate-500">
            {book.form.number} · {t("form.issuedBy", { basis: book.form.basis })}
          </p>
        </div>
        <Form method="get" className="mt-3 grid grid-cols-2 gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 md:grid-cols-4 xl:grid-cols-8" data-testid="book-filter">
          <label className="text-sm font-medium">
            {t("book.from")}
            <input type="date" name="from" defaultValue={f.from} className={select} />
          </label>
          <label className="text-sm font-medium">
            {t("book.to")}
            <input type="date" name="to" defaultValue={f.to} className={select} />
          </label>
          <label className="text-sm font-medium">
            {t("book.field")}
            <select name="fieldId" defaultValue={f.fieldId ?? ""} className={select}>
              <option value="">{t("book.all")}</option>
              {choices.fields.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium md:col-span-2 xl:col-span-1">
            {t("book.procedure")}
            <select name="procedureId" defaultValue={f.procedureId ?? ""} className={select}>
              <option value="">{t("book.all")}</option>
              {choices.procedures
                .filter((p) => !f.fieldId || p.fieldId === f.fieldId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            {t("book.state")}
            <select name="state" defaultValue={f.state} className={select}>
              <option value="all">{t("book.all")}</option>
              <option value="open">{t("book.open")}</option>
              <option value="closed">{t("book.closed")}</option>
            </select>
          </label>
          <label className="text-sm font-medium">
            {t("book.timeliness")}
            <select name="timeliness" defaultValue={f.timeliness} className={select}>
              <option value="all">{t("book.all")}</option>
              <option value="on_time">{t("book.onTime")}</option>
              <option value="due_soon">{t("book.dueSoon")}</option>
              <option value="late">{t("book.late")}</option>
            </select>
          </label>
          <label className="text-sm font-medium">
            {t("book.search")}
            <input type="search" name="q" defaultValue={f.q ?? ""} maxLength={60} className={select} />
          </label>
          <div className="col-span-2 flex items-end gap-2 md:col-span-4 xl:col-span-8">
            <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
              {t("book.filter")}
            </button>
            <a href={`/dossiers/so-theo-doi.xlsx${query}`} data-testid="book-export" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-brand-800 hover:bg-slate-50">
              {t("book.export")}
            </a>
            <span className="ml-auto text-slate-600" data-testid="book-count">
              {t("book.count", { n: book.total })}
            </span>
          </div>
        </Form>
        {error ? (
          <p role="alert" className="mt-3 rounded-lg bg-red-50 px-4 py-2 text-red-900 ring-1 ring-red-200">
            {error}
          </p>
        ) : null}
        {book.truncated ? <p className="mt-3 text-amber-800">{t("book.truncated", { n: book.rows.length })}</p> : null}
        {book.rows.length === 0 ? (
          <p className="mt-4 rounded-xl bg-white p-6 text-center text-slate-500 ring-1 ring-slate-200" data-testid="book-empty">
            {t("book.empty")}
          </p>
        ) : (
          <div className="mt-4 overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
            <table className="w-full text-left text-sm" data-testid="book-table">
              <thead className="bg-slate-50 text-slate-700">
                <tr className="[&>th]:px-3 [&>th]:py-2 [&>th]:font-semibold">
                  <th>{t("book.col.no")}</th>
                  <th>{t("book.col.code")}</th>
                  <th>{t("book.col.procedure")}</th>
                  <th>{t("book.col.applicant")}</th>
                  <th>{t("book.col.received")}</th>
                  <th>{t("book.col.due")}</th>
                  <th>{t("book.col.steps")}</th>
                  <th>{t("book.col.state")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {book.rows.map((r, i) => (
                  <tr key={r.id} className="align-top [&>td]:px-3 [&>td]:py-2" data-testid={`book-row-${r.code}`}>
                    <td className="tabular-nums text-slate-500">{i + 1}</td>
                    <td className="whitespace-nowrap font-mono font-semibold">
                      <a href={`/dossiers/${r.code}/phieu-kiem-soat`} className="text-brand-800 underline underline-offset-2">
                        {r.code}
                      </a>
                    </td>
                    <td className="min-w-48">
                      {r.procedure}
                      <span className="block text-xs text-slate-500">{r.field}</span>
                    </td>
                    <td className="min-w-40">
                      {r.applicant}
                      <span className="block text-xs text-slate-500">{r.contact}</span>
                    </td>
                    <td className="tabular-nums">
                      <When at={r.receivedAt} />
                    </td>
                    <td className="tabular-nums">
                      <When at={r.dueAt} />
                      {r.note ? <span className="block text-xs font-medium text-amber-800">{r.note}</span> : null}
                    </td>
                    <td className="text-xs tabular-nums text-slate-700">
                      {([
                        ["book.step.appraised", r.appraisedAt],
                        ["book.step.result", r.resultAt],
                        ["book.step.returned", r.returnedAt],
                      ] as const).map(([label, at]) =>
                        at ? (
                          <span key={label} className="block whitespace-nowrap">
                            {t(label)}: {formatDateTime(at)}
                          </span>
                        ) : null,
                      )}
                      {!r.appraisedAt && !r.resultAt && !r.returnedAt ? "—" : null}
                    </td>
                    <td className="min-w-36">
                      <span className={`inline-block rounded px-2 py-0.5 font-medium ${TIMELINESS_STYLE[r.timeliness]}`}>{r.status}</span>
                      <span className="block text-xs text-slate-500">{r.stateLabel}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
    </div>
  );
}
