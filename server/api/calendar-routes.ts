/**
 * /api/v1 routes of the working-day calendar: the year as the centre sees it, the deployment's
 * decision (its administrator), the centre's own days and its cut-off (the centre's
 * administrator). The services check every rule; a refusal is a 400 naming the problem.
 */
import { z } from "zod";
import { calendarYear, saveCentreDecision, saveCutoff, saveDeploymentDecision } from "../calendar/decisions";
import { body, orRefusal, param, parse, type ApiRoute } from "./route";

const anything = z.record(z.string(), z.unknown());

export const calendarRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/calendar/:year",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({ calendar: await calendarYear(services, actor, { year: param(req, "year") }) }),
  },
  {
    method: "post",
    path: "/calendar/:year/deployment",
    access: "centres.manage",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      decision: orRefusal(await saveDeploymentDecision(services, actor, { ...parse(anything, body(req)), year: param(req, "year") } as never)).value,
    }),
  },
  {
    method: "post",
    path: "/calendar/:year/centre",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      centre: orRefusal(await saveCentreDecision(services, actor, { ...parse(anything, body(req)), year: param(req, "year") } as never)).value,
    }),
  },
  {
    method: "post",
    path: "/calendar/cutoff",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => orRefusal(await saveCutoff(services, actor, parse(z.object({ cutoff: z.string().max(10).nullable() }), body(req)))).value,
  },
];
