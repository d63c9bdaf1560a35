import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import type { ServerBuild } from "react-router";
import type { PageHandlerMount } from "./app";
import type { AppServices } from "./services";

/** What every loader and action receives: the services, who is asking, and from where. */
const loadContext = (services: AppServices) => (req: express.Request, res: express.Response) => ({
  services,
  auth: res.locals.auth!,
  clientAddress: req.ip ?? "unknown",
  cspNonce: res.locals.cspNonce ?? "",
});

/** The React Router pages from the production build in ./build. */
export function productionPages(buildDir = path.resolve("build")): PageHandlerMount {
  return async (app, { services, authenticate }) => {
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    // A missing asset (an old page after a deploy) is a plain 404, not a page render.
    app.use("/assets", (_req, res) => void res.sendStatus(404));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h", index: false }));
    // A path computed at run time, so the server bundler leaves the app build alone.
    const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
    app.all(
      "/{*splat}",
      ...authenticate,
      createRequestHandler({
        build,
        mode: "production",
        getLoadContext: loadContext(services),
      }),
    );
  };
}

/**
 * The pages through Vite in middleware mode, with hot reload on the same HTTP server. Tests
 * turn the hot reload and the file watcher off.
 */
export function developmentPages(options: { hotReload?: boolean } = {}): PageHandlerMount {
  const hotReload = options.hotReload ?? true;
  return async (app, { httpServer, services, authenticate }) => {
    const vite = await import("vite");
    const viteServer = await vite.createServer({
      server: hotReload ? { middlewareMode: true, hmr: { server: httpServer } } : { middlewareMode: true, hmr: false, watch: null },
      logLevel: hotReload ? "info" : "warn",
      // Without hot reload nothing is served to a browser: no dependency pre-bundling either.
      ...(hotReload ? {} : { optimizeDeps: { noDiscovery: true, include: [] } }),
    });
    app.use(viteServer.middlewares);
    app.all("/{*splat}", ...authenticate, async (req, res, next) => {
      try {
        const build = (await viteServer.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
        await createRequestHandler({
          build,
          mode: "development",
          getLoadContext: loadContext(services),
        })(req, res, next);
      } catch (error) {
        if (error instanceof Error) viteServer.ssrFixStacktrace(error);
        next(error);
      }
    });
    return () => viteServer.close();
  };
}
