/**
 * Creates a staff account (and, for a new deployment, its centre) without inventing a
 * password: the password comes from MOTCUA_PASSWORD.
 *
 *   MOTCUA_PASSWORD='…' npm run user:create -- --username quantri --name "Nguyễn Văn A" \
 *     --centre-code HCC --centre-name "Trung tâm Phục vụ hành chính công tỉnh X"
 *
 * The role is a deployment administrator (sysadmin) unless --role says otherwise: the first
 * account of a deployment creates the other centres and their administrators in the browser.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { openDatabase } from "../../db/client";
import { centres, users } from "../../db/schema";
import { recordAudit } from "../audit";
import { hashPassword } from "../auth/password";
import { SYSTEM_ACTOR } from "../auth/permissions";
import { passwordWeakness } from "../auth/password-strength";
import { loadEnv } from "../env";
import { addDefaultPriorityClasses } from "../queue/priority-classes";

const { values } = parseArgs({
  options: {
    username: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "sysadmin" },
    "centre-code": { type: "string" },
    "centre-name": { type: "string" },
  },
});

const input = z
  .object({
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,40}$/, "--username: 3–40 letters, digits, . _ -"),
    name: z.string().trim().min(1, "--name is required"),
    role: z.enum(["officer", "supervisor", "admin", "sysadmin"]),
    centreCode: z.string().trim().min(1, "--centre-code is required"),
    centreName: z.string().trim().optional(),
    password: z.string({ error: "MOTCUA_PASSWORD must hold the new account's password" }),
  })
  .safeParse({
    username: values.username,
    name: values.name,
    role: values.role,
    centreCode: values["centre-code"],
    centreName: values["centre-name"],
    password: process.env.MOTCUA_PASSWORD,
  });
if (!input.success) {
  console.error(input.error.issues.map((i) => `  ${i.message}`).join("\n"));
  process.exit(2);
}
const { username, name, role, centreCode, centreName, password } = input.data;
const weakness = passwordWeakness(password, [username, name]);
if (weakness) {
  console.error(`MOTCUA_PASSWORD: ${weakness}`);
  process.exit(2);
}

const env = loadEnv();
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await database.migrate();
  const passwordHash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    let [centre] = await tx.select().from(centres).where(eq(centres.code, centreCode));
    if (!centre) {
      if (!centreName) throw new Error(`No centre with code ${centreCode}; give --centre-name to create it.`);
      // The first centre of a deployment is the province's; the others are created in the browser.
      [centre] = await tx.insert(centres).values({ code: centreCode, name: centreName, level: "province" }).returning();
      await addDefaultPriorityClasses(tx, centre!.id);
      await recordAudit(tx, { actor: SYSTEM_ACTOR, centreId: centre!.id, action: "centre.created", target: { type: "centre", id: centre!.id }, after: { code: centreCode, name: centreName } });
    }
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (existing) throw new Error(`The username ${username} is already taken.`);
    const [user] = await tx.insert(users).values({ centreId: centre!.id, username, fullName: name, role, passwordHash }).returning();
    await recordAudit(tx, { actor: SYSTEM_ACTOR, centreId: centre!.id, action: "user.created", target: { type: "user", id: user!.id }, after: { username, fullName: name, role } });
  });
  console.log(`Created ${role} ${username} at centre ${centreCode}.`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
