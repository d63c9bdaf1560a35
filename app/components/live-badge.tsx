import { t } from "../lib/i18n";

export function LiveBadge({ online }: { online: boolean }) {
  return (
    <span
      data-testid="live-badge"
      data-online={online}
      className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${online ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${online ? "bg-emerald-500" : "animate-pulse bg-red-500"}`} />
      {online ? t("counter.live") : t("counter.offline")}
    </span>
  );
}
