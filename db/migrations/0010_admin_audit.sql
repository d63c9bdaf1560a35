CREATE TYPE "public"."centre_level" AS ENUM('province', 'commune');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'sysadmin';--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"centre_id" integer,
	"actor_user_id" integer,
	"actor_device_id" integer,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" bigint,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"address" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "level" "centre_level" DEFAULT 'commune' NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "opens_at" text DEFAULT '07:30' NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "alert_wait_minutes" smallint DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "alert_paused_minutes" smallint DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "alert_idle_minutes" smallint DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "alert_device_offline_minutes" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "notice" text;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "notice_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "counters" ADD COLUMN "is_active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "field_ids" integer[];--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "centre_id" integer;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_device_id_devices_id_fk" FOREIGN KEY ("actor_device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_centre_time_idx" ON "audit_events" USING btree ("centre_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The audit log records staff and administrator actions: like ticket_events, nobody may rewrite it.
CREATE OR REPLACE FUNCTION audit_events_reject_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change();
