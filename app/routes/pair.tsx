import { data, Form, redirect, useNavigation } from "react-router";
import { setCookie } from "../../server/auth/cookies";
import { DEVICE_PAGES, findPairing, pairDevice } from "../../server/devices/service";
import { AppError, isAppError } from "../../server/errors";
import { Brand } from "../components/brand";
import { t } from "../../server/i18n";
import type { Route } from "./+types/pair";

/** A device cookie lasts until the device is revoked or paired again; the browser keeps it 5 years. */
const DEVICE_COOKIE_YEARS = 5;

export const meta: Route.MetaFunction = () => [{ title: `${t("pair.title")} · ${t("app.name")}` }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const pairing = await findPairing(context.services.db, params.code);
  if (!pairing) throw data({ message: new AppError("pairing_invalid").message }, { status: 404 });
  return { kind: pairing.device.kind, name: pairing.device.name, centreName: pairing.centreName };
}

export async function action({ params, context }: Route.ActionArgs) {
  try {
    const { device, token } = await pairDevice(context.services, params.code);
    const expires = new Date();
    expires.setFullYear(expires.getFullYear() + DEVICE_COOKIE_YEARS);
    return redirect(DEVICE_PAGES[device.kind], {
      headers: { "Set-Cookie": setCookie("device", token, expires, { secure: context.services.config.cookieSecure }) },
    });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export default function Pair({ loaderData }: Route.ComponentProps) {
  const navigation = useNavigation();
  return (
    <main className="grid min-h-screen place-items-center bg-slate-100 p-6">
      <div className="w-full max-w-lg rounded-2xl bg-white p-8 shadow-lg ring-1 ring-slate-200">
        <Brand />
        <h1 className="mt-6 text-2xl font-bold">{t("pair.title")}</h1>
        <p className="mt-3 text-lg text-slate-700">
          {t("pair.intro", { kind: t(`pair.kind.${loaderData.kind}`), name: loaderData.name, centre: loaderData.centreName })}
        </p>
        <Form method="post" className="mt-6">
          <button
            type="submit"
            disabled={navigation.state !== "idle"}
            className="w-full rounded-xl bg-brand-700 py-4 text-xl font-bold text-white hover:bg-brand-800 disabled:opacity-60"
          >
            {t("pair.submit")}
          </button>
        </Form>
      </div>
    </main>
  );
}
