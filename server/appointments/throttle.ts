/**
 * The limits on the public side of appointments, so codes cannot be harvested nor a day's slots
 * filled by a script: the token buckets of the dossier lookup (server/auth/rate-limit.ts).
 *
 * - Tries of a code (cancel, check-in): 20 wrong tries per address or kiosk (one more every
 *   30 s), 5 wrong tries per code (one more every 5 minutes). A right try costs nothing.
 * - Bookings: 10 per address (one more every 6 minutes).
 * - Reading slots: 120 per address (two more a second).
 */
import { TokenBucket } from "../auth/rate-limit";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { securityLog } from "../security-log";

export type AppointmentThrottle = ReturnType<typeof createAppointmentThrottle>;

export function createAppointmentThrottle() {
  const misses = new TokenBucket(20, 30_000);
  const missesPerCode = new TokenBucket(5, 5 * 60_000);
  const bookings = new TokenBucket(10, 6 * 60_000);
  const reads = new TokenBucket(120, 500);

  const refuse = (deps: Pick<ServiceDeps, "logger">, address: string, ms: number): never => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    securityLog(deps, "appointment.throttled", { address, retryAfterSeconds: seconds });
    throw new AppError("appointment_throttled", { seconds });
  };

  return {
    /** Before a code is looked up: refused while this address (or this code) has missed too often. */
    beforeCode(deps: Pick<ServiceDeps, "logger">, address: string, code: string) {
      const held = [[misses, address] as const, [missesPerCode, code] as const].filter(([bucket, key]) => !bucket.available(key));
      if (held.length) refuse(deps, address, Math.max(...held.map(([bucket, key]) => bucket.retryAfterMs(key))));
    },
    /** A wrong code (or a wrong phone for it): one try fewer for the address and the code. */
    missed(address: string, code: string) {
      misses.consume(address);
      missesPerCode.consume(code);
    },
    booking(deps: Pick<ServiceDeps, "logger">, address: string) {
      if (!bookings.consume(address)) refuse(deps, address, bookings.retryAfterMs(address));
    },
    read(deps: Pick<ServiceDeps, "logger">, address: string) {
      if (!reads.consume(address)) refuse(deps, address, reads.retryAfterMs(address));
    },
  };
}
