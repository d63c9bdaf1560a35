ALTER TYPE "public"."ticket_outcome" ADD VALUE 'dossier_received';--> statement-breakpoint
ALTER TYPE "public"."ticket_outcome" ADD VALUE 'dossier_refused';