/** /api/v1 for the citizen's ticket: its public view by the tracking token (throttled per address, like the page). */
import type { ApiRoute } from "./route";

export const trackingRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/tracking/:token",
    access: "public",
    handle: ({ req, services }) => services.tracking.view({ token: String(req.params.token ?? ""), address: req.ip ?? "unknown" }),
  },
];
