import { data } from "react-router";
import { BOOK_EXPORT_LIMIT, bookChoices, bookWorkbook, trackingBook } from "../../server/dossiers/book";
import { isAppError } from "../../server/errors";
import { requireUser } from "../lib/guards.server";
import { filterOf } from "./dossiers.book";
import type { Route } from "./+types/dossiers.book-xlsx";

/** The tracking book, as filtered, as an Excel file (resource route). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  try {
    const url = new URL(request.url);
    const book = await trackingBook(context.services, actor, filterOf(url), { limit: BOOK_EXPORT_LIMIT });
    const { centreName } = await bookChoices(context.services, actor);
    const file = await bookWorkbook(book, centreName);
    return new Response(new Uint8Array(file), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="so-theo-doi-ho-so-${book.filter.from}-${book.filter.to}.xlsx"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message }, { status: error.status });
    throw error;
  }
}
