ALTER TABLE "audit_log" ADD COLUMN "actor_ref" text;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "claim_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "teachers_claim_code_key" ON "teachers" USING btree ("claim_code");--> statement-breakpoint
-- Roster rows still waiting for their teacher get a personal code (10 hex digits from a random uuid v4's first 12, which are all random).
UPDATE "teachers" SET "claim_code" = upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 10)) WHERE "vk_id" IS NULL AND "erased_at" IS NULL;
