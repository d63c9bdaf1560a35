import { useEffect } from "react";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { isDemoCentre } from "../server/centres";
import { t } from "../server/i18n";
import { useNonce } from "./lib/nonce";
import { reloadWhenHealthy } from "./lib/offline";
import "./app.css";

export const meta: Route.MetaFunction = () => [{ title: t("app.name") }];

export const links: Route.LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

/** Whether this page belongs to a demo centre (or, before anyone signs in, a demo deployment). */
export async function loader({ context }: Route.LoaderArgs) {
  const centreId = context.auth.user?.centreId ?? context.auth.device?.centreId;
  return { demo: centreId ? await isDemoCentre(context.services.db, centreId) : context.services.config.demoData };
}

// Whether a centre is a demo does not change while a page is open.
export const shouldRevalidate = () => false;

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {root?.demo ? (
          <p
            data-testid="demo-badge"
            className="pointer-events-none fixed top-0 left-1/2 z-50 -translate-x-1/2 rounded-b-md bg-amber-400/90 px-3 py-0.5 text-xs font-semibold text-slate-900 print:hidden"
          >
            {t("app.demo")}
          </p>
        ) : null}
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Screens nobody at them can click: their error page always tries again by itself. */
const DEVICE_PAGES = ["/kiosk", "/display", "/danh-gia"];

type ErrorKind = "notFound" | "signIn" | "forbidden" | "refused" | "unavailable";

/**
 * What went wrong, in words, never a status code. A failure of the server or the network (a
 * 5xx, a page that could not be loaded) tries again by itself once the server answers
 * (app/lib/offline.ts), and so does every error on a kiosk or a waiting-room screen.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { pathname } = useLocation();
  const device = DEVICE_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  let kind: ErrorKind = "unavailable";
  let message = t("errorPage.unavailable.body");
  if (isRouteErrorResponse(error) && error.status < 500) {
    const data = error.data as { message?: string } | string | undefined;
    const said = typeof data === "object" && data?.message ? data.message : typeof data === "string" && data && !/^\d{3}\b/.test(data) ? data : null;
    kind = error.status === 404 ? "notFound" : error.status === 401 ? "signIn" : error.status === 403 ? "forbidden" : "refused";
    message = said ?? (kind === "notFound" ? t("error.not_found") : kind === "signIn" ? t("error.unauthenticated") : kind === "forbidden" ? t("error.forbidden") : t("error.bad_request"));
  }
  const retries = kind === "unavailable" || device;
  useEffect(() => (retries ? reloadWhenHealthy({ firstDelayMs: kind === "unavailable" ? 2_000 : 15_000 }) : undefined), [retries, kind]);
  const title = t(`errorPage.${kind}.title` as const);
  return (
    <main data-testid="error-page" data-kind={kind} className="mx-auto flex min-h-screen max-w-xl flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-3xl font-bold text-slate-900">{title}</h1>
      <p className="text-xl text-slate-700" role="alert">
        {message}
      </p>
      {retries ? (
        <p className="flex items-center gap-2 text-lg text-slate-600">
          <span aria-hidden className="size-3 animate-pulse rounded-full bg-amber-500" />
          {t("errorPage.retrying")}
        </p>
      ) : null}
      <div className="mt-2 flex flex-wrap justify-center gap-3">
        {retries ? (
          <button type="button" onClick={() => window.location.reload()} className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
            {t("errorPage.retryNow")}
          </button>
        ) : null}
        {device ? null : kind === "signIn" ? (
          <a href={`/login?redirectTo=${encodeURIComponent(pathname)}`} className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
            {t("errorPage.signIn.action")}
          </a>
        ) : (
          <a href="/" className="rounded-lg border border-slate-300 bg-white px-5 py-2.5 font-semibold text-slate-800 hover:bg-slate-50">
            {t("common.home")}
          </a>
        )}
      </div>
    </main>
  );
}
