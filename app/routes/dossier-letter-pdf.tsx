import { data } from "react-router";
import { letterData } from "../../server/dossiers/forms";
import { letterKindOf } from "../../server/dossiers/legal-forms";
import { letterPdf, printedBase } from "../../server/dossiers/receipt";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-letter-pdf";

/** A dossier's letter as a PDF (resource route). */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  const kind = letterKindOf(params.form);
  if (!kind) throw data({ message: t("error.not_found") }, { status: 404 });
  try {
    const letter = await letterData(context.services, actor, { code: params.code, kind, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    const pdf = await letterPdf(letter);
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="${params.form}-${letter.code}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}
