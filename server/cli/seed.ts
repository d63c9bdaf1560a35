import { isEmpty, openDatabase } from "../../db/client";
import { generateDemoPassword, saveDemoPassword } from "../demo/password";
import { DEMO_HISTORY, generateHistory } from "../demo/history";
import { seedDemo } from "../demo/seed";
import { loadEnv } from "../env";

const env = loadEnv();
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await database.migrate();
if (!(await isEmpty(database.db))) {
  console.error(`The database (${database.location}) already has users; the demo centre is loaded only into an empty one.`);
  await database.close();
  process.exit(1);
}
const password = generateDemoPassword();
const { centreId } = await seedDemo(database.db, { password });
saveDemoPassword(env.DATA_DIR, password);
const history = await generateHistory(database.db, { centreId, ...DEMO_HISTORY });
console.log(`Loaded the demo centre into ${database.driver} (${database.location}).`);
console.log(`With ${history.days} working days of history (${history.firstDay} – ${history.lastDay}): ${history.tickets} tickets, ${history.events} events, ${history.ratings} ratings, ${history.dossiers} dossiers, ${history.appointments} appointments, in ${history.ms} ms.`);
console.log(`Password of the demo accounts: ${password} (shown this once; \`npm run demo:password\` prints it again on this machine).`);
await database.close();
