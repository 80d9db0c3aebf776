import type { Reach } from '../parents.js';
import type { Completion, LocalDate } from '../model.js';

/** An administrator: of one school, or of the region (every school). */
export interface Admin {
  vkId: number;
  role: 'school' | 'region';
  /** Null for a regional administrator. */
  schoolId: string | null;
}

/** A teacher as the administrator sees them: the roster fields and where they stand. */
export interface RosterTeacher {
  id: string;
  schoolId: string;
  vkId: number | null;
  /** The personal code the administrator hands out while the row has no VK id (parseClaimCode). */
  claimCode: string | null;
  fullName: string;
  classes: string[];
  active: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  unreachableAt: Date | null;
  leaveUntil: LocalDate | null;
  completions: Completion[];
}

export interface SchoolTaskRecord {
  code: SchoolTaskCode;
  evidence: SchoolTaskEvidence;
  at: Date;
  byVkId: number | null;
}

export type SchoolTaskCode = 'local_act' | 'school_link';
export type SchoolTaskEvidence = { kind: 'local_act'; number: string; date: LocalDate } | { kind: 'school_link'; note: string | null };

/** A school's settings and school-level tasks, as the admin menu shows them. */
export interface SchoolSettings {
  id: string;
  name: string;
  joinCode: string;
  deadline: LocalDate | null;
  eoInstructions: string | null;
  holidays: LocalDate[];
  tasks: SchoolTaskRecord[];
}

/** One row of the regional administrator's table: counted in SQL. */
export interface SchoolOverview {
  id: string;
  name: string;
  teachers: number;
  started: number;
  finished: number;
  /** Parents reached over the school's active teachers; null when the checklist asks no such figures. */
  parents: Reach | null;
  /** Parents joined since the school's previous summary; null without one (filled in by the service). */
  parentsDelta: number | null;
}

export interface AuditRecord {
  at: Date;
  actor: 'teacher' | 'admin' | 'import' | 'system';
  actorVkId: number | null;
  /** A pseudonym standing for the actor's VK id once that teacher's data was erased. */
  actorRef: string | null;
  teacherId: string | null;
  /** Null when the teacher's data was erased (or the entry is about the school). */
  teacherName: string | null;
  action: string;
  taskCode: string | null;
  className: string | null;
  details: Record<string, unknown> | null;
}

/** A roster line ready to apply: validated, the VK id resolved. */
export interface RosterLine {
  /** 1-based line (row) number in what the administrator sent. */
  line: number;
  fullName: string;
  vkId: number | null;
  classes: string[];
}

/** Why a roster file could not be read. */
export type RosterFileProblem = 'too_big' | 'unreadable' | 'unsupported' | 'download';
