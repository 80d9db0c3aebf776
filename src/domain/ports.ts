import type { LinkOwner } from './conversation/machine.js';
import type { ConversationState } from './conversation/state.js';
import type { Completion, Evidence, LocalDate, OutgoingFile, PosterRequest, Reply, School, Teacher } from './model.js';
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

export interface Repositories {
  events: EventRepository;
  conversations: ConversationRepository;
  schools: SchoolRepository;
  teachers: TeacherRepository;
  completions: CompletionRepository;
  audit: AuditRepository;
}

/** Runs work in one database transaction with repositories bound to it. */
export interface UnitOfWork {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
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

/** Turns a poster request into files: the PDF first, then a PNG of each QR code when previews are asked. */
export interface PosterRenderer {
  render(request: PosterRequest): Promise<OutgoingFile[]>;
}
