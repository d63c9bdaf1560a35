/** /api/v1 routes of the queue: the snapshot, issuing, the counter's work. */
import { finishTicket, markNoShow, recallTicket } from "../queue/at-counter";
import { callNextTicket, callSpecificTicket } from "../queue/calling";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../queue/counters";
import { callInput, cancelInput, finishInput, issueInput, pauseInput, signOutInput, transferInput, transferTarget } from "../queue/inputs";
import { issueTicket } from "../queue/issuing";
import { getCounterQueue } from "../queue/read";
import { callsSince, snapshotFor } from "../queue/snapshot";
import { listTransferTargets, rerouteTicket, transferTicket } from "../queue/transfer";
import { cancelTicket, rejoinTicket } from "../queue/waiting";
import { z } from "zod";
import { body, param, parse, type ApiRoute } from "./route";

const afterSeqInput = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const queueRoutes: ApiRoute[] = [
  { method: "get", path: "/snapshot", access: "queue.watch", as: "any", handle: ({ actor, services }) => snapshotFor(services, actor) },
  {
    // The calls made after a sequence number, for a screen that was away (?afterSeq=, 0 by default).
    method: "get",
    path: "/calls",
    access: "queue.watch",
    as: "any",
    handle: ({ req, actor, services }) => callsSince(services, actor, { afterSeq: parse(afterSeqInput, req.query.afterSeq ?? "0") }),
  },
  {
    method: "post",
    path: "/kiosk/tickets",
    access: "ticket.issue",
    as: "device",
    handle: async ({ req, res, actor, services }) => (res.status(201), issueTicket(services, actor, parse(issueInput, req.body))),
  },
  {
    method: "post",
    path: "/reception/tickets",
    access: "ticket.issue",
    as: "user",
    handle: async ({ req, res, actor, services }) => (res.status(201), issueTicket(services, actor, parse(issueInput, req.body))),
  },
  {
    method: "post",
    path: "/counters/:counterId/sign-in",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => signInToCounter(services, actor, { counterId: param(req, "counterId") }),
  },
  {
    method: "post",
    path: "/counters/sign-out",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => signOutOfCounter(services, actor, parse(signOutInput, body(req))),
  },
  {
    method: "post",
    path: "/counters/pause",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => setCounterPaused(services, actor, { paused: true, ...parse(pauseInput, body(req)) }),
  },
  {
    method: "post",
    path: "/counters/resume",
    access: "counter.operate",
    as: "user",
    handle: ({ actor, services }) => setCounterPaused(services, actor, { paused: false }),
  },
  {
    method: "get",
    path: "/counters/:counterId/queue",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => getCounterQueue(services, actor, { counterId: param(req, "counterId") }),
  },
  {
    method: "get",
    path: "/transfer-targets",
    access: "counter.operate",
    as: "user",
    handle: ({ actor, services }) => listTransferTargets(services, actor),
  },
  {
    method: "post",
    path: "/counters/:counterId/call-next",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => callNextTicket(services, actor, { counterId: param(req, "counterId") }),
  },
  {
    method: "post",
    path: "/counters/:counterId/call",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => callSpecificTicket(services, actor, { counterId: param(req, "counterId"), ...parse(callInput, req.body) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/recall",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => recallTicket(services, actor, { ticketId: param(req, "ticketId") }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/no-show",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => markNoShow(services, actor, { ticketId: param(req, "ticketId") }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/rejoin",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => rejoinTicket(services, actor, { ticketId: param(req, "ticketId") }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/cancel",
    access: "ticket.cancel",
    as: "user",
    handle: ({ req, actor, services }) => cancelTicket(services, actor, { ticketId: param(req, "ticketId"), ...parse(cancelInput, body(req)) }),
  },
  {
    method: "post",
    path: "/tickets/:ticketId/transfer",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => {
      const input = parse(transferInput, body(req));
      return transferTicket(services, actor, { ticketId: param(req, "ticketId"), to: transferTarget(input), note: input.note });
    },
  },
  {
    method: "post",
    path: "/tickets/:ticketId/reroute",
    access: "queue.steer",
    as: "user",
    handle: ({ req, actor, services }) => {
      const input = parse(transferInput, body(req));
      return rerouteTicket(services, actor, { ticketId: param(req, "ticketId"), to: transferTarget(input), note: input.note });
    },
  },
  {
    method: "post",
    path: "/tickets/:ticketId/finish",
    access: "counter.operate",
    as: "user",
    handle: ({ req, actor, services }) => finishTicket(services, actor, { ticketId: param(req, "ticketId"), ...parse(finishInput, body(req)) }),
  },
];
