import { expect, it } from "vitest";
import { deskWorld } from "../helpers/desks";

// "People ahead" on a new ticket counts what the counters will call before it, including the
// tickets of other fields that a shared counter takes first — then the counters do just that.
const { world, kit } = deskWorld();

it("counts the other field's tickets a shared counter calls first, and the counters then call in that order", async () => {
  const a = await kit.newField("Lĩnh vực A dùng chung");
  const b = await kit.newField("Lĩnh vực B đông");
  const shared = await kit.desk([a, b]); // serves A and B
  const onlyB = await kit.desk([b]);
  const bTickets = [await kit.issue(b.id), await kit.issue(b.id), await kit.issue(b.id)];

  const res = await world.s.request("POST", "/api/v1/kiosk/tickets", { cookie: world.kioskCookie, body: { fieldId: a.id } });
  expect(res.status).toBe(201);
  const mine = res.body.data;
  // Nobody waits in field A, yet three will be called before this ticket: the shared counter takes B's older tickets.
  expect(mine.peopleAhead).toBe(3);
  // It is the shared counter's third call: two service times (field A's default: 10 minutes each).
  expect(mine.estimatedWaitMinutes).toBe(2 * a.defaultServiceMinutes);

  const call = async (desk: typeof shared) => {
    const r = await world.s.request("POST", `/api/v1/counters/${desk.counter.id}/call-next`, { cookie: desk.officer.cookie });
    return r.status === 200 ? (r.body.data.ticket as { id: number; code: string }) : null;
  };
  const finish = (desk: typeof shared, id: number) => world.s.request("POST", `/api/v1/tickets/${id}/finish`, { cookie: desk.officer.cookie });
  const calledBefore: string[] = [];
  // The counters take turns, one call each per round, as the estimate assumes.
  let current = { shared: await call(shared), onlyB: await call(onlyB) };
  for (let round = 0; round < 4 && ![current.shared, current.onlyB].some((t) => t?.id === mine.ticket.id); round++) {
    for (const t of [current.shared, current.onlyB]) if (t) calledBefore.push(t.code);
    if (current.shared) await finish(shared, current.shared.id);
    if (current.onlyB) await finish(onlyB, current.onlyB.id);
    current = { shared: await call(shared), onlyB: await call(onlyB) };
  }
  expect(current.shared?.id).toBe(mine.ticket.id);
  expect(calledBefore.sort()).toEqual(bTickets.map((t) => t.code).sort());
});

it("with no counter open for the field, counts the field's own queue and gives no estimate", async () => {
  const c = await kit.newField("Lĩnh vực chưa có quầy");
  await kit.issue(c.id);
  const res = await world.s.request("POST", "/api/v1/kiosk/tickets", { cookie: world.kioskCookie, body: { fieldId: c.id } });
  expect(res.body.data.peopleAhead).toBe(1);
  expect(res.body.data.estimatedWaitMinutes).toBeNull();
});
