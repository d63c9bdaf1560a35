/** The dossier pages, one tab each: what waits for me, the tracking book, apologies and new dates. */
import { NavLink } from "react-router";
import { t } from "../../server/i18n";

const TABS = [
  { to: "/dossiers", label: "dossierNav.work" },
  { to: "/dossiers/so-theo-doi", label: "dossierNav.book" },
  { to: "/dossiers/xin-loi", label: "dossierNav.letters" },
] as const;

export function DossierNav({ badge }: { badge?: Partial<Record<(typeof TABS)[number]["to"], number>> }) {
  return (
    <nav aria-label={t("dossierNav.label")} className="mb-4 flex gap-1 border-b border-slate-200 print:hidden">
      {TABS.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end
          className={({ isActive }) =>
            `-mb-px flex items-center gap-2 rounded-t-lg border px-4 py-2 font-medium ${isActive ? "border-slate-200 border-b-slate-50 bg-slate-50 text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900"}`
          }
        >
          {t(tab.label)}
          {badge?.[tab.to] ? <span className="rounded-full bg-amber-500 px-2 text-sm font-bold text-white">{badge[tab.to]}</span> : null}
        </NavLink>
      ))}
    </nav>
  );
}
