import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { hasControlCharacters } from "../input";
import { securityLog } from "../security-log";
import { retrySeconds, type Bucket, type Limit, type ThrottleStore } from "../throttle/store";
import { dummyPasswordHash, verifyPassword } from "./password";
import { recordAudit } from "../audit";
import { createSession, type SessionPolicy } from "./session";

export type LoginService = ReturnType<typeof createLoginService>;


type LoginDeps = Pick<ServiceDeps, "db" | "events" | "now" | "logger"> & { sessionPolicy?: SessionPolicy; throttles: ThrottleStore };

const PER_USER_AND_ADDRESS: Limit = { name: "login.user-address", capacity: 5, refillMs: 60_000 };
const PER_ADDRESS: Limit = { name: "login.address", capacity: 30, refillMs: 10_000 };
const PER_USER: Limit = { name: "login.user", capacity: 100, refillMs: 36_000 };

/**
 * Password login with throttling that slows guessing without letting anyone lock the real
 * user out: 5 tries per username from one address (one more each minute), 30 per address (one
 * more every 10 s), and 100 an hour per username over all addresses — more than one address can
 * spend (5 + 60 an hour), so a flood from one place leaves the owner room to sign in from
 * another. Unknown user and wrong password read the same. The buckets are shared by every node
 * (server/throttle/): guesses spread over several nodes are counted together.
 */
export function createLoginService(deps: LoginDeps) {
  return {
    async login(input: { username: string; password: string; address: string; userAgent?: string | null; replaces?: string | null }) {
      const username = input.username.trim().toLowerCase();
      const userAndAddress: Bucket = [PER_USER_AND_ADDRESS, `${username}|${input.address}`];
      // Every try costs a token of each bucket, or none when one is empty.
      const waitMs = await deps.throttles.take([userAndAddress, [PER_ADDRESS, input.address], [PER_USER, username]]);
      if (waitMs > 0) {
        const seconds = retrySeconds(waitMs);
        securityLog(deps, "login.throttled", { username, address: input.address, retryAfterSeconds: seconds });
        throw new AppError("too_many_attempts", { seconds });
      }
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
      await deps.throttles.reset([userAndAddress]);
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
