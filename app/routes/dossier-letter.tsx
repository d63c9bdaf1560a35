import QRCode from "qrcode";
import { data } from "react-router";
import { letterData } from "../../server/dossiers/forms";
import { letterKindOf, LETTER_SLUGS } from "../../server/dossiers/legal-forms";
import { printedBase } from "../../server/dossiers/receipt";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { A4Sheet } from "../components/forms/a4-sheet";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-letter";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${d?.form.title ?? ""} ${d?.code ?? ""} · ${t("app.name")}` }];

/** A dossier's letter — supplement request, refusal, stop notice, apology — as an A4 page to print. */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  const kind = letterKindOf(params.form);
  if (!kind) throw data({ message: t("error.not_found") }, { status: 404 });
  try {
    const letter = await letterData(context.services, actor, { code: params.code, kind, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    const qr = await QRCode.toDataURL(letter.lookupUrl, { margin: 1, width: 200, errorCorrectionLevel: "M" });
    return { ...letter, qr };
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export default function Letter({ loaderData }: Route.ComponentProps) {
  const { form, centre, code, issuedAt, paragraphs, signer, qr, lookupUrl, kind, legalBasis } = loaderData;
  return (
    <A4Sheet testId="letter" agency={centre.name} date={issuedAt} form={form} pdfHref={`/dossiers/${code}/phieu/${LETTER_SLUGS[kind]}/pdf`} printLabel={t("form.print")}>
      <div className="mt-6 flex items-start justify-between gap-4">
        <div className="flex-1 text-center">
          <h1 data-testid="letter-title" className="text-[15pt] font-bold uppercase">
            {form.title}
          </h1>
          <p className="mt-1">
            {t("receipt.code")}: <span data-testid="letter-code" className="font-mono font-bold">{code}</span>
          </p>
        </div>
        <img src={qr} alt={t("receipt.qr")} className="size-[24mm]" />
      </div>
      <div className="mt-4 space-y-2" data-testid="letter-body">
        {paragraphs.map((p, i) => (
          <p key={i} className={p.emphasis ? "pl-6 font-semibold" : i === 0 ? "font-semibold" : "text-justify indent-8"}>
            {p.text}
          </p>
        ))}
      </div>
      <p className="mt-3 text-[11pt] italic" data-testid="letter-legal">
        {t("receipt.legalBasis", { basis: legalBasis })}
      </p>
      <div className="mt-8 grid grid-cols-2 text-center">
        <div />
        <div>
          <p className="font-bold uppercase">{signer.title}</p>
          <p className="italic">{t("form.signHint")}</p>
          <p className="mt-20 font-semibold">{signer.name}</p>
        </div>
      </div>
      <p className="mt-10 border-t border-black pt-2 text-[11pt]">{t("form.lookup", { url: lookupUrl })}</p>
    </A4Sheet>
  );
}
