/**
 * The 80 mm ticket slip, one content for the kiosk and the reception desk: the centre, the code,
 * the field, when, where it stands, the QR code of its tracking page and, once a dossier was
 * opened for the visit, its code. The QR is an SVG from the `qrcode` library, as a data URL.
 */
import { and, asc, eq } from "drizzle-orm";
import QRCode from "qrcode";
import { centres, dossiers, fields, priorityClasses, tickets } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { IssuedTicket } from "../queue/issuing";
import { ticketStanding } from "../queue/standing";
import { trackingUrlOf } from "./urls";

export type SlipData = {
  centreName: string;
  code: string;
  fieldName: string;
  issuedAt: string;
  priorityClassName: string | null;
  /** Where it stood when printed (null once it is no longer waiting). */
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
  trackingUrl: string;
  /** The QR code of `trackingUrl`: an SVG data URL. */
  qr: string;
  dossierCodes: string[];
};

/** An SVG QR code of `url`, as a data URL an <img> shows (sharp at any size, on screen and on paper). */
export async function qrDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/** The slip of a ticket just issued (issueTicket's answer). `base`: the printed address (printedBase). */
export async function issuedSlip(deps: Pick<ServiceDeps, "db">, actor: Actor, issued: IssuedTicket, base: string): Promise<SlipData> {
  const [centre] = await deps.db.select({ name: centres.name }).from(centres).where(eq(centres.id, centreOf(actor)));
  const trackingUrl = trackingUrlOf(issued.trackingToken, base);
  return {
    centreName: centre!.name,
    code: issued.ticket.code,
    fieldName: issued.fieldName,
    issuedAt: issued.ticket.issuedAt,
    priorityClassName: issued.priorityClassName,
    peopleAhead: issued.peopleAhead,
    estimatedWaitMinutes: issued.estimatedWaitMinutes,
    trackingUrl,
    qr: await qrDataUrl(trackingUrl),
    dossierCodes: [],
  };
}

/** A slip printed again at reception: as the ticket stands now, with the dossiers opened since. */
export async function reprintSlip(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, input: { ticketId: number }, base: string): Promise<SlipData> {
  authorize(actor, "ticket.issue");
  const [row] = await deps.db
    .select({ ticket: tickets, fieldName: fields.name, centreName: centres.name, priorityClassName: priorityClasses.name })
    .from(tickets)
    .innerJoin(fields, eq(fields.id, tickets.fieldId))
    .innerJoin(centres, eq(centres.id, tickets.centreId))
    .leftJoin(priorityClasses, eq(priorityClasses.id, tickets.priorityClassId))
    .where(and(eq(tickets.id, input.ticketId), eq(tickets.centreId, centreOf(actor))));
  if (!row?.ticket.trackingToken) throw new AppError("ticket_not_found");
  const { ticket } = row;
  const standing = ticket.status === "waiting" ? await ticketStanding(deps.db, ticket, clock(deps)) : null;
  const opened = await deps.db.select({ code: dossiers.code }).from(dossiers).where(eq(dossiers.ticketId, ticket.id)).orderBy(asc(dossiers.id));
  const trackingUrl = trackingUrlOf(ticket.trackingToken!, base);
  return {
    centreName: row.centreName,
    code: ticket.code,
    fieldName: row.fieldName,
    issuedAt: ticket.issuedAt.toISOString(),
    priorityClassName: row.priorityClassName,
    peopleAhead: standing?.peopleAhead ?? null,
    estimatedWaitMinutes: standing?.estimatedWaitMinutes ?? null,
    trackingUrl,
    qr: await qrDataUrl(trackingUrl),
    dossierCodes: opened.map((d) => d.code),
  };
}
