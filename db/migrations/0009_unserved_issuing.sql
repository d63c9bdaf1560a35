CREATE TYPE "public"."unserved_issuing" AS ENUM('warn', 'refuse');--> statement-breakpoint
ALTER TABLE "centres" ADD COLUMN "unserved_issuing" "unserved_issuing" DEFAULT 'warn' NOT NULL;