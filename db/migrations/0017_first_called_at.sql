ALTER TABLE "tickets" ADD COLUMN "first_called_at" timestamp with time zone;--> statement-breakpoint
-- Tickets called before the column existed: their first call, from the event log.
UPDATE "tickets" t SET "first_called_at" = e.first_at
FROM (SELECT "ticket_id", min("created_at") AS first_at FROM "ticket_events" WHERE "type" IN ('called', 'called_out_of_order') GROUP BY "ticket_id") e
WHERE e."ticket_id" = t."id";
