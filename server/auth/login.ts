import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { AppError } from "../errors";
import { dummyPasswordHash, verifyPassword } from "./password";
import { TokenBucket } from "./rate-limit";
import { createSession } from "./session";

export type LoginService = ReturnType<typeof createLoginService>;

/**
 * Password login with throttling: 5 tries per username (one more each minute) and 30 per
 * client address (one more every 10 s). Unknown user and wrong password read the same.
 */
export function createLoginService(db: Database) {
  const perUser = new TokenBucket(5, 60_000);
  const perAddress = new TokenBucket(30, 10_000);

  return {
    async login(input: { username: string; password: string; address: string }) {
      const username = input.username.trim().toLowerCase();
      if (!perAddress.consume(input.address) || !perUser.consume(username)) {
        const waitMs = Math.max(perAddress.retryAfterMs(input.address), perUser.retryAfterMs(username));
        throw new AppError("too_many_attempts", { seconds: Math.max(1, Math.ceil(waitMs / 1000)) });
      }
      const [user] = await db.select().from(users).where(eq(users.username, username));
      const valid = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await verifyPassword(await dummyPasswordHash(), input.password), false);
      if (!user || !valid || !user.isActive) throw new AppError("invalid_credentials");
      perUser.reset(username);
      const { token, session } = await createSession(db, user.id);
      return { token, session, user };
    },
  };
}
