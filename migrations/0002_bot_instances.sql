CREATE TABLE "bot_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" bigint NOT NULL,
	"label" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bot_instances_group_seen_idx" ON "bot_instances" USING btree ("group_id","seen_at");