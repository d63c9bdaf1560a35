import { Form } from "react-router";
import type { SessionUser } from "../../server/auth/session";
import { t } from "../../server/i18n";
import { Brand } from "./brand";

export function StaffHeader({ user, centreName, children }: { user: SessionUser; centreName?: string; children?: React.ReactNode }) {
  return (
    <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-5 py-2.5">
      <Brand subtitle={centreName} />
      <div className="flex items-center gap-4">
        {children}
        <span className="text-right text-sm leading-tight">
          <span className="block font-semibold">{user.fullName}</span>
          <span className="block text-slate-500">{t(`home.role.${user.role}`)}</span>
        </span>
        <Form method="post" action="/logout">
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
            {t("logout")}
          </button>
        </Form>
      </div>
    </header>
  );
}
