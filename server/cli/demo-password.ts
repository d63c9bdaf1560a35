/** Prints the demo accounts' password of this installation (kept in the data folder, readable by this machine's user only). */
import { demoPasswordFile, readDemoPassword } from "../demo/password";
import { demoUsers } from "../demo/seed";
import { loadEnv } from "../env";

const env = loadEnv();
const password = readDemoPassword(env.DATA_DIR);
if (!password) {
  console.error(`No demo password in ${demoPasswordFile(env.DATA_DIR)}: start the demo once with \`npm start\` (it makes one).`);
  process.exit(1);
}
console.log(`Demo accounts (${demoUsers.map((u) => u.username).join(", ")}), password for all: ${password}`);
