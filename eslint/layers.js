// The layers of the code base and what each may import: app → server → db, never back.
// `no-restricted-imports` matches specifiers as text, and "../app" is server/app.ts from one
// folder but app/ from another; this rule resolves the specifier against the importing file.
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Folder → folders it must not import from. */
export const FORBIDDEN = {
  db: ["app", "server", "tests", "bench", "scripts"],
  server: ["app", "tests", "bench", "scripts"],
  app: ["tests", "bench", "scripts"],
  bench: ["tests"],
};

const topFolder = (file) => path.relative(root, file).split(path.sep)[0];

export const layersPlugin = {
  rules: {
    "no-back-edge": {
      meta: {
        type: "problem",
        docs: { description: "Imports run app → server → db; never from a lower layer up, nor into tests." },
        messages: { backEdge: "{{from}}/ must not import from {{to}}/ (layers run app → server → db)." },
        schema: [],
      },
      create(context) {
        const from = topFolder(context.filename);
        const forbidden = FORBIDDEN[from];
        if (!forbidden) return {};
        const check = (node) => {
          const spec = node?.value;
          if (typeof spec !== "string" || !spec.startsWith(".")) return;
          const to = topFolder(path.resolve(path.dirname(context.filename), spec));
          if (forbidden.includes(to)) context.report({ node, messageId: "backEdge", data: { from, to } });
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
        };
      },
    },
  },
};
