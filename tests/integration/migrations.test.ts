import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsFolder, openDatabase, type DatabaseHandle } from "../../db/client";
import { createTestDatabase, onPostgres } from "../helpers/database";

// A database that was running before the event log got typed details (migration 0004) and
// lost the never-written "serving" status (0005) keeps every event, converted.

let db: { handle: DatabaseHandle; drop(): Promise<void> };
let before: string;

/** The project's migrations up to and including `tag`, in a folder of their own. */
function migrationsUpTo(tag: string) {
  const folder = mkdtempSync(path.join(tmpdir(), "motcua-migrations-"));
  cpSync(defaultMigrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
  before = migrationsUpTo("0003_transfer_keeps_code");
  await db.handle.migrate(before);
});
afterAll(async () => {
  await db?.drop();
  if (before) rmSync(before, { recursive: true, force: true });
});

describe("migration to typed event details", () => {
  it("converts every encoding of the old reason column, and the append-only rule still holds", async () => {
    const run = (query: string) => db.handle.db.execute(sql.raw(query));
    await run(`insert into centres (code, name) values ('M', 'Trung tâm')`);
    await run(`insert into fields (centre_id, code, name, prefix) select id, 'HT', 'Hộ tịch', 'A' from centres`);
    await run(`insert into tickets (centre_id, field_id, service_date, number, code, channel, status)
      select c.id, f.id, '2026-11-20', 1, 'A001', 'kiosk', 'done' from centres c, fields f`);
    const events: Array<[string, string | null]> = [
      ["issued", null],
      ["called_out_of_order", "urgent"],
      ["called_out_of_order", "other: Hẹn: 9 giờ"],
      ["recalled", "2"],
      ["transferred", JSON.stringify({ to: { counterId: 3 }, note: "Nhờ chị Lan" })],
      ["finished", "needs_dossier"],
      ["cancelled", null],
      ["cancelled", "Công dân về"],
    ];
    for (const [i, [type, reason]] of events.entries()) {
      await db.handle.db.execute(
        sql`insert into ticket_events (ticket_id, centre_id, seq, type, to_status, reason)
            select t.id, t.centre_id, ${i + 1}, ${type}, 'done', ${reason} from tickets t`,
      );
    }

    await db.handle.migrate();

    const rows = (await db.handle.db.execute(sql`select type, details from ticket_events order by seq`)) as unknown as
      | Array<{ type: string; details: unknown }>
      | { rows: Array<{ type: string; details: unknown }> };
    const list = Array.isArray(rows) ? rows : rows.rows;
    expect(list.map((r) => r.details)).toEqual([
      null,
      { reason: "urgent", note: null },
      { reason: "other", note: "Hẹn: 9 giờ" },
      { recallCount: 2 },
      { to: { counterId: 3 }, note: "Nhờ chị Lan" },
      { outcome: "needs_dossier" },
      { reason: null },
      { reason: "Công dân về" },
    ]);
    await expect(run(`update ticket_events set details = null`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/ticket_events is append-only \(UPDATE rejected\)/) },
    });
    await expect(run(`insert into tickets (centre_id, field_id, service_date, number, code, channel, status)
      select centre_id, field_id, service_date, 2, 'A002', 'kiosk', 'serving' from tickets`)).rejects.toThrow();
  });
});

describe.runIf(onPostgres())("nodes starting together on an empty database", () => {
  it("migrate once between them: each node's start succeeds and every migration is applied once", async () => {
    const fresh = await createTestDatabase({ empty: true });
    const others = await Promise.all([1, 2].map(() => openDatabase({ url: fresh.url! })));
    try {
      await Promise.all([fresh.handle.migrate(), ...others.map((node) => node.migrate())]);
      const journal = JSON.parse(readFileSync(path.join(defaultMigrationsFolder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
      const applied = await fresh.handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect((applied as unknown as Array<{ n: number }>)[0]!.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(others.map((node) => node.close()));
      await fresh.drop();
    }
  });
});
