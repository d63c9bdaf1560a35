CREATE TYPE "public"."document_form" AS ENUM('original', 'certified_copy', 'copy');--> statement-breakpoint
CREATE TYPE "public"."dossier_state" AS ENUM('received', 'appraising', 'needs_supplement', 'approved', 'refused', 'result_ready', 'returned', 'paused', 'stopped');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'appraiser';--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'approver';--> statement-breakpoint
CREATE TABLE "dossier_numbers" (
	"centre_id" integer NOT NULL,
	"day" date NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "dossier_numbers_centre_id_day_pk" PRIMARY KEY("centre_id","day")
);
--> statement-breakpoint
CREATE TABLE "dossier_steps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossier_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" bigint NOT NULL,
	"centre_id" integer NOT NULL,
	"action" text NOT NULL,
	"from_state" "dossier_state",
	"to_state" "dossier_state" NOT NULL,
	"actor_user_id" integer,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossiers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"centre_id" integer NOT NULL,
	"code" text NOT NULL,
	"procedure_id" integer NOT NULL,
	"ticket_id" bigint,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text NOT NULL,
	"applicant_phone" text NOT NULL,
	"applicant_address" text,
	"documents" jsonb NOT NULL,
	"notes" text,
	"state" "dossier_state" DEFAULT 'received' NOT NULL,
	"previous_state" "dossier_state",
	"received_at" timestamp with time zone NOT NULL,
	"counts_from" date NOT NULL,
	"due_day" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"received_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dossiers_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "procedures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"centre_id" integer NOT NULL,
	"field_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" "centre_level" NOT NULL,
	"legal_basis" text NOT NULL,
	"documents" jsonb NOT NULL,
	"processing_days" smallint,
	"processing_hours" smallint,
	"fee" text NOT NULL,
	"on_the_spot" boolean DEFAULT false NOT NULL,
	"needs_appraisal" boolean DEFAULT true NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossier_numbers" ADD CONSTRAINT "dossier_numbers_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_steps" ADD CONSTRAINT "dossier_steps_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_steps" ADD CONSTRAINT "dossier_steps_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_steps" ADD CONSTRAINT "dossier_steps_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_field_id_fields_id_fk" FOREIGN KEY ("field_id") REFERENCES "public"."fields"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dossier_steps_dossier_idx" ON "dossier_steps" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "dossiers_centre_state_idx" ON "dossiers" USING btree ("centre_id","state");--> statement-breakpoint
CREATE INDEX "dossiers_ticket_idx" ON "dossiers" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "procedures_centre_code_uq" ON "procedures" USING btree ("centre_id","code");--> statement-breakpoint
-- A dossier's steps are its legal record: like the ticket and audit logs, nobody may rewrite them.
CREATE OR REPLACE FUNCTION dossier_steps_reject_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'dossier_steps is append-only (% rejected)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER dossier_steps_append_only
  BEFORE UPDATE OR DELETE ON dossier_steps
  FOR EACH ROW EXECUTE FUNCTION dossier_steps_reject_change();
--> statement-breakpoint
CREATE TRIGGER dossier_steps_no_truncate
  BEFORE TRUNCATE ON dossier_steps
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_steps_reject_change();
