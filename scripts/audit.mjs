// `npm run audit`: the known vulnerabilities of the production dependencies, for `npm run validate`
// to print (never a failing check: an advisory may not apply, and the service may be out of reach).
// When the advisory service cannot be reached (as on machines that only see the registry's
// packages), it says so and prints what a manual check needs: each production package and version.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const audit = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = null;
}
if (report?.metadata?.vulnerabilities) {
  const v = report.metadata.vulnerabilities;
  console.log(`npm audit (production dependencies): ${v.total} known vulnerabilities (critical ${v.critical}, high ${v.high}, moderate ${v.moderate}, low ${v.low}).`);
  for (const [name, entry] of Object.entries(report.vulnerabilities ?? {})) console.log(`  ${entry.severity.padEnd(8)} ${name} ${entry.range}`);
} else {
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
  const production = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev && !entry.optional)
    .map(([path, entry]) => `${path.slice(path.lastIndexOf("node_modules/") + 13)}@${entry.version}`)
    .sort();
  console.log("npm audit: the advisory service could not be reached; check these production packages by hand or on a machine that can:");
  console.log(`  ${production.length} packages: ${production.join(", ")}`);
}
