/**
 * /api/v1 routes of the centre's procedure catalogue: list (offered or not), create, change,
 * stop and resume offering. Bodies go to the service whole: its Zod schema says what is wrong.
 * Changes are POSTs like the rest of the API (the server answers 405 to other methods, 0014).
 */
import { z } from "zod";
import { listCatalogue, saveProcedure, setProcedureActive } from "../dossiers/catalogue";
import { body, orRefusal, param, parse, type ApiRoute } from "./route";

const anything = z.record(z.string(), z.unknown());

export const procedureRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/procedures",
    access: "centre.configure",
    as: "user",
    handle: async ({ actor, services }) => ({ procedures: await listCatalogue(services, actor) }),
  },
  {
    method: "post",
    path: "/procedures",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const { id: _ignored, ...input } = parse(anything, body(req));
      const result = orRefusal(await saveProcedure(services, actor, input as never));
      res.status(201);
      return { procedure: result.value };
    },
  },
  {
    method: "post",
    path: "/procedures/:procedureId",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({
      procedure: orRefusal(await saveProcedure(services, actor, { ...parse(anything, body(req)), id: param(req, "procedureId") } as never)).value,
    }),
  },
  {
    method: "post",
    path: "/procedures/:procedureId/deactivate",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({ procedure: await setProcedureActive(services, actor, { procedureId: param(req, "procedureId"), active: false }) }),
  },
  {
    method: "post",
    path: "/procedures/:procedureId/activate",
    access: "centre.configure",
    as: "user",
    handle: async ({ req, actor, services }) => ({ procedure: await setProcedureActive(services, actor, { procedureId: param(req, "procedureId"), active: true }) }),
  },
];
