import { Link, redirect } from "react-router";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import { t, type MessageKey } from "../../server/i18n";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: t("app.name") }];

export function loader({ context, request }: Route.LoaderArgs) {
  if (!context.auth.user && context.auth.device) throw redirect(`/${context.auth.device.kind}`);
  const user = requireUser(context, request);
  const links: Array<{ to: string; title: MessageKey; desc: MessageKey }> = [
    { to: "/counter", title: "home.open.counter", desc: "home.open.counter.desc" },
    { to: "/reception", title: "home.open.reception", desc: "home.open.reception.desc" },
  ];
  if (user.role !== "officer") links.push({ to: "/supervisor", title: "home.open.supervisor", desc: "home.open.supervisor.desc" });
  if (user.role === "admin") links.push({ to: "/admin/devices", title: "home.open.devices", desc: "home.open.devices.desc" });
  if (user.role === "admin") links.push({ to: "/admin/queue", title: "admin.home.queue", desc: "admin.home.queue.desc" });
  return { user, links };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { user, links } = loaderData;
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-4xl p-8">
        <h1 className="text-2xl font-bold">{t("home.hello", { name: user.fullName })}</h1>
        <ul className="mt-6 grid gap-4 sm:grid-cols-2">
          {links.map((l) => (
            <li key={l.to}>
              <Link to={l.to} className="block rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600">
                <span className="block text-lg font-semibold text-brand-800">{t(l.title)}</span>
                <span className="mt-1 block text-slate-600">{t(l.desc)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
