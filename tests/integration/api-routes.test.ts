/**
 * The API's route table (decision 0035) answers as Express's router did: a route found whatever
 * the case of its path and with or without a trailing slash, GET routes answering HEAD, the
 * parameters decoded, and everything else the API's own 404 or 400 in JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let officer: string;

beforeAll(async () => {
  s = await startTestServer();
  officer = (await s.login("canbo01")).cookie;
});
afterAll(() => s?.close());

describe("the API's route table", () => {
  it("finds a route whatever the case of its path and with a trailing slash or a query", async () => {
    for (const path of ["/api/v1/me", "/api/v1/ME", "/api/v1/me/", "/api/v1/me?x=1"]) {
      const res = await s.request("GET", path, { cookie: officer });
      expect(res.status, path).toBe(200);
      expect(res.body.data.user.username, path).toBe("canbo01");
    }
  });

  it("answers HEAD on a GET route, and refuses a POST to it as not found", async () => {
    const head = await fetch(`${s.baseUrl}/api/v1/me`, { method: "HEAD", headers: { cookie: officer } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await s.request("POST", "/api/v1/me", { cookie: officer, body: {} });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe("not_found");
  });

  it("tells a static segment from a parameter in the same place", async () => {
    // "/counters/pause" is its own route, not "/counters/:counterId" with the id "pause".
    const pause = await s.request("POST", "/api/v1/counters/pause", { cookie: officer, body: {} });
    expect(pause.body.error?.code).not.toBe("bad_request");
    const byId = await s.request("POST", "/api/v1/counters/abc/call-next", { cookie: officer, body: {} });
    expect(byId.status).toBe(400);
    expect(byId.body.error.code).toBe("bad_request");
  });

  it("decodes parameters, and answers 400 to a path it cannot decode and 404 to an unknown one", async () => {
    const token = await s.request("GET", "/api/v1/tracking/kh%C3%B4ng-c%C3%B3", {});
    expect(token.status).toBe(404);
    expect(token.body.error.code).not.toBe("not_found");
    const malformed = await s.request("GET", "/api/v1/tracking/%E0%A4%A", {});
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("bad_request");
    const unknown = await s.request("GET", "/api/v1/nowhere/at/all", { cookie: officer });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});
