/** /api/v1 routes of dossiers: what waits for me, opening, steps, the tracking book, lateness letters. */
import { z } from "zod";
import { trackingBook } from "../dossiers/book";
import { listProcedures, openDossier } from "../dossiers/dossiers";
import { decideLetter, draftLetter, latenessLetters } from "../dossiers/letters";
import { dossierWork, takeStep } from "../dossiers/steps";
import { DOSSIER_ACTIONS } from "../dossiers/workflow";
import { id } from "../queue/inputs";
import { body, orRefusal, param, parse, type ApiRoute } from "./route";

const text = (max: number) => z.string().max(max);
const openInput = z.object({
  procedureId: id,
  ticketId: id.nullish(),
  applicantName: text(200),
  applicantIdNumber: text(40),
  applicantPhone: text(40),
  applicantAddress: text(600).nullish(),
  received: z.array(text(40)).max(50),
  notes: text(4000).nullish(),
});
const stepInput = z.object({ action: z.enum(DOSSIER_ACTIONS), reason: text(2000).nullish() });
const draftInput = z.object({ reason: text(2000), proposedDueDay: text(10) });
const decisionInput = z.object({ decision: z.enum(["approve", "cancel"]), reason: text(2000).nullish(), proposedDueDay: text(10).nullish() });

export const dossierRoutes: ApiRoute[] = [
  { method: "get", path: "/dossiers", access: "dossier.work", as: "user", handle: ({ actor, services }) => dossierWork(services, actor) },
  // The procedures a dossier may be opened for, with their documents (the keys `received` ticks).
  { method: "get", path: "/dossiers/procedures", access: "dossier.receive", as: "user", handle: ({ actor, services }) => listProcedures(services, actor) },
  {
    method: "post",
    path: "/dossiers",
    access: "dossier.receive",
    as: "user",
    handle: async ({ req, res, actor, services }) => (res.status(201), orRefusal(await openDossier(services, actor, parse(openInput, body(req)))).value),
  },
  {
    method: "post",
    path: "/dossiers/:dossierId/steps",
    access: "dossier.work",
    as: "user",
    handle: ({ req, actor, services }) => takeStep(services, actor, { dossierId: param(req, "dossierId"), ...parse(stepInput, body(req)) }),
  },
  {
    // The tracking book: ?from=&to=&fieldId=&procedureId=&state=&timeliness=&q= (as the page's filter).
    method: "get",
    path: "/dossiers/book",
    access: "dossier.work",
    as: "user",
    handle: ({ req, actor, services }) => trackingBook(services, actor, req.query as Record<string, unknown>),
  },
  { method: "get", path: "/dossier-letters", access: "dossier.work", as: "user", handle: ({ actor, services }) => latenessLetters(services, actor) },
  {
    method: "post",
    path: "/dossiers/:dossierId/letters",
    access: "dossier.work",
    as: "user",
    handle: async ({ req, res, actor, services }) => (res.status(201), (await draftLetter(services, actor, { dossierId: param(req, "dossierId"), ...parse(draftInput, body(req)) })).letter),
  },
  {
    method: "post",
    path: "/dossier-letters/:letterId/decision",
    access: "dossier.work",
    as: "user",
    handle: ({ req, actor, services }) => decideLetter(services, actor, { letterId: param(req, "letterId"), ...parse(decisionInput, body(req)) }),
  },
];
