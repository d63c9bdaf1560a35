import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A PostgreSQL cluster of its own for a fault test: made with initdb in a temporary folder,
 * listening on a free port of 127.0.0.1, stopped and started at will, removed at the end.
 * Never the shared server of DATABASE_URL, which other tests use at the same time.
 */
export type ThrowawayPostgres = {
  url: string;
  /** Resolves once the server accepts connections. */
  start(): Promise<void>;
  /** "fast" ends the sessions (as a restart does); "immediate" is a crash without a checkpoint. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  remove(): Promise<void>;
};

/** The server binaries of the newest PostgreSQL installed, or null when there are none. */
export function postgresBinaries(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, "bin");
    if (existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "pg_ctl"))) return bin;
  }
  return null;
}

export async function throwawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql");
  const folder = mkdtempSync(path.join(tmpdir(), "motcua-pg-"));
  chmodSync(folder, 0o777);
  const dataDir = path.join(folder, "data");
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
  // Asynchronous, so the app under test keeps serving while the cluster stops and starts.
  const asOwner = async (command: string, args: string[]) => {
    const [file, argv] =
      process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", path.join(bin, command), ...args]] : [path.join(bin, command), args];
    try {
      await run(file, argv, { encoding: "utf8", timeout: 60_000 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${command} failed: ${stderr || stdout || String(error)}`, { cause: error });
    }
  };
  await asOwner("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => asOwner("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(folder, "log"), "-w", "start"]),
    stop: (mode = "fast") => asOwner("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "stop"]),
    remove: async () => {
      await cluster.stop("immediate").catch(() => {}); // already stopped
      rmSync(folder, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether `runuser` exists when it is needed (root), so the caller can say why a test cannot run. */
export function canRunPostgres(): boolean {
  if (!postgresBinaries()) return false;
  if (process.getuid?.() !== 0) return true;
  try {
    execFileSync("id", ["postgres"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
