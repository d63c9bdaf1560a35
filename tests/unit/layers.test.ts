import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The lint rule that keeps imports running app → server → db (eslint/layers.js), tried on
// source text placed at a path of each layer, as `npm run lint` would see it.
const eslint = new ESLint({ cwd: process.cwd() });

async function backEdges(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "layers/no-back-edge").map((m) => m.message);
}

describe("imports run one way: app → server → db", () => {
  it("refuses an import from app/ inside server/", async () => {
    expect(await backEdges("server/queue/example.ts", `import { t } from "../../app/lib/board";\nexport const x = t;\n`)).toEqual([
      "server/ must not import from app/ (layers run app → server → db).",
    ]);
  });

  it("refuses an import from server/ inside db/, re-exports and dynamic imports included", async () => {
    const code = `export { t } from "../server/i18n";\nexport const load = () => import("../server/time");\n`;
    expect(await backEdges("db/example.ts", code)).toEqual([
      "db/ must not import from server/ (layers run app → server → db).",
      "db/ must not import from server/ (layers run app → server → db).",
    ]);
  });

  it("refuses test code in the product and in the benchmarks", async () => {
    expect(await backEdges("app/lib/example.ts", `import "../../tests/helpers/server";\n`)).toHaveLength(1);
    expect(await backEdges("bench/example.ts", `import "../tests/helpers/server";\n`)).toHaveLength(1);
  });

  it("allows the downward imports, and server/app.ts from inside server/", async () => {
    expect(await backEdges("app/routes/example.tsx", `import "../../server/i18n";\nimport "../../db/schema";\n`)).toEqual([]);
    expect(await backEdges("server/api/example.ts", `import "../app";\nimport "../../db/client";\n`)).toEqual([]);
  });
});
