import { data } from "react-router";
import { isAppError } from "../../server/errors";
import { printedBase, receiptData, receiptPdf } from "../../server/dossiers/receipt";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossier-receipt-pdf";

/** The receipt as a PDF to download or send (resource route: no page of its own). */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  try {
    const receipt = await receiptData(context.services, actor, { code: params.code, publicUrl: printedBase(context.services.config.publicUrl, request.url) });
    const pdf = await receiptPdf(receipt);
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="giay-tiep-nhan-${receipt.dossier.code}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}
