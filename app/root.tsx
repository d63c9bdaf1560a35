import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { isDemoCentre } from "../server/centres";
import { t } from "../server/i18n";
import { useNonce } from "./lib/nonce";
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

export function ErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let message = t("error.internal");
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const data = error.data as { message?: string } | string | undefined;
    message =
      typeof data === "object" && data?.message
        ? data.message
        : status === 404
          ? t("error.not_found")
          : typeof data === "string" && data
            ? data
            : message;
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-6xl font-bold text-slate-300">{status}</p>
      <p className="text-xl text-slate-800" role="alert">
        {message}
      </p>
      <a href="/" className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-800">
        {t("common.home")}
      </a>
    </main>
  );
}
