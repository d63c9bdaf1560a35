import { hash, verify } from "@node-rs/argon2";

// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a throwaway password, verified against when the user does not exist, so an
 * unknown username costs as long as a wrong password and timing tells nothing.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("motcua-dummy-password-for-timing");
  return dummyHash;
}
