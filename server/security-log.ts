/**
 * The security log: one structured pino line for each event an auditor asks about (sign-ins,
 * refusals, throttling, devices, accounts, settings), with the request id the logger adds
 * (server/http/request-context.ts). Never a password, a token or a pairing code.
 */
import type { Logger } from "pino";

export type SecurityEvent =
  | "login.succeeded"
  | "login.failed"
  | "login.throttled"
  | "access.refused"
  | "session.ended"
  | "device.created"
  | "device.link_issued"
  | "device.paired"
  | "device.revoked"
  | "kiosk.throttled"
  | "lookup.throttled"
  | "tracking.throttled"
  | "appointment.throttled"
  | "rating.throttled"
  | "password.changed"
  | "password.reset"
  | "user.created"
  | "user.disabled"
  | "user.enabled"
  | "settings.changed";

const WARN: ReadonlySet<SecurityEvent> = new Set(["login.failed", "login.throttled", "access.refused", "kiosk.throttled", "lookup.throttled", "tracking.throttled", "appointment.throttled", "rating.throttled"]);

export function securityLog(deps: { logger?: Logger }, event: SecurityEvent, fields: Record<string, unknown> = {}) {
  if (!deps.logger) return;
  deps.logger[WARN.has(event) ? "warn" : "info"]({ security: event, ...fields }, `security: ${event}`);
}
