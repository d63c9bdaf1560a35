import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/lib/guards.server";

// After login, the page goes back where the person was going: a path of this site, never
// another site, whatever a crafted link puts in `redirectTo`.
describe("safeRedirect", () => {
  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/\u2028/evil.example",
    "/./\\evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/%0a/..//evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "counter",
    "",
  ])("refuses %j", (to) => {
    expect(safeRedirect(to, "/fallback")).toBe("/fallback");
  });

  it.each([
    ["/counter", "/counter"],
    ["/admin/queue?tab=classes#priority", "/admin/queue?tab=classes#priority"],
    ["/supervisor/../counter", "/counter"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps the local path %j", (to, expected) => {
    expect(safeRedirect(to, "/fallback")).toBe(expected);
  });

  it("falls back when nothing is asked", () => {
    expect(safeRedirect(null, "/supervisor")).toBe("/supervisor");
    expect(safeRedirect(undefined, "/")).toBe("/");
  });
});
