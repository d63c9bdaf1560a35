/**
 * postgres.js fetches the array types as the first statement of every new connection, and
 * dropped that statement's promise: a connection closed at that moment — PostgreSQL stopping
 * just as the pool reconnects, the moment database-outage.test.ts provokes — raised an
 * unhandled rejection ("write CONNECTION_CLOSED"), which ends a Node process
 * (porsager/postgres#1192, #1223; patches/postgres+3.4.9.patch).
 *
 * A proxy in front of PostgreSQL cuts the first connection as soon as it sends that statement,
 * opened for a transaction: the transaction fails or is served, the next query is served, and
 * nothing is left unhandled.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { rowsOf } from "../../db/rows";
import { sql } from "drizzle-orm";
import { LOCAL_POSTGRES } from "../helpers/database";

const target = new URL(process.env.DATABASE_URL ?? LOCAL_POSTGRES);
let proxy: net.Server;
let proxyUrl: string;
let cut = 0;
/** Whether the next connection to send the statement is cut (once). */
let armed = false;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  proxy = net.createServer((client) => {
    const server = net.connect(Number(target.port || 5432), target.hostname);
    let seen = "";
    client.on("data", (chunk) => {
      seen += chunk.toString("latin1");
      if (armed && seen.includes("pg_catalog.pg_type")) {
        armed = false;
        cut++;
        // Reset, as a backend killed by a restarting server leaves it: the driver sees an error.
        client.resetAndDestroy();
        server.destroy();
        return;
      }
      server.write(chunk);
    });
    server.on("data", (chunk) => client.writable && client.write(chunk));
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on("error", end).on("close", end);
    server.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  proxyUrl = url.toString();
});

let database: DatabaseHandle | undefined;
afterAll(async () => {
  await database?.close();
  await new Promise((resolve) => proxy.close(resolve));
  process.off("unhandledRejection", onUnhandled);
});

describe("a PostgreSQL connection lost while the driver starts it up", () => {
  it("leaves no unhandled rejection, and the query is served on a new connection or refused cleanly", async () => {
    // The pool connects when first used: its first connection is cut while it starts up.
    armed = true;
    database = await openDatabase({ url: proxyUrl, max: 1 });
    // A transaction first, as a call or an issue after a restart: its connection is opened for it
    // alone (postgres.js "reserves" it), the case whose failure nothing awaited.
    const outcome = await database.db.transaction((tx) => rowsOf(tx, sql`select 41 + 1 as answer`)).then(
      (rows) => ({ answer: Number(rows[0]!.answer) }),
      (error: Error) => ({ refused: (error as Error & { code?: string }).code ?? error.message }),
    );
    // A refusal is an answer too (the transaction's connection was lost); the next one is served.
    const again = await rowsOf(database.db, sql`select 42 as answer`);
    expect(cut).toBe(1);
    expect(Number(again[0]!.answer)).toBe(42);
    expect(outcome).toSatisfy((o: { answer?: number; refused?: string }) => o.answer === 42 || typeof o.refused === "string");
    // Give a dropped promise the turns it needs to be reported.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled.map(String)).toEqual([]);
  });
});
