/**
 * /api/v1 routes of the centre's set-up (staff, fields, counters), the supervisor's steering and
 * the audit log. Bodies go to the services whole: their Zod schemas say what is wrong, per input.
 */
import { z } from "zod";
import { searchAudit } from "../audit";
import { listCounters, saveCounter, saveField } from "../admin/structure";
import { createUser, listStaff, updateUser } from "../admin/users";
import { plainText } from "../input";
import { id } from "../queue/inputs";
import { PAUSE_REASONS } from "../queue/reasons";
import { moveOfficer, postNotice, setCounterFields, signOfficerOut, steerCounterPause } from "../supervision/steering";
import { body, orRefusal, param, parse, type ApiRoute } from "./route";

const reason = plainText(200).optional();
const activeTicket = z.enum(["finish", "requeue"]).optional();
const fieldIds = z.array(id).max(200);
const anything = z.record(z.string(), z.unknown());
const auditQuery = z.object({
  text: plainText(100).optional(),
  action: z.string().regex(/^[a-z_.]{1,40}$/).optional(),
  beforeId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

export const adminRoutes: ApiRoute[] = [
  { method: "get", path: "/users", access: "users.manage", as: "user", handle: ({ actor, services }) => listStaff(services, actor) },
  {
    method: "post",
    path: "/users",
    access: "users.manage",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const result = orRefusal(await createUser(services, actor, parse(anything, body(req)) as never));
      res.status(201);
      return { user: publicUser(result.value) };
    },
  },
  {
    method: "post",
    path: "/users/:userId",
    access: "users.manage",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      user: publicUser(orRefusal(await updateUser(services, actor, { ...parse(anything, body(req)), userId: param(req, "userId") } as never)).value),
    }),
  },
  {
    method: "post",
    path: "/fields",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const { id: _ignored, ...input } = parse(anything, body(req));
      const result = orRefusal(await saveField(services, actor, input as never));
      res.status(201);
      return { field: result.value };
    },
  },
  {
    method: "post",
    path: "/fields/:fieldId",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      field: orRefusal(await saveField(services, actor, { ...parse(anything, body(req)), id: param(req, "fieldId") } as never)).value,
    }),
  },
  { method: "get", path: "/counters", access: "centre.configure", as: "user", handle: async ({ actor, services }) => ({ counters: await listCounters(services, actor) }) },
  {
    method: "post",
    path: "/counters",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const { id: _ignored, ...input } = parse(anything, body(req));
      const result = orRefusal(await saveCounter(services, actor, input as never));
      res.status(201);
      return { counter: result.value };
    },
  },
  {
    method: "post",
    path: "/counters/:counterId",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      counter: orRefusal(await saveCounter(services, actor, { ...parse(anything, body(req)), id: param(req, "counterId") } as never)).value,
    }),
  },
  {
    method: "post",
    path: "/supervision/counters/:counterId/pause",
    access: "counters.steer",
    as: "user",
    handle: ({ req, actor, services }) =>
      steerCounterPause(services, actor, {
        counterId: param(req, "counterId"),
        ...parse(z.object({ paused: z.boolean(), reason: z.enum(PAUSE_REASONS).optional(), note: reason }), body(req)),
      }),
  },
  {
    method: "post",
    path: "/supervision/counters/:counterId/sign-out",
    access: "counters.steer",
    as: "user",
    handle: ({ req, actor, services }) =>
      signOfficerOut(services, actor, { counterId: param(req, "counterId"), ...parse(z.object({ activeTicket, reason }), body(req)) }),
  },
  {
    method: "post",
    path: "/supervision/counters/:counterId/fields",
    access: "counters.steer",
    as: "user",
    handle: ({ req, actor, services }) =>
      setCounterFields(services, actor, { counterId: param(req, "counterId"), ...parse(z.object({ fieldIds, reason }), body(req)) }),
  },
  {
    method: "post",
    path: "/supervision/officers/:userId/move",
    access: "counters.steer",
    as: "user",
    handle: ({ req, actor, services }) =>
      moveOfficer(services, actor, { officerId: param(req, "userId"), ...parse(z.object({ toCounterId: id, activeTicket, reason }), body(req)) }),
  },
  {
    method: "post",
    path: "/supervision/notice",
    access: "notices.post",
    as: "user",
    handle: ({ req, actor, services }) =>
      postNotice(services, actor, parse(z.object({ text: plainText(1000), minutes: z.number().int().min(1).max(1440).nullish() }), body(req))),
  },
  {
    method: "get",
    path: "/audit",
    access: "audit.read",
    as: "user",
    handle: async ({ req, actor, services }) => ({ events: await searchAudit(services, actor, parse(auditQuery, req.query)) }),
  },
];

/** An account as the API shows it: never its password hash. */
function publicUser(user: { id: number; centreId: number; username: string; fullName: string; role: string; isActive: boolean }) {
  return { id: user.id, centreId: user.centreId, username: user.username, fullName: user.fullName, role: user.role, isActive: user.isActive };
}
