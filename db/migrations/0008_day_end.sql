ALTER TYPE "public"."ticket_status" ADD VALUE 'expired';--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "closes_at" text DEFAULT '17:30' NOT NULL;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "closed_through" date;--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "closing_swept_on" date;