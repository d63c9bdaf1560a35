/**
 * The demo centre's password: random for each installation, never published. It is made on
 * the first start, stored only as argon2 hashes in the database and, for the person trying the
 * product, in a file of the data folder that only this machine's user can read
 * (`npm run demo:password` prints it again).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, users } from "../../db/schema";
import { hashPassword } from "../auth/password";
import { DEMO_CENTRE_CODE, demoUsers } from "./seed";

/** Letters and digits that cannot be mistaken for each other when read off a screen. */
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** Three groups of five, e.g. `k7fqm-x2pta-9hwne`: about 75 bits, easy to type. */
export function generateDemoPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return [chars.slice(0, 5), chars.slice(5, 10), chars.slice(10)].map((g) => g.join("")).join("-");
}

export const demoPasswordFile = (dataDir: string) => path.resolve(dataDir, "demo-password.txt");

export function readDemoPassword(dataDir: string): string | null {
  const file = demoPasswordFile(dataDir);
  return existsSync(file) ? readFileSync(file, "utf8").trim() || null : null;
}

export function saveDemoPassword(dataDir: string, password: string) {
  const file = demoPasswordFile(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Makes sure the demo accounts have a password of this installation's own: when the data
 * folder holds none (a first start, or data from a version that used a published password),
 * a new one is set on every demo account and saved. Returns it when it is new, so the start
 * banner can show it this once; null when the demo centre is absent or already had one.
 */
export async function ensureDemoPassword(db: Database, dataDir: string): Promise<string | null> {
  const [centre] = await db.select({ id: centres.id }).from(centres).where(eq(centres.code, DEMO_CENTRE_CODE));
  if (!centre || readDemoPassword(dataDir)) return null;
  const password = generateDemoPassword();
  const usernames = demoUsers.map((u) => u.username);
  const demoAccounts = await db.select({ id: users.id }).from(users).where(inArray(users.username, usernames));
  for (const account of demoAccounts) {
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, account.id));
  }
  saveDemoPassword(dataDir, password);
  return password;
}
