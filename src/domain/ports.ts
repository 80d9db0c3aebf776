import type { Admin, AuditRecord, RosterLine, RosterTeacher, SchoolOverview, SchoolSettings as SchoolAdminSettings, SchoolTaskCode, SchoolTaskEvidence } from './admin/model.js';
import type { AdminState } from './admin/state.js';
import type { ReachFields } from './parents.js';
import type { ConversationState } from './conversation/state.js';
import type { Completion, Evidence, LinkOwner, LocalDate, OutgoingFile, PosterRequest, Reply, School, Teacher } from './model.js';
import type { Checklist } from './checklist/schema.js';
import type { TeacherStanding, TeacherTally } from './standing.js';
import type { SummarySnapshot } from './summary/model.js';

/** Ports the domain needs from storage and the outside world, named by intent. */

export interface Clock {
  now(): Date;
}

export interface EventRepository {
  /** Records an update id; false when it was recorded before (a duplicate delivery). */
  claim(eventId: string): Promise<boolean>;
  /** Whether an update id was recorded (a read; `claim` is what decides, inside the update's transaction). */
  seen(eventId: string): Promise<boolean>;
  /** Forgets update ids recorded more than `days` ago (VK redelivers within minutes); returns how many. */
  prune(days: number): Promise<number>;
}

/** A conversation with what the state machine needs to know about its sender. */
export interface OpenConversation {
  state: ConversationState;
  /** The sender's active teacher record with classes; null for someone not registered. */
  teacher: Teacher | null;
  /** The teacher's school; null without a teacher. */
  school: School | null;
  /** The teacher's answers; empty without a teacher. */
  completions: Completion[];
}

export interface ConversationRepository {
  /**
   * The sender wrote at `at`: locks the conversation until the transaction ends (creating it when
   * new), loads it with the sender's teacher, classes, school and answers as they were, and marks
   * that teacher seen (reachable, and started if they never had). One round trip.
   */
  open(vkId: number, at: Date): Promise<OpenConversation>;
  save(vkId: number, schoolId: string | null, state: ConversationState): Promise<void>;
}

export interface SchoolRepository {
  /** Case-insensitive, surrounding spaces ignored. */
  findByJoinCode(code: string): Promise<School | null>;
}

export interface NewTeacher {
  schoolId: string;
  vkId: number | null;
  fullName: string;
  classes: string[];
  startedAt: Date | null;
}

export interface TeacherRepository {
  /** Active teachers only. */
  findByVkId(vkId: number): Promise<Teacher | null>;
  /** Always a new row (self-registration with the school's join code). */
  create(teacher: NewTeacher): Promise<Teacher>;
  /** The unclaimed roster row (no VK id, active, not erased) this normalised personal code opens. */
  findByClaimCode(code: string): Promise<Teacher | null>;
  /** Whether the school has an unclaimed roster row with this name (case-insensitive). */
  unclaimedNameExists(schoolId: string, fullName: string): Promise<boolean>;
  /** Links the roster row to the VK user and uses up its code; throws when the row was claimed meanwhile. */
  claim(id: string, vkId: number, at: Date): Promise<Teacher>;
  markFinished(id: string, at: Date): Promise<void>;
  /** VK refused delivery (error 901): the teacher has not allowed messages from the community. */
  markUnreachable(vkId: number, at: Date): Promise<void>;
  /** No reminders before `until`; one is due once it has come. */
  snooze(id: string, until: Date): Promise<void>;
  /** On leave through local date `until`, inclusive. */
  setLeave(id: string, until: LocalDate): Promise<void>;
}

export interface CompletionRepository {
  /** Replaces the answer for (task, class); a done answer lifts a task-level not-applicable mark. */
  recordDone(teacher: Teacher, task: string, className: string | null, evidence: Evidence, at: Date): Promise<void>;
  recordNotApplicable(teacher: Teacher, task: string, reason: string, at: Date): Promise<void>;
  /** Which of `links` active teachers of the school already gave in a links task, for which class. */
  linkOwners(schoolId: string, links: readonly string[]): Promise<LinkOwner[]>;
}

export type AuditActor = 'teacher' | 'admin' | 'import' | 'system';

export interface AuditEntry {
  schoolId: string;
  teacherId: string | null;
  actor: AuditActor;
  actorVkId: number | null;
  /**
   * Store a pseudonym of `actorVkId` instead of the id: the entry that records a teacher's own
   * erasure keeps who did it without keeping the erased person's VK id.
   */
  pseudonymous?: boolean;
  action: string;
  taskCode?: string | null;
  className?: string | null;
  details?: Record<string, unknown> | null;
  at: Date;
}

export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
}


/** `retryable`: a transient failure (rate limit, server error, network) that may pass later. */
export type Delivery =
  /** `uploaded`: the ids the messenger gave the reply's files, in order, when it had files and they went with it. */
  | { status: 'sent'; uploaded?: string[] }
  | { status: 'unreachable' }
  | { status: 'failed'; error: string; retryable: boolean };

/** Sends a message to a person; never throws for delivery problems, it reports them. */
export interface Notifier {
  /**
   * `dedupKey` identifies the message: sending the same key twice must not deliver twice.
   * `randomId`, when the caller stored one (the outbox), is used for that instead of one derived from the key.
   */
  send(vkId: number, reply: Reply, dedupKey: string, options?: { randomId?: number }): Promise<Delivery>;
}

// ---------------------------------------------------------------------------------------------
// Reminders, summaries and the outbox.

/** What the reminder and summary jobs need to know about a school. */
export interface SchoolSettings {
  id: string;
  name: string;
  deadline: LocalDate | null;
  /** Overrides of the reminder policy as stored (validated by the domain); null → defaults. */
  reminderPolicy: unknown;
  /** Extra non-working dates the school set. */
  daysOff: LocalDate[];
}

export interface SchoolSettingsRepository {
  list(): Promise<SchoolSettings[]>;
  find(schoolId: string): Promise<SchoolSettings | null>;
}

export interface StandingRepository {
  /** Every active teacher of the school with classes, answers and last reminder, in one round trip. */
  loadSchool(schoolId: string): Promise<TeacherStanding[]>;
  /**
   * Every active teacher of these schools with each checklist task's status, computed in the
   * database (no answers leave it), one round trip per thousand schools; by school id, each in
   * loadSchool's order; schools without active teachers are absent.
   */
  tallySchools(schoolIds: readonly string[], checklist: Checklist): Promise<Map<string, TeacherTally[]>>;
}

/** Who gets a school's daily summary. */
export interface SummaryRecipients {
  /** VK ids of each school's own administrators (regional ones are not included), oldest first; schools without any are absent. */
  listForSchools(schoolIds: readonly string[]): Promise<Map<string, number[]>>;
}

export interface SummarySnapshotRepository {
  /** Each school's latest snapshot dated before `date`, by school id; absent when none (or it does not parse). */
  latestBefore(schoolIds: readonly string[], date: LocalDate): Promise<Map<string, { date: LocalDate; data: SummarySnapshot }>>;
  /** Every stored snapshot of a school, oldest first: the trend since the order's start (one row a working day). */
  history(schoolId: string): Promise<{ date: LocalDate; data: SummarySnapshot }[]>;
  /** Stores each school's snapshot of `date`, keeping the first of the day: a rerun does not move the baseline. */
  saveAll(date: LocalDate, snapshots: readonly { schoolId: string; data: SummarySnapshot }[]): Promise<void>;
}

/**
 * What a message is. It decides the order senders take them in: replies' text first, then files
 * (posters, exports), then reminders and summaries.
 */
export type OutboxKind = 'reply' | 'file' | 'reminder' | 'summary' | 'notice';

/** A message the bot sends, written to the outbox (in the transaction that decides it) before anything is sent. */
export interface OutboxMessage {
  /** Null for a reply to someone of no school yet (a stranger asked for the join code). */
  schoolId: string | null;
  /** Unique per message, e.g. `reminder:{teacherId}:{date}`: queuing it again does nothing. */
  key: string;
  kind: OutboxKind;
  recipientVkId: number;
  teacherId: string | null;
  /** Sent in order; more than one when a text exceeds VK's length limit. */
  parts: Reply[];
}

export interface OutboxRepository {
  /** Queues the messages whose keys are new; returns those keys. */
  enqueue(messages: readonly OutboxMessage[]): Promise<string[]>;
}

/** A queued message claimed by a sender, who holds it until `leaseUntil`. */
export interface ClaimedMessage {
  id: number;
  key: string;
  kind: OutboxKind;
  recipientVkId: number;
  teacherId: string | null;
  parts: Reply[];
  /** Stored with the row: a resend after a crash carries the same id, and VK drops it. */
  randomId: number;
  /** Including this claim. */
  attempts: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'unreachable';

/**
 * The sending side of the outbox table. Every instant it compares (leases, back-off) is the
 * database's own `now()`: instances on several machines share one clock, whatever their own skew.
 */
export interface OutboxQueue {
  /**
   * Takes up to `limit` pending messages that are due and not held by a live sender, with
   * FOR UPDATE SKIP LOCKED (concurrent senders never take the same row) and a lease
   * (a crashed sender's rows are taken over once it expires); by priority, then oldest first.
   * A message waits while an earlier one to the same person of the same or a higher priority is
   * unsent, so one person's messages arrive in order (a text reply may overtake a file).
   * `keys`: only these messages (the replies an update just queued). `replyGraceMs`: not the
   * replies and files queued less than that ago and never tried: their update is sending them.
   */
  claim(options: { limit: number; leaseMs: number; keys?: readonly string[]; replyGraceMs?: number }): Promise<ClaimedMessage[]>;
  /** Replies and files are deleted then; other messages are kept, without their files, as `sent`. */
  markSent(ids: readonly number[]): Promise<void>;
  /** 901: the person has not allowed messages from the community; not retried. */
  markUnreachable(id: number, error: string): Promise<void>;
  /** A transient failure: back to pending, claimable again after `delayMs`. */
  markRetry(id: number, error: string, delayMs: number): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /**
   * Deletes messages that were settled (sent, unreachable, failed) more than `days` ago; pending
   * ones are kept whatever their age. Returns how many. Keep more days than any reminder cadence:
   * a teacher's last reminder is read from these rows.
   */
  prune(days: number): Promise<number>;
  /** Messages per status (for operators and tests). */
  counts(): Promise<Record<OutboxStatus, number>>;
}

/** Files already uploaded to the messenger, by a hash of what they were made from and whom they went to. */
export interface UploadedFiles {
  /** The attachments stored under `hash`, or null. */
  find(hash: string): Promise<string[] | null>;
  remember(hash: string, attachments: readonly string[]): Promise<void>;
}

/** Turns a poster request into files: the PDF first, then a PNG of each QR code when previews are asked. */
export interface PosterRenderer {
  render(request: PosterRequest): Promise<OutgoingFile[]>;
}

/** The administrators' storage. Every query takes the school it is scoped to. */

export interface AdminRepository {
  /** Without a lock: to decide, before the transaction, whether a file is worth downloading. */
  find(vkId: number): Promise<{ admin: Admin; state: AdminState } | null>;
  /** Loads and locks the administrator's row until the transaction ends; null for anyone else. */
  lock(vkId: number): Promise<{ admin: Admin; state: AdminState } | null>;
  saveState(vkId: number, state: AdminState): Promise<void>;
}

export interface RosterRepository {
  /** The school's teachers that are not erased (active or not), with classes and completions, by name. */
  list(schoolId: string): Promise<RosterTeacher[]>;
  /** One teacher, only if they belong to this school and are not erased. */
  find(schoolId: string, teacherId: string): Promise<RosterTeacher | null>;
  /** VK ids among `vkIds` already used by a teacher of another school. */
  vkIdsElsewhere(schoolId: string, vkIds: readonly number[]): Promise<Set<number>>;
  insert(schoolId: string, line: RosterLine): Promise<string>;
  /** Sets name, VK id and classes (replacing them) and makes the teacher active. */
  update(teacherId: string, line: RosterLine): Promise<void>;
  setActive(teacherId: string, active: boolean): Promise<void>;
  setLeave(teacherId: string, until: LocalDate | null): Promise<void>;
  /**
   * Erases a teacher's personal data: name, VK id, classes, evidence and reasons, their
   * conversation, personal details in their audit entries. Completion rows stay as anonymous counts.
   */
  erase(teacherId: string, at: Date): Promise<{ completionsKept: number; vkId: number | null }>;
}

export interface SchoolAdminRepository {
  get(schoolId: string): Promise<SchoolAdminSettings | null>;
  /** The regional table: every school with counts done in SQL (parents reached from `reach`; no deltas). */
  overview(reach: ReachFields | null): Promise<SchoolOverview[]>;
  setDeadline(schoolId: string, date: LocalDate | null): Promise<void>;
  setEoInstructions(schoolId: string, text: string | null): Promise<void>;
  setHolidays(schoolId: string, dates: readonly LocalDate[]): Promise<void>;
  /** False when the code is taken by another school (the caller tries another). */
  rotateJoinCode(schoolId: string, code: string, at: Date): Promise<boolean>;
  recordTask(schoolId: string, code: SchoolTaskCode, evidence: SchoolTaskEvidence, at: Date, byVkId: number): Promise<void>;
}

export interface AuditReader {
  forTeacher(schoolId: string, teacherId: string, limit: number): Promise<AuditRecord[]>;
  forSchool(schoolId: string): Promise<AuditRecord[]>;
}

/** Every repository, bound to one database or to one transaction: what services and jobs are given. */
export interface Repositories {
  events: EventRepository;
  conversations: ConversationRepository;
  schools: SchoolRepository;
  teachers: TeacherRepository;
  completions: CompletionRepository;
  audit: AuditRepository;
  admins: AdminRepository & SummaryRecipients;
  schoolSettings: SchoolSettingsRepository;
  standings: StandingRepository;
  snapshots: SummarySnapshotRepository;
  outbox: OutboxRepository;
  roster: RosterRepository;
  schoolAdmin: SchoolAdminRepository;
  auditLog: AuditReader;
}

/** Runs work in one database transaction with repositories bound to it. */
export interface UnitOfWork {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}
