CREATE TABLE "uploaded_files" (
	"hash" text PRIMARY KEY NOT NULL,
	"attachment" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "school_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "priority" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_pending_priority_idx" ON "outbox" USING btree ("priority","id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_pending_recipient_idx" ON "outbox" USING btree ("recipient_vk_id","id") WHERE "outbox"."status" = 'pending';