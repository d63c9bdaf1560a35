/** /api/v1 routes of ratings (tablet, tracking link, staff list) and of the devices' settings and health. */
import { z } from "zod";
import { deviceOverview } from "../devices/health";
import { createDevice, pairingPath } from "../devices/service";
import { bindTabletCounter, setKioskPrinting } from "../devices/settings";
import { t } from "../i18n";
import { plainText } from "../input";
import { id } from "../queue/inputs";
import { parseRating, ratingInput, tabletRatingInput } from "../ratings/rules";
import { listRatings, rateFromTablet, tabletState } from "../ratings/service";
import { body, param, parse, type ApiRoute } from "./route";

const daysInput = z.object({ from: z.string().max(10).optional(), to: z.string().max(10).optional() });
const tokenOf = (value: unknown) => parse(z.string().max(64), value);
const newDevice = z.object({
  kind: z.enum(["kiosk", "display", "rating"]),
  name: plainText(100).trim().min(1),
  counterId: id.optional(),
});

export const ratingRoutes: ApiRoute[] = [
  // The tablet: the visit it asks about now (its counter's latest finished and unrated), and the citizen's answer.
  { method: "get", path: "/ratings/tablet", access: "rating.collect", as: "device", handle: ({ actor, services }) => tabletState(services, actor) },
  {
    method: "post",
    path: "/ratings/tablet",
    access: "rating.collect",
    as: "device",
    handle: async ({ req, res, actor, services }) => (res.status(201), rateFromTablet(services, actor, parseRating(tabletRatingInput, body(req)))),
  },
  // The tracking link: the token is the key (unknown tokens are throttled per address).
  {
    method: "get",
    path: "/ratings/tracking/:token",
    access: "public",
    handle: ({ req, services }) => services.trackingRatings.view({ token: tokenOf(req.params.token), address: req.ip ?? "unknown" }),
  },
  {
    method: "post",
    path: "/ratings/tracking/:token",
    access: "public",
    handle: async ({ req, res, services }) =>
      (res.status(201), services.trackingRatings.rate({ token: tokenOf(req.params.token), address: req.ip ?? "unknown", ...parseRating(ratingInput, body(req)) })),
  },
  // Staff: the centre's ratings between two days (?from=YYYY-MM-DD&to=YYYY-MM-DD; today by default).
  { method: "get", path: "/ratings", access: "ratings.read", as: "user", handle: ({ req, actor, services }) => listRatings(services, actor, parse(daysInput, req.query)) },
  // Devices: the list with their health and modes; a new one (a tablet with its counter); a tablet's counter; a kiosk's printing.
  { method: "get", path: "/devices", access: "devices.manage", as: "user", handle: async ({ actor, services }) => ({ devices: await deviceOverview(services, actor) }) },
  {
    method: "post",
    path: "/devices",
    access: "devices.manage",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const { device, pairingCode } = await createDevice(services, actor, parse(newDevice, body(req)));
      res.status(201);
      return { device: { id: device.id, name: device.name, kind: device.kind, counterId: device.counterId }, pairingPath: pairingPath(pairingCode) };
    },
  },
  {
    method: "post",
    path: "/devices/:deviceId/counter",
    access: "devices.manage",
    as: "user",
    handle: async ({ req, actor, services }) => {
      const { device, counter } = await bindTabletCounter(services, actor, { deviceId: param(req, "deviceId"), ...parse(z.object({ counterId: id }), body(req)) });
      return { device: { id: device.id, counterId: device.counterId }, message: t("devices.counterSaved", { name: device.name, n: counter.number }) };
    },
  },
  {
    method: "post",
    path: "/devices/:deviceId/printing",
    access: "devices.manage",
    as: "user",
    handle: async ({ req, actor, services }) => {
      const device = await setKioskPrinting(services, actor, { deviceId: param(req, "deviceId"), ...parse(z.object({ enabled: z.boolean() }), body(req)) });
      return { device: { id: device.id, printEnabled: device.printEnabled } };
    },
  },
];
