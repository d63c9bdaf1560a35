import { Form, Link, NavLink } from "react-router";
import type { SessionUser } from "../../server/auth/session";
import { t } from "../../server/i18n";
import { pagesFor } from "../lib/staff-pages";
import { Brand } from "./brand";

/** The top bar of every staff page: the centre, the pages this role may open, who is signed in. */
export function StaffHeader({ user, centreName, children }: { user: SessionUser; centreName?: string; children?: React.ReactNode }) {
  const pages = pagesFor(user).filter((p) => !p.tabOf);
  return (
    <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-5 py-2">
      <div className="flex min-w-0 items-center gap-6">
        <Brand subtitle={centreName ?? user.centreName} />
        {pages.length > 1 ? (
          <nav aria-label={t("nav.label")}>
            <ul className="flex gap-1">
              {pages.map((p) => (
                <li key={p.to}>
                  <NavLink
                    to={p.to}
                    className={({ isActive }) =>
                      `block rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${isActive ? "bg-brand-50 text-brand-800 ring-1 ring-brand-200" : "text-slate-700 hover:bg-slate-100"}`
                    }
                  >
                    {t(p.short)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </div>
      <div className="flex items-center gap-4">
        {children}
        <Link to="/account" title={t("account.link")} className="rounded-md px-1.5 py-0.5 text-right text-sm leading-tight hover:bg-slate-100">
          <span className="block font-semibold whitespace-nowrap">{user.fullName}</span>
          <span className="block text-slate-500">{t(`home.role.${user.role}`)}</span>
        </Link>
        <Form method="post" action="/logout">
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm whitespace-nowrap hover:bg-slate-50">
            {t("logout")}
          </button>
        </Form>
      </div>
    </header>
  );
}
