import { can, userActor, type Permission } from "../../server/auth/permissions";
import type { SessionUser } from "../../server/auth/session";
import type { MessageKey } from "../../server/i18n";

/** The staff pages, each with the permission that opens it: the home page and the top bar offer only those a role may open. */
export const STAFF_PAGES: ReadonlyArray<{
  to: string;
  permission: Permission;
  title: MessageKey;
  short: MessageKey;
  desc: MessageKey;
  /** A tab of another page (reached from it, and from the home page), not an item of the top bar. */
  tabOf?: string;
}> = [
  { to: "/counter", permission: "counter.operate", title: "home.open.counter", short: "nav.counter", desc: "home.open.counter.desc" },
  { to: "/reception", permission: "ticket.issue", title: "home.open.reception", short: "nav.reception", desc: "home.open.reception.desc" },
  { to: "/dossiers", permission: "dossier.work", title: "home.open.dossiers", short: "nav.dossiers", desc: "home.open.dossiers.desc" },
  { to: "/lich-hen", permission: "appointments.view", title: "staffAppointments.title", short: "staffAppointments.nav", desc: "staffAppointments.desc" },
  { to: "/supervisor", permission: "board.watch", title: "home.open.supervisor", short: "nav.supervisor", desc: "home.open.supervisor.desc" },
  { to: "/reports", permission: "reports.read", title: "reportsPage.homeTitle", short: "reportsPage.nav", desc: "reportsPage.homeDesc" },
  { to: "/admin/centres", permission: "centres.manage", title: "home.open.centres", short: "nav.centres", desc: "home.open.centres.desc" },
  { to: "/admin/centre", permission: "centre.configure", title: "home.open.centre", short: "nav.centre", desc: "home.open.centre.desc" },
  { to: "/admin/queue", permission: "settings.edit", title: "admin.home.queue", short: "nav.queue", desc: "admin.home.queue.desc", tabOf: "/admin/centre" },
  { to: "/admin/procedures", permission: "centre.configure", title: "admin.home.procedures", short: "nav.procedures", desc: "admin.home.procedures.desc", tabOf: "/admin/centre" },
  { to: "/admin/calendar", permission: "centre.configure", title: "calendar.title", short: "calendar.title", desc: "calendar.home.desc", tabOf: "/admin/centre" },
  { to: "/admin/devices", permission: "devices.manage", title: "home.open.devices", short: "nav.devices", desc: "home.open.devices.desc" },
  { to: "/admin/users", permission: "users.manage", title: "home.open.users", short: "nav.users", desc: "home.open.users.desc" },
  { to: "/admin/audit", permission: "audit.read", title: "home.open.audit", short: "nav.audit", desc: "home.open.audit.desc" },
];

export const pagesFor = (user: Pick<SessionUser, "id" | "centreId" | "role">) => STAFF_PAGES.filter((p) => can(userActor(user), p.permission));
