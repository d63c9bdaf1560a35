import { Link } from "react-router";
import { t } from "../../server/i18n";

/** The product mark: used in every staff page header. */
export function Brand({ subtitle }: { subtitle?: string }) {
  return (
    <Link to="/" className="flex items-center gap-3">
      <span aria-hidden className="grid h-9 w-9 place-items-center rounded-lg bg-red-700 text-lg font-black text-yellow-300">
        1
      </span>
      <span className="leading-tight">
        <span className="block text-lg font-bold text-slate-900">{t("app.name")}</span>
        {subtitle ? <span className="block text-xs text-slate-500">{subtitle}</span> : null}
      </span>
    </Link>
  );
}
