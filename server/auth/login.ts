import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { hasControlCharacters } from "../input";
import { securityLog } from "../security-log";
import { dummyPasswordHash, verifyPassword } from "./password";
import { TokenBucket } from "./rate-limit";
import { recordAudit } from "../audit";
import { createSession, type SessionPolicy } from "./session";

export type LoginService = ReturnType<typeof createLoginService>;


type LoginDeps = Pick<ServiceDeps, "db" | "events" | "now" | "logger"> & { sessionPolicy?: SessionPolicy };

/**
 * Password login with throttling that slows guessing without letting anyone lock the real
 * user out: 5 tries per username from one address (one more each minute), 30 per address (one
 * more every 10 s), and 100 an hour per username over all addresses — more than one address can
 * spend (5 + 60 an hour), so a flood from one place leaves the owner room to sign in from
 * another. Unknown user and wrong password read the same.
 */
export function createLoginService(deps: LoginDeps) {
  const perUserAndAddress = new TokenBucket(5, 60_000);
  const perAddress = new TokenBucket(30, 10_000);
  const perUser = new TokenBucket(100, 36_000);

  return {
    async login(input: { username: string; password: string; address: string; userAgent?: string | null; replaces?: string | null }) {
      const username = input.username.trim().toLowerCase();
      const buckets: Array<[TokenBucket, string]> = [
        [perUserAndAddress, `${username}|${input.address}`],
        [perAddress, input.address],
        [perUser, username],
      ];
      if (buckets.some(([bucket, key]) => !bucket.available(key))) {
        const waitMs = Math.max(...buckets.map(([bucket, key]) => bucket.retryAfterMs(key)));
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        securityLog(deps, "login.throttled", { username, address: input.address, retryAfterSeconds: seconds });
        throw new AppError("too_many_attempts", { seconds });
      }
      for (const [bucket, key] of buckets) bucket.consume(key);
      const [user] = hasControlCharacters(username) ? [] : await deps.db.select().from(users).where(eq(users.username, username));
      const valid = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await verifyPassword(await dummyPasswordHash(), input.password), false);
      if (!user || !valid || !user.isActive) {
        const reason = !user ? "unknown_user" : !valid ? "wrong_password" : "inactive";
        securityLog(deps, "login.failed", { username, address: input.address, reason });
        if (user) {
          // A known account: its centre's audit shows the failed try (unknown names only reach the security log).
          await recordAudit(deps.db, {
            actor: { kind: "system" },
            centreId: user.centreId,
            action: "login.failed",
            target: { type: "user", id: user.id },
            reason,
            address: input.address,
          });
        }
        throw new AppError("invalid_credentials");
      }
      perUserAndAddress.reset(`${username}|${input.address}`);
      const { token, session } = await createSession(deps, {
        userId: user.id,
        replaces: input.replaces,
        address: input.address,
        userAgent: input.userAgent,
        now: deps.now?.(),
        policy: deps.sessionPolicy,
        audit: {
          actor: { kind: "user", userId: user.id, centreId: user.centreId, role: user.role },
          centreId: user.centreId,
          action: "login.succeeded",
          target: { type: "user", id: user.id },
          address: input.address,
        },
      });
      securityLog(deps, "login.succeeded", { userId: user.id, username, role: user.role, address: input.address });
      return { token, session, user };
    },
  };
}
