import type { LocalDate, Reply } from '../model.js';
import type {
  AuditRepository,
  ConversationRepository,
  OutboxRepository,
  Repositories,
  SchoolSettingsRepository,
  StandingRepository,
  SummaryRecipients,
  SummarySnapshotRepository,
} from '../ports.js';
import type { Admin, AuditRecord, RosterLine, RosterTeacher, SchoolOverview, SchoolSettings, SchoolTaskCode, SchoolTaskEvidence } from './model.js';
import type { AdminState } from './state.js';
import type { Table } from './report.js';
import type { ReachFields } from '../parents.js';

/** Ports of the admin service, named by intent. Every query takes the school it is scoped to. */

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
  get(schoolId: string): Promise<SchoolSettings | null>;
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

export interface AdminRepositories extends Repositories {
  admins: AdminRepository & SummaryRecipients;
  /** Reminders and summaries (issue 3), bound to the same transaction. */
  schoolSettings: SchoolSettingsRepository;
  standings: StandingRepository;
  snapshots: SummarySnapshotRepository;
  outbox: OutboxRepository;
  roster: RosterRepository;
  schoolAdmin: SchoolAdminRepository;
  auditLog: AuditReader;
  audit: AuditRepository;
  conversations: ConversationRepository;
}

export interface AdminUnitOfWork {
  transaction<T>(work: (repos: AdminRepositories) => Promise<T>): Promise<T>;
}

/** The summary on demand and the laggards list (src/domain/admin/reports.ts: the daily summary's model, computed now). */
export interface AdminReports {
  summary(repos: AdminRepositories, schoolId: string, now: Date): Promise<Reply[]>;
  laggards(repos: AdminRepositories, schoolId: string, now: Date): Promise<Reply[]>;
}

/** What "remind the laggards now" did: reminders queued, or why none can go out now. */
export type RemindOutcome =
  | { closed: { from: string; to: string } }
  /**
   * `neverStarted` and `unreachable` are the daily summary's two groups, by the same definition: never
   * wrote to the bot (or no VK page known), and wrote but then refused the community's messages.
   */
  | { queued: number; alreadyToday: number; resting: number; neverStarted: number; unreachable: number };

/** "Remind the laggards now": queues today's reminders through the outbox, one a day kept. */
export interface LaggardReminder {
  remindNow(repos: AdminRepositories, schoolId: string, now: Date): Promise<RemindOutcome>;
}

/** Serialises report tables (exceljs, CSV) and draws the staff-room poster (pdfkit). */
export interface ReportRenderer {
  xlsx(sheets: readonly Table[]): Promise<Uint8Array>;
  csv(table: Table): Uint8Array;
  startPoster(input: { schoolName: string; botUrl: string; joinCode: string }): Promise<Uint8Array>;
}

/** Personal links to the administrators' read-only web page (src/http/admin-link.ts). */
export interface AdminPageLinks {
  linkFor(admin: Admin, now: Date): { url: string; expiresAt: Date };
}

/** Reads a roster file (XLSX or CSV) into rows of cell texts; throws RosterFileError when it cannot. */
export interface RosterFileReader {
  read(bytes: Uint8Array, filename: string): Promise<string[][]>;
}

/** Downloads a document the messenger holds; bounded in size and time. */
export interface DocumentFetcher {
  fetch(url: string): Promise<Uint8Array>;
}

/** Resolves VK short names (`short_name` of vk.com/short_name) to user ids; unknown names are absent. */
export interface UserDirectory {
  resolve(screenNames: readonly string[]): Promise<Map<string, number>>;
}

export type RosterFileProblem = 'too_big' | 'unreadable' | 'unsupported' | 'download';

export class RosterFileError extends Error {
  override name = 'RosterFileError';
  constructor(
    readonly code: RosterFileProblem,
    options?: { cause?: unknown },
  ) {
    super(`roster file: ${code}`, options);
  }
}
