CREATE TYPE "public"."approver_role" AS ENUM('approver', 'appraiser');--> statement-breakpoint
CREATE TYPE "public"."letter_state" AS ENUM('draft', 'approved', 'cancelled');--> statement-breakpoint
CREATE TABLE "calendar_decisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calendar_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"centre_id" integer,
	"year" smallint NOT NULL,
	"days_off" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"working_days" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tet" jsonb,
	"national_day_extra" date,
	"source" text NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_letters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossier_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" bigint NOT NULL,
	"centre_id" integer NOT NULL,
	"state" "letter_state" DEFAULT 'draft' NOT NULL,
	"reason" text NOT NULL,
	"proposed_due_day" date NOT NULL,
	"proposed_due_at" timestamp with time zone NOT NULL,
	"drafted_by" integer,
	"drafted_at" timestamp with time zone NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "dossier_cutoff" text DEFAULT '15:00';--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "extended_due_day" date;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "extended_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "approver_role" "approver_role" DEFAULT 'approver' NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_decisions" ADD CONSTRAINT "calendar_decisions_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_decisions" ADD CONSTRAINT "calendar_decisions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_letters" ADD CONSTRAINT "dossier_letters_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_letters" ADD CONSTRAINT "dossier_letters_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_letters" ADD CONSTRAINT "dossier_letters_drafted_by_users_id_fk" FOREIGN KEY ("drafted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_letters" ADD CONSTRAINT "dossier_letters_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_decisions_deployment_year_uq" ON "calendar_decisions" USING btree ("year") WHERE centre_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_decisions_centre_year_uq" ON "calendar_decisions" USING btree ("centre_id","year") WHERE centre_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "dossier_letters_dossier_idx" ON "dossier_letters" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_letters_one_draft_uq" ON "dossier_letters" USING btree ("dossier_id") WHERE state = 'draft';