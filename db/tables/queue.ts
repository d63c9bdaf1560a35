/** Centres, their fields, counters, staff, sessions, devices, and the queue's tickets and events. */
import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

// "admin" runs one centre; "sysadmin" runs the deployment (every centre of the province);
// "appraiser" (chuyên viên thẩm định) and "approver" (lãnh đạo) settle dossiers.
export const roleEnum = pgEnum("role", ["officer", "supervisor", "admin", "sysadmin", "appraiser", "approver"]);
export const centreLevelEnum = pgEnum("centre_level", ["province", "commune"]);
export const counterStatusEnum = pgEnum("counter_status", ["open", "paused", "closed"]);
// rating: the tablet at a counter where citizens rate the visit just finished (bound to that counter).
export const deviceKindEnum = pgEnum("device_kind", ["kiosk", "display", "rating"]);
export const unservedIssuingEnum = pgEnum("unserved_issuing", ["warn", "refuse"]);
export const ticketChannelEnum = pgEnum("ticket_channel", ["kiosk", "reception", "appointment", "api"]);
export const queueModeEnum = pgEnum("queue_mode", ["strict", "ratio"]);
// dossier_received / dossier_refused: the visit's dossier is open (result later) / refused or stopped (server/dossiers/workflow.ts).
export const ticketOutcomeEnum = pgEnum("ticket_outcome", ["done", "needs_dossier", "redirected", "citizen_left", "dossier_received", "dossier_refused"]);
export const ticketStatusEnum = pgEnum("ticket_status", [
  "waiting",
  "called",
  "done",
  "no_show",
  "cancelled",
  // Still waiting or at a counter when its service day ended (server/queue/day-end.ts).
  "expired",
]);

export const centres = pgTable("centres", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  address: text("address"),
  level: centreLevelEnum("level").notNull().default("commune"),
  // Opening time (HH:MM, Vietnam time), shown to citizens; closing time below.
  opensAt: text("opens_at").notNull().default("07:30"),
  // Thresholds of the supervisor's alerts, in minutes (server/supervision/alerts.ts).
  alertWaitMinutes: smallint("alert_wait_minutes").notNull().default(30),
  alertPausedMinutes: smallint("alert_paused_minutes").notNull().default(15),
  alertIdleMinutes: smallint("alert_idle_minutes").notNull().default(20),
  alertDeviceOfflineMinutes: smallint("alert_device_offline_minutes").notNull().default(2),
  // A notice that scrolls along the bottom of the waiting-room screens, until it is taken down or expires.
  notice: text("notice"),
  noticeUntil: timestamp("notice_until", { withTimezone: true }),
  // Loaded with made-up data for a trial: every page of it says so.
  isDemo: boolean("is_demo").notNull().default(false),
  // Closing time (HH:MM, Vietnam time): idle counters are closed and their officers signed out.
  closesAt: text("closes_at").notNull().default("17:30"),
  // After this time (HH:MM) a dossier counts from the next working day; null: no cut-off.
  dossierCutoff: text("dossier_cutoff").default("15:00"),
  // The last service day whose end has been dealt with (tickets left expired, counters released),
  // and the last day its idle counters were closed at closing time.
  closedThrough: date("closed_through", { mode: "string" }),
  closingSweptOn: date("closing_swept_on", { mode: "string" }),
  // A field no staffed counter serves right now: its kiosk button warns (and still issues), or refuses.
  unservedIssuing: unservedIssuingEnum("unserved_issuing").notNull().default("warn"),
  // Increased in every transaction that changes the centre's queue state, as its last
  // statement; realtime events carry it so clients can detect a gap and resync.
  eventSeq: bigint("event_seq", { mode: "number" }).notNull().default(0),
  createdAt: createdAt(),
});

export const fields = pgTable(
  "fields",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    isOpen: boolean("is_open").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    // The queue policy of the field (server/queue/policy.ts).
    queueMode: queueModeEnum("queue_mode").notNull().default("ratio"),
    priorityRatio: smallint("priority_ratio").notNull().default(2),
    ageingCapMinutes: smallint("ageing_cap_minutes").default(45),
    // Issuing limits: tickets a day, and the last time of day (HH:MM, Vietnam time) a ticket is issued.
    dailyCapacity: integer("daily_capacity"),
    cutoffTime: text("cutoff_time"),
    // Recalls an officer makes before a no-show is allowed; minutes a no-show may rejoin.
    recallsBeforeNoShow: smallint("recalls_before_no_show").notNull().default(2),
    rejoinGraceMinutes: smallint("rejoin_grace_minutes").notNull().default(60),
    // Used for wait estimates until the field has served enough tickets today.
    defaultServiceMinutes: smallint("default_service_minutes").notNull().default(10),
    // Appointments (server/appointments): slot length, bookings a slot takes (0: no booking), and
    // the share of the day's capacity kept for walk-ins (percent).
    appointmentSlotMinutes: smallint("appointment_slot_minutes").notNull().default(30),
    appointmentSlotCapacity: smallint("appointment_slot_capacity").notNull().default(0),
    walkInPercent: smallint("walk_in_percent").notNull().default(50),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("fields_centre_code_uq").on(t.centreId, t.code),
    uniqueIndex("fields_centre_prefix_uq").on(t.centreId, t.prefix),
  ],
);

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  centreId: integer("centre_id")
    .notNull()
    .references(() => centres.id),
  username: text("username").notNull().unique(),
  fullName: text("full_name").notNull(),
  role: roleEnum("role").notNull(),
  passwordHash: text("password_hash").notNull(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: createdAt(),
});

export const counters = pgTable(
  "counters",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    number: integer("number").notNull(),
    name: text("name").notNull(),
    status: counterStatusEnum("status").notNull().default("closed"),
    pauseReason: text("pause_reason"),
    // The officer signed in at this counter; unique, so an officer holds one counter at most.
    officerId: integer("officer_id")
      .unique("counters_officer_uq")
      .references(() => users.id),
    signedInAt: timestamp("signed_in_at", { withTimezone: true }),
    // When the status last changed (open, paused, closed): the supervisor's alerts count from it.
    statusSince: timestamp("status_since", { withTimezone: true }),
    // A counter taken out of service: nobody signs in to it, screens do not list it.
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("counters_centre_number_uq").on(t.centreId, t.number)],
);

export const counterFields = pgTable(
  "counter_fields",
  {
    counterId: integer("counter_id")
      .notNull()
      .references(() => counters.id, { onDelete: "cascade" }),
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.counterId, t.fieldId] }), index("counter_fields_field_idx").on(t.fieldId)],
);

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the session token, hex; the token itself is never stored.
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Absolute end: the session never lives longer, however busy (server/auth/session.ts).
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // Last activity (a request, or the counter console saying its officer is at work): the idle timeout counts from it.
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    // Shown to the person in their list of sessions, so they can tell their browsers apart.
    address: text("address"),
    userAgent: text("user_agent"),
    // A deployment administrator's session works in one centre at a time, chosen here (null: their own).
    centreId: integer("centre_id").references(() => centres.id),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const devices = pgTable(
  "devices",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    kind: deviceKindEnum("kind").notNull(),
    name: text("name").notNull(),
    // SHA-256 (hex) of the device token held in the device's cookie.
    tokenHash: text("token_hash").unique(),
    // SHA-256 (hex) of the one-time pairing code; cleared when used.
    pairingCodeHash: text("pairing_code_hash").unique(),
    pairingExpiresAt: timestamp("pairing_expires_at", { withTimezone: true }),
    pairedAt: timestamp("paired_at", { withTimezone: true }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    // When its live connection (socket) began; cleared when its last one closes (server/devices/health.ts).
    connectedAt: timestamp("connected_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Kiosks: the last ticket given out (taps closer together are refused), and today's refused taps.
    lastIssuedAt: timestamp("last_issued_at", { withTimezone: true }),
    refusedDate: date("refused_date", { mode: "string" }),
    refusedCount: integer("refused_count").notNull().default(0),
    // Screens: the fields this one shows (null: all of the centre's).
    fieldIds: integer("field_ids").array(),
    // Kiosks: print the 80 mm slip after a tap (false: show the code and QR on screen only).
    printEnabled: boolean("print_enabled").notNull().default(true),
    // Rating tablets: the counter whose finished visits this one asks about.
    counterId: integer("counter_id").references((): AnyPgColumn => counters.id),
    // What the device last reported of itself with its heartbeat (voice, print), for the device list.
    reportedModes: jsonb("reported_modes").$type<Record<string, string>>(),
    createdAt: createdAt(),
  },
  // A counter has one rating tablet at most (only tablets have a counter; a revoked one no longer counts).
  (t) => [uniqueIndex("devices_one_tablet_per_counter_uq").on(t.counterId).where(sql`counter_id is not null and revoked_at is null`)],
);

// Groups the law serves first (người cao tuổi, người khuyết tật…); editable per centre.
export const priorityClasses = pgTable(
  "priority_classes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("priority_classes_centre_code_uq").on(t.centreId, t.code)],
);

// Daily ticket numbers: one row per field and service day, incremented in the issuing
// transaction, so numbers are gapless (a rollback rolls the increment back too).
export const ticketNumbers = pgTable(
  "ticket_numbers",
  {
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id),
    serviceDate: date("service_date", { mode: "string" }).notNull(),
    lastNumber: integer("last_number").notNull(),
    // How many of the field's latest calls today were priority tickets in a row: the queue
    // policy's ratio reads it, each call updates it in its own transaction (server/queue/calling.ts).
    priorityStreak: integer("priority_streak").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.fieldId, t.serviceDate] })],
);

export const tickets = pgTable(
  "tickets",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id),
    serviceDate: date("service_date", { mode: "string" }).notNull(),
    number: integer("number").notNull(),
    code: text("code").notNull(),
    // 0 = normal, 1 = a priority class (see priorityClassId).
    priority: smallint("priority").notNull().default(0),
    priorityClassId: integer("priority_class_id").references(() => priorityClasses.id),
    channel: ticketChannelEnum("channel").notNull(),
    status: ticketStatusEnum("status").notNull().default("waiting"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    // First call at the current counter (the service timer and mean service time start here).
    calledAt: timestamp("called_at", { withTimezone: true }),
    // The very first call, wherever it was (a transfer or a return keeps it): the end of the
    // citizen's wait in the reports (server/reports).
    firstCalledAt: timestamp("first_called_at", { withTimezone: true }),
    // Last time it was announced (call or recall): orders the screen's "just called" list.
    announcedAt: timestamp("announced_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    noShowAt: timestamp("no_show_at", { withTimezone: true }),
    recallCount: smallint("recall_count").notNull().default(0),
    outcome: ticketOutcomeEnum("outcome"),
    note: text("note"),
    // A transfer to a specific counter or officer: only they may call it.
    targetCounterId: integer("target_counter_id").references(() => counters.id),
    targetOfficerId: integer("target_officer_id").references(() => users.id),
    transferredFromCounterId: integer("transferred_from_counter_id").references(() => counters.id),
    transferNote: text("transfer_note"),
    counterId: integer("counter_id").references(() => counters.id),
    officerId: integer("officer_id").references(() => users.id),
    deviceId: integer("device_id").references(() => devices.id),
    // The citizen's tracking page /t/<token>: 128 random bits, never the id (null on tickets issued before it existed).
    trackingToken: text("tracking_token").unique(),
  },
  (t) => [
    // Codes carry the field's prefix, unique in the centre; a transferred ticket keeps its code.
    uniqueIndex("tickets_centre_day_code_uq").on(t.centreId, t.serviceDate, t.code),
    index("tickets_queue_idx").on(t.centreId, t.serviceDate, t.status, t.fieldId),
    // The head of each queue (field, priority or not) in one probe, however long the line: what
    // call-next reads (server/queue/calling.ts). Waiting tickets sent to nobody in particular.
    index("tickets_queue_heads_idx")
      .on(t.fieldId, t.serviceDate, sql`(${t.priority} > 0)`, t.issuedAt, t.id)
      .where(sql`status = 'waiting' and target_counter_id is null and target_officer_id is null`),
    // The few waiting tickets sent to a counter or an officer (transfers), read beside the heads.
    index("tickets_targeted_waiting_idx")
      .on(t.centreId, t.serviceDate)
      .where(sql`status = 'waiting' and (target_counter_id is not null or target_officer_id is not null)`),
    // At most one active ticket per counter, whatever the code path.
    uniqueIndex("tickets_one_active_per_counter_uq")
      .on(t.counterId)
      .where(sql`status = 'called'`),
  ],
);

// Append-only: a trigger in the migrations rejects UPDATE and DELETE.
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .references(() => tickets.id),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    type: text("type").notNull(),
    // The ticket's field after the transition (a transfer changes it): per-field call history.
    fieldId: integer("field_id").references(() => fields.id),
    fromStatus: ticketStatusEnum("from_status"),
    toStatus: ticketStatusEnum("to_status").notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id),
    actorDeviceId: integer("actor_device_id").references(() => devices.id),
    counterId: integer("counter_id").references(() => counters.id),
    // What the transition needs to be understood (an out-of-order reason, an outcome, a
    // transfer's destination…), typed per event type in server/queue/event-details.ts.
    details: jsonb("details"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    index("ticket_events_ticket_idx").on(t.ticketId),
    index("ticket_events_centre_seq_idx").on(t.centreId, t.seq),
    index("ticket_events_field_seq_idx").on(t.fieldId, t.seq),
    // The calls of a range (reports of out-of-order calls, server/reports): a third of the log (decision 0027).
    index("ticket_events_calls_idx").on(t.centreId, t.createdAt).where(sql`type in ('called', 'called_out_of_order')`),
  ],
);
