-- "serving" was never written: a ticket at a counter is "called" until it is finished,
-- returned or marked absent. The enum loses the value; the one-active-ticket index follows.
UPDATE "tickets" SET "status" = 'called' WHERE "status" = 'serving';--> statement-breakpoint
DROP INDEX "tickets_one_active_per_counter_uq";--> statement-breakpoint
ALTER TYPE "public"."ticket_status" RENAME TO "ticket_status_old";--> statement-breakpoint
CREATE TYPE "public"."ticket_status" AS ENUM('waiting', 'called', 'done', 'no_show', 'cancelled');--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "status" SET DATA TYPE "public"."ticket_status" USING "status"::text::"public"."ticket_status";--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "status" SET DEFAULT 'waiting';--> statement-breakpoint
ALTER TABLE "ticket_events" ALTER COLUMN "from_status" SET DATA TYPE "public"."ticket_status" USING "from_status"::text::"public"."ticket_status";--> statement-breakpoint
ALTER TABLE "ticket_events" ALTER COLUMN "to_status" SET DATA TYPE "public"."ticket_status" USING "to_status"::text::"public"."ticket_status";--> statement-breakpoint
DROP TYPE "public"."ticket_status_old";--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_one_active_per_counter_uq" ON "tickets" USING btree ("counter_id") WHERE status = 'called';--> statement-breakpoint
ALTER TABLE "ticket_events" DROP COLUMN "reason";
