ALTER TABLE "admins" ADD COLUMN "state" jsonb;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "join_code_rotated_at" timestamp with time zone;