/**
 * The limits on the public side of appointments, so codes cannot be harvested nor a day's slots
 * filled by a script, counted over all nodes (server/throttle/):
 *
 * - Tries of a code (cancel, check-in): 20 wrong tries per address or kiosk (one more every
 *   30 s), 5 wrong tries per code (one more every 5 minutes). A right try costs nothing.
 * - Bookings: 10 per address (one more every 6 minutes).
 * - Reading slots: 120 per address (two more a second).
 */
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { securityLog } from "../security-log";
import { retrySeconds, type Bucket, type Limit, type ThrottleStore } from "../throttle/store";

export type AppointmentThrottle = ReturnType<typeof createAppointmentThrottle>;

const MISSES: Limit = { name: "appointment.miss.address", capacity: 20, refillMs: 30_000 };
const MISSES_PER_CODE: Limit = { name: "appointment.miss.code", capacity: 5, refillMs: 5 * 60_000 };
const BOOKINGS: Limit = { name: "appointment.booking", capacity: 10, refillMs: 6 * 60_000 };
const READS: Limit = { name: "appointment.read", capacity: 120, refillMs: 500 };

export function createAppointmentThrottle(throttles: ThrottleStore) {
  const refuse = (deps: Pick<ServiceDeps, "logger">, address: string, ms: number): never => {
    const seconds = retrySeconds(ms);
    securityLog(deps, "appointment.throttled", { address, retryAfterSeconds: seconds });
    throw new AppError("appointment_throttled", { seconds });
  };
  const misses = (address: string, code: string): Bucket[] => [
    [MISSES, address],
    [MISSES_PER_CODE, code],
  ];
  const take = async (deps: Pick<ServiceDeps, "logger">, address: string, limit: Limit) => {
    const waitMs = await throttles.take([[limit, address]]);
    if (waitMs > 0) refuse(deps, address, waitMs);
  };

  return {
    /** Before a code is looked up: refused while this address (or this code) has missed too often. */
    async beforeCode(deps: Pick<ServiceDeps, "logger">, address: string, code: string) {
      const waitMs = await throttles.waitFor(misses(address, code));
      if (waitMs > 0) refuse(deps, address, waitMs);
    },
    /** A wrong code (or a wrong phone for it): one try fewer for the address and the code. */
    async missed(address: string, code: string) {
      await throttles.spend(misses(address, code));
    },
    booking: (deps: Pick<ServiceDeps, "logger">, address: string) => take(deps, address, BOOKINGS),
    read: (deps: Pick<ServiceDeps, "logger">, address: string) => take(deps, address, READS),
  };
}
