-- The event log's reason column held four encodings ("code: note", a recall count, a JSON
-- transfer, an outcome, free text). From here on each event type keeps typed JSON details;
-- the old rows are converted once. The append-only trigger is set aside for that one UPDATE
-- (the ALTER holds an exclusive lock, and migrations run in one transaction).
ALTER TABLE "ticket_events" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "ticket_events" DISABLE TRIGGER "ticket_events_append_only";--> statement-breakpoint
UPDATE "ticket_events" SET "details" = CASE "type"
  WHEN 'called_out_of_order' THEN jsonb_build_object(
    'reason', split_part("reason", ': ', 1),
    'note', CASE WHEN strpos("reason", ': ') > 0 THEN substr("reason", strpos("reason", ': ') + 2) END)
  WHEN 'recalled' THEN jsonb_build_object('recallCount', "reason"::int)
  WHEN 'transferred' THEN "reason"::jsonb
  WHEN 'finished' THEN jsonb_build_object('outcome', "reason")
  WHEN 'cancelled' THEN jsonb_build_object('reason', "reason")
END
WHERE "reason" IS NOT NULL OR "type" = 'cancelled';--> statement-breakpoint
ALTER TABLE "ticket_events" ENABLE TRIGGER "ticket_events_append_only";
