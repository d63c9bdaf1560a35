import { isEmpty, openDatabase } from "../../db/client";
import { DEMO_PASSWORD, seedDemo } from "../demo/seed";
import { loadEnv } from "../env";

const env = loadEnv();
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await database.migrate();
if (!(await isEmpty(database.db))) {
  console.error(`The database (${database.location}) already has users; the demo centre is loaded only into an empty one.`);
  await database.close();
  process.exit(1);
}
await seedDemo(database.db);
console.log(`Loaded the demo centre into ${database.driver} (${database.location}). Demo password: ${DEMO_PASSWORD}`);
await database.close();
