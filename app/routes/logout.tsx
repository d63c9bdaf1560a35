import { redirect } from "react-router";
import { clearCookie } from "../../server/auth/cookies";
import { endSession } from "../../server/auth/session";
import type { Route } from "./+types/logout";

export async function action({ context }: Route.ActionArgs) {
  const { services, auth } = context;
  if (auth.session) await endSession(services, auth.session.id, { address: context.clientAddress });
  return redirect("/login", { headers: { "Set-Cookie": clearCookie("session", { secure: services.config.cookieSecure }) } });
}

export const loader = () => redirect("/");
