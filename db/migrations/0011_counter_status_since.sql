ALTER TABLE "counters" ADD COLUMN "status_since" timestamp with time zone;--> statement-breakpoint
-- Counters already open or paused count from when their officer signed in; closed ones from their creation.
UPDATE "counters" SET "status_since" = coalesce("signed_in_at", "created_at");
