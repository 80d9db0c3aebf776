import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The one drizzle schema. Every tenant row carries `school_id`, so many schools share a database.
 * Migrations in /migrations are generated from this file by drizzle-kit and never edited once applied.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** VK ids fit in 53 bits comfortably; `mode: 'number'` keeps them plain numbers in TypeScript. */
const vkId = (name: string) => bigint(name, { mode: 'number' });

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable key for schools bootstrapped from configuration (`main` for SCHOOL_NAME). */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    joinCode: text('join_code').notNull(),
    /** The campaign's deadline, e.g. the first parent meeting. */
    deadline: date('deadline', { mode: 'string' }),
    /** Per-school overrides of the reminder policy (validated by the domain); null → defaults. */
    reminderPolicy: jsonb('reminder_policy'),
    /** The school's own steps for linking Sferum with «Электронное образование Дагестана» (eo_link). */
    eoInstructions: text('eo_instructions'),
    /** Set when an administrator rotates the join code: from then on the database, not SCHOOL_JOIN_CODE, owns it. */
    joinCodeRotatedAt: timestamp('join_code_rotated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('schools_slug_key').on(t.slug), uniqueIndex('schools_join_code_key').on(sql`lower(${t.joinCode})`)],
);

export const admins = pgTable(
  'admins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vkId: vkId('vk_id').notNull(),
    /** Null for a regional administrator, who sees every school. */
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['school', 'region'] }).notNull(),
    /** The administrator's own conversation (validated by the domain); null → the admin menu. */
    state: jsonb('state'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('admins_vk_id_key').on(t.vkId)],
);

export const teachers = pgTable(
  'teachers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    /** Null until known: a roster line may come without a VK id. */
    vkId: vkId('vk_id'),
    fullName: text('full_name').notNull(),
    active: boolean('active').notNull().default(true),
    /** First message to the bot; null means the teacher has never written (the bot cannot write first). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** When every task was closed and the thank-you was sent (once). */
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** VK answered 901: the teacher has not allowed messages from the community. */
    unreachableAt: timestamp('unreachable_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** "Remind me tomorrow / next week": no reminders before this instant. */
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    /** On leave through this local date (inclusive): no reminders. */
    leaveUntil: date('leave_until', { mode: 'string' }),
    /** Personal data erased at the teacher's or an administrator's request; the row stays for counts. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    /**
     * The personal code of a roster row without a VK id: the administrator hands it to that teacher,
     * who writes it to the bot to be linked to the row. Cleared once used. The only way to claim a
     * roster row: a name and the public join code are not enough.
     */
    claimCode: text('claim_code'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('teachers_vk_id_key').on(t.vkId), index('teachers_school_idx').on(t.schoolId), uniqueIndex('teachers_claim_code_key').on(t.claimCode)],
);

export const classes = pgTable(
  'classes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    teacherId: uuid('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    /** Normalised «5А». */
    name: text('name').notNull(),
    /** Position in the teacher's own list, so questions follow the order they gave. */
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('classes_teacher_name_key').on(t.teacherId, t.name)],
);

export const taskCompletions = pgTable(
  'task_completions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    teacherId: uuid('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    taskCode: text('task_code').notNull(),
    /** '' for a task answered once per teacher; the class name for per-class tasks. */
    className: text('class_name').notNull().default(''),
    status: text('status', { enum: ['done', 'not_applicable'] }).notNull(),
    evidence: jsonb('evidence'),
    reason: text('reason'),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('task_completions_item_key').on(t.teacherId, t.taskCode, t.className),
    index('task_completions_school_idx').on(t.schoolId, t.taskCode),
    check('task_completions_status_check', sql`${t.status} in ('done', 'not_applicable')`),
  ],
);

/** One row per VK user who ever wrote, registered or not. */
export const conversations = pgTable('conversations', {
  vkId: vkId('vk_id').primaryKey(),
  schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
  state: jsonb('state').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Ids of updates already handled: inserted in the same transaction as the update's effects. */
export const processedEvents = pgTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only record of every status change: who, what, when, through what. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    teacherId: uuid('teacher_id').references(() => teachers.id, { onDelete: 'set null' }),
    actor: text('actor', { enum: ['teacher', 'admin', 'import', 'system'] }).notNull(),
    actorVkId: vkId('actor_vk_id'),
    /** After the acting teacher's data was erased: a pseudonym of their VK id instead of the id (never dropped). */
    actorRef: text('actor_ref'),
    action: text('action').notNull(),
    taskCode: text('task_code'),
    className: text('class_name'),
    details: jsonb('details'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_school_idx').on(t.schoolId, t.createdAt), index('audit_log_teacher_idx').on(t.teacherId)],
);

/** Bots Long Poll position after the last fully handled batch, per community: a restart resumes here. */
export const pollCursors = pgTable('poll_cursors', {
  groupId: vkId('group_id').primaryKey(),
  ts: text('ts').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Running bot processes, one row each, refreshed by a heartbeat. The community token's request
 * rate is divided among the live ones (src/vk/api-share.ts); a row whose heartbeat stopped is
 * ignored after a few intervals and deleted later. Times come from the database's clock, so
 * instances with skewed clocks agree.
 */
export const botInstances = pgTable(
  'bot_instances',
  {
    /** Random per process start. */
    id: text('id').primaryKey(),
    /** The community whose token the instance uses. */
    groupId: vkId('group_id').notNull(),
    /** host:pid, for an operator reading the table. */
    label: text('label').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bot_instances_group_seen_idx').on(t.groupId, t.seenAt)],
);

/** Extra non-working dates a school sets (holidays, quarantine); Russian public holidays are built in. */
export const schoolHolidays = pgTable(
  'school_holidays',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.date] })],
);

/** School-level tasks done by an administrator: point 5 (local act) and point 6 (school link). */
export const schoolTasks = pgTable(
  'school_tasks',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    taskCode: text('task_code').notNull(),
    evidence: jsonb('evidence'),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    completedByVkId: vkId('completed_by_vk_id'),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.taskCode] })],
);

/**
 * Every message the bot sends: replies to updates, their posters, reminders, summaries. A row is
 * written, under a unique key such as `reply:{event}` or `reminder:{teacher}:{date}`, in the same
 * transaction that decides it; senders claim rows with FOR UPDATE SKIP LOCKED and a lease, and
 * `random_id` makes a resend harmless.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for a reply to someone of no school yet (a stranger asked for the join code). */
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['reply', 'file', 'reminder', 'summary', 'notice'] }).notNull(),
    /** Lower goes first: 0 replies' text, 1 files (posters), 2 reminders and summaries. */
    priority: smallint('priority').notNull().default(2),
    recipientVkId: vkId('recipient_vk_id').notNull(),
    teacherId: uuid('teacher_id').references(() => teachers.id, { onDelete: 'cascade' }),
    /** The rendered message: its parts (domain Replies), and the bytes of their files in base64 until it is settled. */
    message: jsonb('message').notNull(),
    randomId: integer('random_id').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed', 'unreachable'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Not before this instant (back-off after a transient failure). */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    /** A sender holds the row until then; a crashed sender's rows are taken over afterwards. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_key_key').on(t.key),
    index('outbox_pending_idx').on(t.status, t.availableAt),
    // The claim's order, and its check for an earlier unsent message to the same person.
    index('outbox_pending_priority_idx').on(t.priority, t.id).where(sql`${t.status} = 'pending'`),
    index('outbox_pending_recipient_idx').on(t.recipientVkId, t.id).where(sql`${t.status} = 'pending'`),
    check('outbox_status_check', sql`${t.status} in ('pending', 'sent', 'failed', 'unreachable')`),
  ],
);

/**
 * Files already uploaded to VK, by a hash of what they were made from and whom they went to: a
 * poster sent again with the same links reuses the document instead of rendering and uploading it.
 */
export const uploadedFiles = pgTable('uploaded_files', {
  hash: text('hash').primaryKey(),
  /** The messenger's id of the file, e.g. `doc-1_651001`. */
  attachment: text('attachment').notNull(),
  createdAt: createdAt(),
});

/** What each daily summary reported, so the next one can say what changed. */
export const summarySnapshots = pgTable(
  'summary_snapshots',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    /** Local date of the summary. */
    date: date('date', { mode: 'string' }).notNull(),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.date] })],
);
