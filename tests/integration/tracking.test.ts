/**
 * The citizen's tracking page by its token: an unguessable token (not the id), the public view
 * of the ticket in each state — people ahead falling as the tickets before it are called, the
 * counter when called, recalls, no-show, finished with the rating link, cancelled, expired, the
 * dossier's code —, unknown tokens 404 and throttled per address (429), and a socket opened with
 * the token that joins the public room only and receives exactly the public projection.
 */
import { eq } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { procedures, tickets } from "../../db/schema";
import { runDayEnd } from "../../server/queue/day-end";
import { DEFAULT_SESSION_POLICY } from "../../server/auth/session";
import { TRACKING_TRIES } from "../../server/tracking/service";
import { reprintSlip } from "../../server/tracking/slip";
import { deskWorld } from "../helpers/desks";

const { world, kit } = deskWorld();

let addressSerial = 0;
/** A client address of its own (X-Forwarded-For from the loopback proxy is trusted), so throttles never cross tests. */
const newAddress = () => `198.51.100.${++addressSerial}`;

async function issueWithToken(fieldId: number) {
  const res = await kit.post("/kiosk/tickets", world.kioskCookie, { fieldId });
  expect(res.status).toBe(201);
  return res.body.data as { ticket: { id: number; code: string }; trackingToken: string; peopleAhead: number; estimatedWaitMinutes: number | null };
}

const track = (token: string, address = newAddress()) => world.s.request("GET", `/api/v1/tracking/${token}`, { headers: { "x-forwarded-for": address } });

async function viewOf(token: string) {
  const res = await track(token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Record<string, any>;
}

const VIEW_KEYS = [
  "calledAt",
  "centreName",
  "code",
  "counter",
  "dossiers",
  "estimatedWaitMinutes",
  "fieldName",
  "finishedAt",
  "issuedAt",
  "peopleAhead",
  "ratingPath",
  "recallCount",
  "recallsBeforeNoShow",
  "rejoinUntil",
  "status",
];

describe("the tracking token", () => {
  it("is 160 random bits in base32, unique, stored on the ticket, and not derived from its id", async () => {
    const field = await kit.newField();
    const issued = [];
    for (let i = 0; i < 12; i++) issued.push(await issueWithToken(field.id));
    const tokens = issued.map((t) => t.trackingToken);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/); // 32 × 5 bits = 160 ≥ 128
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of issued) {
      const [row] = await world.s.db.select({ token: tickets.trackingToken }).from(tickets).where(eq(tickets.id, t.ticket.id));
      expect(row!.token).toBe(t.trackingToken);
    }
    // Consecutive ids give unrelated tokens: most characters differ at the same position.
    for (let i = 1; i < tokens.length; i++) {
      const differ = [...tokens[i]!].filter((c, k) => c !== tokens[i - 1]![k]).length;
      expect(differ).toBeGreaterThan(20);
    }
  });

  it("never travels in queue events", async () => {
    const field = await kit.newField();
    const seen: unknown[] = [];
    const socket = world.s.socket(world.kioskCookie);
    socket.on("queue:event", (e) => void seen.push(e));
    await new Promise((resolve) => socket.once("connect", () => resolve(null)));
    const { trackingToken } = await issueWithToken(field.id);
    for (let waited = 0; seen.length === 0 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    socket.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain(trackingToken);
  });
});

describe("the public view of a ticket", () => {
  it("while waiting: people ahead by the kiosk's rule, falling as the tickets before it are called", async () => {
    const d = await kit.desk();
    const before = [await issueWithToken(d.field.id), await issueWithToken(d.field.id)];
    const mine = await issueWithToken(d.field.id);
    const view = await viewOf(mine.trackingToken);
    expect(Object.keys(view).sort()).toEqual(VIEW_KEYS);
    expect(view).toMatchObject({ code: mine.ticket.code, status: "waiting", fieldName: d.field.name, counter: null, ratingPath: null, dossiers: [] });
    // The same figures the kiosk gave (one rule: queue/standing.ts).
    expect(view.peopleAhead).toBe(mine.peopleAhead);
    expect(view.peopleAhead).toBe(2);
    expect(view.estimatedWaitMinutes).toBe(mine.estimatedWaitMinutes);
    expect(view.estimatedWaitMinutes).toBe(2 * d.field.defaultServiceMinutes);
    // No one's data but the ticket's: no id, no priority class, no note, no officer.
    expect(JSON.stringify(view)).not.toContain(d.officer.user.fullName);

    const first = await kit.callNext(d);
    expect(first.id).toBe(before[0]!.ticket.id);
    expect((await viewOf(mine.trackingToken)).peopleAhead).toBe(1);
    await kit.finish(d, first.id);
    await kit.callNext(d);
    const next = await viewOf(mine.trackingToken);
    expect(next.peopleAhead).toBe(0);
    expect(next.estimatedWaitMinutes).toBe(0);
  });

  it("called: the counter's number and name; recalls counted; then absent with the time it may rejoin until", async () => {
    const d = await kit.desk();
    const mine = await issueWithToken(d.field.id);
    await kit.callNext(d);
    const called = await viewOf(mine.trackingToken);
    expect(called).toMatchObject({ status: "called", counter: { number: d.counter.number, name: d.counter.name }, recallCount: 0, peopleAhead: null });
    expect(called.calledAt).toEqual(expect.any(String));
    for (let i = 1; i <= 2; i++) {
      expect((await kit.post(`/tickets/${mine.ticket.id}/recall`, d.officer.cookie)).status).toBe(200);
      expect(await viewOf(mine.trackingToken)).toMatchObject({ status: "called", recallCount: i, recallsBeforeNoShow: 2 });
    }
    expect((await kit.post(`/tickets/${mine.ticket.id}/no-show`, d.officer.cookie)).status).toBe(200);
    const absent = await viewOf(mine.trackingToken);
    expect(absent.status).toBe("no_show");
    const grace = Date.parse(absent.rejoinUntil) - Date.now();
    expect(grace).toBeGreaterThan(55 * 60_000); // the field's rejoin window: 60 minutes by default
    expect(grace).toBeLessThanOrEqual(60 * 60_000);
  });

  it("finished: when, the rating form's link, and the code of the dossier opened during the visit with its lookup", async () => {
    const d = await kit.desk();
    const mine = await issueWithToken(d.field.id);
    await kit.callNext(d);
    const [p] = await world.s.db.select().from(procedures).where(eq(procedures.code, "HT-07"));
    const opened = await kit.post("/dossiers", d.officer.cookie, {
      procedureId: p!.id,
      ticketId: mine.ticket.id,
      applicantName: "Hà Thị Thu",
      applicantIdNumber: "031190004567",
      applicantPhone: "0904 555 666",
      received: p!.documents.map((doc) => doc.key),
    });
    expect(opened.status).toBe(201);
    const code = opened.body.data.code as string;
    await kit.finish(d, mine.ticket.id);
    const done = await viewOf(mine.trackingToken);
    expect(done).toMatchObject({
      status: "done",
      ratingPath: `/t/${mine.trackingToken}/danh-gia`,
      dossiers: [{ code, lookupPath: `/tra-cuu?ma=${encodeURIComponent(code)}` }],
    });
    expect(done.finishedAt).toEqual(expect.any(String));
    // The dossier's code, never the citizen's name, number or phone.
    const text = JSON.stringify(done);
    for (const personal of ["Hà Thị Thu", "031190004567", "0904 555 666", "0904555666", "555 666"]) expect(text).not.toContain(personal);

    // Printed again at reception: the slip now carries the dossier's code, and its QR the tracking address.
    const slip = await reprintSlip(world.s.services, d.officer.actor, { ticketId: mine.ticket.id }, "http://192.0.2.10:3000");
    expect(slip).toMatchObject({ code: mine.ticket.code, dossierCodes: [code], peopleAhead: null, trackingUrl: `http://192.0.2.10:3000/t/${mine.trackingToken}` });
    expect(slip.qr).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it("cancelled, and expired when its day ended before it was served", async () => {
    const d = await kit.desk();
    const withdrawn = await issueWithToken(d.field.id);
    expect((await kit.post(`/tickets/${withdrawn.ticket.id}/cancel`, d.officer.cookie)).status).toBe(200);
    expect((await viewOf(withdrawn.trackingToken)).status).toBe("cancelled");

    const left = await issueWithToken(d.field.id);
    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    await runDayEnd({ ...world.s.services, now: () => tomorrow }, { sessionPolicy: DEFAULT_SESSION_POLICY });
    expect(await viewOf(left.trackingToken)).toMatchObject({ status: "expired", peopleAhead: null, ratingPath: null });
  });
});

describe("tokens cannot be enumerated", () => {
  it("an unknown token is a 404 with a Vietnamese message", async () => {
    const res = await track("a".repeat(32));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "tracking_not_found", message: expect.stringContaining("Không tìm thấy phiếu") } });
    expect((await track("not-a-token")).status).toBe(404);
  });

  it(`after ${TRACKING_TRIES} wrong tokens an address gets 429 for every token, the right one included; other addresses are not affected`, async () => {
    const field = await kit.newField();
    const { trackingToken } = await issueWithToken(field.id);
    const guesser = newAddress();
    for (let i = 0; i < TRACKING_TRIES; i++) expect((await track(`${"b".repeat(30)}${"abcdefghijklmnop"[i]}a`, guesser)).status).toBe(404);
    const refused = await track(trackingToken, guesser);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("tracking_throttled");
    expect(refused.body.error.message).toMatch(/Vui lòng thử lại sau \d+ giây/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // A socket from there is refused too (one throttle for the page, the API and the socket).
    await expect(connectTracking(trackingToken, guesser)).rejects.toMatchObject({ data: { code: "tracking_throttled" } });
    expect((await track(trackingToken)).status).toBe(200);
  });

  it("right tokens never use up the address's tries (a hall's phones share one address)", async () => {
    const field = await kit.newField();
    const { trackingToken } = await issueWithToken(field.id);
    const hall = newAddress();
    for (let i = 0; i < TRACKING_TRIES * 2; i++) expect((await track(trackingToken, hall)).status).toBe(200);
  });
});

function connectTracking(token: unknown, address = newAddress()): Promise<Socket> {
  const socket = io(world.s.baseUrl, {
    transports: ["websocket"],
    auth: { trackingToken: token },
    extraHeaders: { "x-forwarded-for": address },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

const PUBLIC_TICKET = ["calledAt", "code", "counterId", "fieldId", "id", "issuedAt", "recallCount", "status"];
const PUBLIC_COUNTER = ["current", "fieldIds", "id", "name", "number", "staffed", "status"];
const EVENT_KEYS: Record<string, string[]> = {
  "ticket.issued": ["at", "centreId", "seq", "ticket", "type"],
  "ticket.called": ["at", "centreId", "counter", "seq", "ticket", "type"],
  "ticket.recalled": ["at", "centreId", "counter", "seq", "ticket", "type"],
  "ticket.finished": ["at", "centreId", "counter", "seq", "ticket", "type"],
  "ticket.requeued": ["at", "centreId", "counter", "previousFieldId", "reason", "seq", "ticket", "type"],
  "counter.updated": ["at", "centreId", "counter", "seq", "type"],
};

describe("a socket opened with a tracking token", () => {
  it("receives its centre's public projection — exact keys, no note, no officer — and may ask for nothing", async () => {
    const d = await kit.desk();
    const mine = await issueWithToken(d.field.id);
    const socket = await connectTracking(mine.trackingToken);
    const seen: Array<Record<string, any>> = [];
    socket.on("queue:event", (e) => void seen.push(e as Record<string, any>));

    const NOTE = "Ông Trần Văn Riêng, CCCD 079123456789";
    const other = await kit.desk([d.field]);
    await issueWithToken(d.field.id);
    const called = await kit.callNext(d);
    expect((await kit.post(`/tickets/${called.id}/recall`, d.officer.cookie)).status).toBe(200);
    expect((await kit.post(`/tickets/${called.id}/transfer`, d.officer.cookie, { counterId: other.counter.id, note: NOTE })).status).toBe(200);
    const again = await kit.callNext(other);
    await kit.finish(other, again.id);
    for (let waited = 0; seen.length < 6 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));

    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(["ticket.issued", "ticket.called", "ticket.recalled", "ticket.requeued", "ticket.finished"]));
    const text = JSON.stringify(seen);
    expect(text).not.toContain(NOTE);
    for (const officer of [d.officer, other.officer]) expect(text).not.toContain(officer.user.fullName);
    for (const event of seen) {
      expect(Object.keys(event).sort(), event.type).toEqual(EVENT_KEYS[event.type]);
      if (event.ticket) expect(Object.keys(event.ticket).sort()).toEqual(PUBLIC_TICKET);
      if (event.counter) {
        expect(Object.keys(event.counter).sort()).toEqual(PUBLIC_COUNTER);
        if (event.counter.current) expect(Object.keys(event.counter.current).sort()).toEqual(PUBLIC_TICKET);
      }
    }

    // It only listens: no snapshot, no missed calls, no keep-alive.
    const ask = (event: "queue:snapshot" | "session:active") =>
      new Promise((resolve) => (socket.emit as (e: string, ack: (r: unknown) => void) => void)(event, resolve));
    expect(await ask("queue:snapshot")).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
    expect(await ask("session:active")).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
    socket.disconnect();
  });

  it("is refused with a wrong or malformed token", async () => {
    await expect(connectTracking("c".repeat(32))).rejects.toMatchObject({ data: { code: "tracking_not_found" } });
    await expect(connectTracking(12345)).rejects.toMatchObject({ data: { code: "tracking_not_found" } });
  });

  it("joins no staff room even from a browser signed in as staff", async () => {
    const d = await kit.desk();
    const mine = await issueWithToken(d.field.id);
    const socket = io(world.s.baseUrl, {
      transports: ["websocket"],
      auth: { trackingToken: mine.trackingToken },
      extraHeaders: { cookie: d.officer.cookie, "x-forwarded-for": newAddress() },
      reconnection: false,
      forceNew: true,
    });
    const seen: Array<Record<string, any>> = [];
    socket.on("queue:event", (e) => void seen.push(e as Record<string, any>));
    await new Promise((resolve) => socket.once("connect", () => resolve(null)));
    const NOTE = "Ghi chú nội bộ của cán bộ";
    const other = await kit.desk([d.field]);
    const called = await kit.callNext(d);
    expect((await kit.post(`/tickets/${called.id}/transfer`, d.officer.cookie, { counterId: other.counter.id, note: NOTE })).status).toBe(200);
    for (let waited = 0; !seen.some((e) => e.type === "ticket.requeued") && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    socket.disconnect();
    const requeued = seen.find((e) => e.type === "ticket.requeued")!;
    expect(Object.keys(requeued.ticket).sort()).toEqual(PUBLIC_TICKET);
    expect(JSON.stringify(seen)).not.toContain(NOTE);
  });
});
