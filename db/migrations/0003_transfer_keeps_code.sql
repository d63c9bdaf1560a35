DROP INDEX "tickets_field_day_number_uq";--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "field_id" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_field_id_fields_id_fk" FOREIGN KEY ("field_id") REFERENCES "public"."fields"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_events_field_seq_idx" ON "ticket_events" USING btree ("field_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_centre_day_code_uq" ON "tickets" USING btree ("centre_id","service_date","code");