import { index, route, type RouteConfig } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("account", "routes/account.tsx"),
  route("counter", "routes/counter.tsx"),
  route("reception", "routes/reception.tsx"),
  route("dossiers", "routes/dossiers.tsx"),
  route("dossiers/:code/giay-tiep-nhan", "routes/dossier-receipt.tsx"),
  route("dossiers/:code/phieu-kiem-soat", "routes/dossier-control.tsx"),
  route("supervisor", "routes/supervisor.tsx"),
  route("kiosk", "routes/kiosk.tsx"),
  route("display", "routes/display.tsx"),
  route("pair/:code", "routes/pair.tsx"),
  route("tra-cuu", "routes/lookup.tsx"),
  route("admin/devices", "routes/admin.devices.tsx"),
  route("admin/queue", "routes/admin.queue.tsx"),
  route("admin/users", "routes/admin.users.tsx"),
  route("admin/centre", "routes/admin.centre.tsx"),
  route("admin/centres", "routes/admin.centres.tsx"),
  route("admin/audit", "routes/admin.audit.tsx"),
] satisfies RouteConfig;
