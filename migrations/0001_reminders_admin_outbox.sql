CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_vk_id" bigint NOT NULL,
	"teacher_id" uuid,
	"message" jsonb NOT NULL,
	"random_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending', 'sent', 'failed', 'unreachable'))
);
--> statement-breakpoint
CREATE TABLE "school_holidays" (
	"school_id" uuid NOT NULL,
	"date" date NOT NULL,
	"note" text,
	CONSTRAINT "school_holidays_school_id_date_pk" PRIMARY KEY("school_id","date")
);
--> statement-breakpoint
CREATE TABLE "school_tasks" (
	"school_id" uuid NOT NULL,
	"task_code" text NOT NULL,
	"evidence" jsonb,
	"completed_at" timestamp with time zone NOT NULL,
	"completed_by_vk_id" bigint,
	CONSTRAINT "school_tasks_school_id_task_code_pk" PRIMARY KEY("school_id","task_code")
);
--> statement-breakpoint
CREATE TABLE "summary_snapshots" (
	"school_id" uuid NOT NULL,
	"date" date NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "summary_snapshots_school_id_date_pk" PRIMARY KEY("school_id","date")
);
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "reminder_policy" jsonb;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "eo_instructions" text;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "leave_until" date;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_holidays" ADD CONSTRAINT "school_holidays_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_tasks" ADD CONSTRAINT "school_tasks_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_snapshots" ADD CONSTRAINT "summary_snapshots_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_key_key" ON "outbox" USING btree ("key");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("status","available_at");