import { data } from "react-router";
import { controlSlipData, controlSlipPdf, printedBase } from "../../server/dossiers/receipt";
import { isAppError } from "../../server/errors";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-control-pdf";

/** The control slip as a PDF (resource route). */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  try {
    const slip = await controlSlipData(context.services, actor, { code: params.code, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    return new Response(Buffer.from(await controlSlipPdf(slip)), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="phieu-kiem-soat-${slip.dossier.code}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}
