/** The centre's set-up is one place with tabs: its shape (fields, counters, hours), its queue rules, its procedure catalogue, its working-day calendar. */
import { NavLink } from "react-router";
import { t } from "../../../server/i18n";

const TABS = [
  { to: "/admin/centre", label: "admin.tabs.structure" },
  { to: "/admin/queue", label: "admin.tabs.queue" },
  { to: "/admin/procedures", label: "admin.tabs.procedures" },
  { to: "/admin/calendar", label: "admin.tabs.calendar" },
] as const;

export function CentreTabs() {
  return (
    <nav aria-label={t("admin.tabs.label")} className="mb-4 flex gap-1 border-b border-slate-200">
      {TABS.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end
          className={({ isActive }) =>
            `-mb-px rounded-t-lg border px-4 py-2 font-medium ${isActive ? "border-slate-200 border-b-slate-50 bg-slate-50 text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900"}`
          }
        >
          {t(tab.label)}
        </NavLink>
      ))}
    </nav>
  );
}
