ALTER TABLE "centres" ADD COLUMN "is_demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- A demo centre loaded before this column existed is still a demo centre.
UPDATE "centres" SET "is_demo" = true WHERE "code" = 'DEMO';
