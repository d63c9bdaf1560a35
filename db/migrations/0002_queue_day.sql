CREATE TYPE "public"."queue_mode" AS ENUM('strict', 'ratio');--> statement-breakpoint
CREATE TYPE "public"."ticket_outcome" AS ENUM('done', 'needs_dossier', 'redirected', 'citizen_left');--> statement-breakpoint
CREATE TABLE "priority_classes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "priority_classes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"centre_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "counters" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "queue_mode" "queue_mode" DEFAULT 'ratio' NOT NULL;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "priority_ratio" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "ageing_cap_minutes" smallint DEFAULT 45;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "daily_capacity" integer;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "cutoff_time" text;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "recalls_before_no_show" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "rejoin_grace_minutes" smallint DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "default_service_minutes" smallint DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "priority_class_id" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "no_show_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "recall_count" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "outcome" "ticket_outcome";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "target_counter_id" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "target_officer_id" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "transferred_from_counter_id" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "transfer_note" text;--> statement-breakpoint
ALTER TABLE "priority_classes" ADD CONSTRAINT "priority_classes_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "priority_classes_centre_code_uq" ON "priority_classes" USING btree ("centre_id","code");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_priority_class_id_priority_classes_id_fk" FOREIGN KEY ("priority_class_id") REFERENCES "public"."priority_classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_target_counter_id_counters_id_fk" FOREIGN KEY ("target_counter_id") REFERENCES "public"."counters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_target_officer_id_users_id_fk" FOREIGN KEY ("target_officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_transferred_from_counter_id_counters_id_fk" FOREIGN KEY ("transferred_from_counter_id") REFERENCES "public"."counters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every existing centre gets the priority groups the law favours; they are editable after.
INSERT INTO "priority_classes" ("centre_id", "code", "name", "sort_order")
SELECT c."id", v."code", v."name", v."sort_order"
FROM "centres" c
CROSS JOIN (VALUES
  ('NCT', 'Người cao tuổi', 1),
  ('NKT', 'Người khuyết tật', 2),
  ('PNMT', 'Phụ nữ mang thai', 3),
  ('NCC', 'Người có công với cách mạng', 4),
  ('TRE', 'Người đi cùng trẻ em dưới 6 tuổi', 5)
) AS v("code", "name", "sort_order")
ON CONFLICT DO NOTHING;
