import type { Checklist } from './checklist/schema.js';
import type { Completion, LocalDate } from './model.js';
import { type ParentsReport, parentsReports, reachFields } from './parents.js';
import { type Progress, type TaskStatus, computeProgress } from './progress.js';

/**
 * Where one active teacher of a school stands: what reminders and the daily summary need,
 * loaded for a whole school at once (one query per school, not per teacher).
 */
export interface TeacherStanding {
  id: string;
  vkId: number | null;
  fullName: string;
  classes: string[];
  /** When the teacher was added (roster import or registration). */
  addedAt: Date;
  /** First message to the bot; null → the bot cannot write to them. */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** VK refused delivery (901); cleared when the teacher writes again. */
  unreachableAt: Date | null;
  snoozedUntil: Date | null;
  /** On leave through this local date, inclusive. */
  leaveUntil: LocalDate | null;
  /** Personal data erased: counted, never named or messaged. */
  erased: boolean;
  /** Answers without their evidence. */
  completions: Completion[];
  /** Local date of the latest reminder queued for the teacher, whatever became of it. */
  lastReminderOn: LocalDate | null;
}

/** The teacher's progress over the checklist, as the conversation computes it. */
export const progressOf = (checklist: Checklist, standing: TeacherStanding): Progress =>
  computeProgress(checklist, standing.classes, standing.completions);

/**
 * What the daily summary needs of a teacher: the standing without classes and answers, and the
 * status of every checklist task in checklist order. The summary job gets these computed in SQL
 * (StandingRepository.tallySchools), so it never holds a school's answers; `tallyOf` derives the
 * same from a loaded standing.
 */
export interface TeacherTally
  extends Pick<TeacherStanding, 'id' | 'vkId' | 'fullName' | 'addedAt' | 'startedAt' | 'finishedAt' | 'unreachableAt' | 'leaveUntil' | 'erased'> {
  statuses: TaskStatus[];
  /** Parents reached, as the teacher last reported them (see `parentsReports`). */
  parents: ParentsReport[];
}

/** A loaded standing's tally; its parents' figures need the answers' evidence (loadSchool leaves it out). */
export function tallyOf(checklist: Checklist, standing: TeacherStanding): TeacherTally {
  const { id, vkId, fullName, addedAt, startedAt, finishedAt, unreachableAt, leaveUntil, erased } = standing;
  const statuses = progressOf(checklist, standing).tasks.map((task) => task.status);
  const fields = reachFields(checklist);
  const parents = fields ? parentsReports(fields, standing.classes, standing.completions) : [];
  return { id, vkId, fullName, addedAt, startedAt, finishedAt, unreachableAt, leaveUntil, erased, statuses, parents };
}
