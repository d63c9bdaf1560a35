import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../db/client";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data folder, dumped once; each test file starts from a copy. */
    pgliteTemplate: string | null;
  }
}

/**
 * Creating a PGlite database from nothing takes seconds (initdb in WebAssembly); loading a
 * dump takes under one. Migrate once, hand the dump to every test file.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide("pgliteTemplate", null);
    return;
  }
  const folder = mkdtempSync(path.join(tmpdir(), "motcua-vitest-"));
  const file = path.join(folder, "template.tar");
  const handle = await openDatabase({});
  await handle.migrate();
  const dump = await handle.dumpDataDir!();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteTemplate", file);
  return () => rmSync(folder, { recursive: true, force: true });
}
