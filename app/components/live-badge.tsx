import type { Connection } from "../lib/use-live-snapshot";
import { t } from "../../server/i18n";

const look = {
  online: { box: "bg-emerald-50 text-emerald-800", dot: "bg-emerald-500", text: "counter.live" },
  connecting: { box: "bg-slate-100 text-slate-700", dot: "bg-slate-400", text: "counter.connecting" },
  offline: { box: "bg-red-50 text-red-800", dot: "animate-pulse bg-red-500", text: "counter.offline" },
  restarting: { box: "bg-amber-50 text-amber-900", dot: "animate-pulse bg-amber-500", text: "counter.restarting" },
} as const;

export function LiveBadge({ connection }: { connection: Connection }) {
  const { box, dot, text } = look[connection];
  return (
    <span
      data-testid="live-badge"
      data-connection={connection}
      className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${box}`}
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${dot}`} />
      {t(text)}
    </span>
  );
}
