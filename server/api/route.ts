/** How a /api/v1 route is declared: its path, the permission it needs, who acts, and what it does. */
import type { Request, Response } from "express";
import type { z } from "zod";
import type { Actor, Permission } from "../auth/permissions";
import { AppError } from "../errors";
import { id } from "../queue/inputs";
import type { AppServices } from "../services";

export type Call = { req: Request; res: Response; actor: Actor; services: AppServices };

export type ApiRoute = { method: "get" | "post"; path: string } & (
  | {
      /** The permission needed. */
      access: Permission;
      /** Who acts: the staff session, the paired device, or whichever the request carries. */
      as: "user" | "device" | "any";
      handle(call: Call): Promise<unknown>;
    }
  | {
      /** Open to anyone: logging in and out. */
      access: "public";
      handle(call: Omit<Call, "actor">): Promise<unknown>;
    }
);

/** The body parsed by `schema`; anything else is a 400 `bad_request`. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("bad_request");
  return result.data;
}

export const body = (req: Request) => req.body ?? {};
/** A path parameter that must be a row id. */
export const param = (req: Request, name: string) => parse(id, req.params[name]);

/** A service's refusal of one input becomes a 400 carrying that input's message. */
export function orRefusal<T extends { ok: boolean }>(result: T | { ok: false; fieldErrors: Record<string, string[]> }) {
  if ("fieldErrors" in result) throw new AppError("bad_request_field", { message: Object.values(result.fieldErrors).flat()[0] ?? "" });
  return result;
}
