import { Link, redirect } from "react-router";
import { DEVICE_PAGES } from "../../server/devices/service";
import { t } from "../../server/i18n";
import { StaffHeader } from "../components/staff-header";
import { pagesFor } from "../lib/staff-pages";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: t("app.name") }];

export function loader({ context, request }: Route.LoaderArgs) {
  const { user, device } = context.auth;
  if (!user && device) throw redirect(DEVICE_PAGES[device.kind]);
  if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return { user };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { user } = loaderData;
  const pages = pagesFor(user);
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-4xl p-8">
        <h1 className="text-2xl font-bold">{t("home.hello", { name: user.fullName })}</h1>
        {pages.length === 0 ? <p className="mt-4 text-slate-600">{t("home.none")}</p> : null}
        <ul className="mt-6 grid gap-4 sm:grid-cols-2">
          {pages.map((p) => (
            <li key={p.to}>
              <Link to={p.to} className="block rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600">
                <span className="block text-lg font-semibold text-brand-800">{t(p.title)}</span>
                <span className="mt-1 block text-slate-600">{t(p.desc)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
