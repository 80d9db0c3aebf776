import { z } from 'zod';
import type { Checklist } from '../checklist/schema.js';
import { daysBetween, localDate } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type TeacherStanding, type TeacherTally, tallyOf } from '../standing.js';
import { shortName } from '../validation/full-name.js';
import { summaryTexts } from './texts.js';

/** What a daily summary reported, stored so that the next one can say what changed. */
export interface SummarySnapshot {
  /** When it was taken (ISO instant): teachers who finished after it are "new since then". */
  at: string;
  teachers: number;
  started: number;
  finished: number;
  /** Task code → teachers who have it done. */
  tasks: Record<string, number>;
}

export interface TaskLine {
  /** Position in the checklist, 1-based: laggards' lines refer to tasks by it. */
  number: number;
  code: string;
  title: string;
  done: number;
  /** Teachers the task applies to (all minus "not applicable"). */
  applicable: number;
  notApplicable: number;
}

export interface Person {
  teacherId: string;
  /** «Иванова М. П.», or a placeholder once personal data is erased. */
  name: string;
}

export interface Laggard extends Person {
  /** Numbers of the open tasks (see TaskLine.number). */
  missing: number[];
  /** Days since the deadline (or since the teacher was added, if later); 0 before the deadline. */
  daysOverdue: number;
  leaveUntil: LocalDate | null;
}

export interface SummaryChanges {
  since: LocalDate;
  teachers: number;
  started: number;
  finished: number;
  /** Tasks whose done count changed. */
  tasks: { number: number; title: string; delta: number }[];
  newlyFinished: Person[];
}

export interface SummaryModel {
  schoolId: string;
  schoolName: string;
  date: LocalDate;
  deadline: LocalDate | null;
  /** Negative once the deadline has passed; null without one. */
  daysToDeadline: number | null;
  teachers: number;
  started: number;
  finished: number;
  tasks: TaskLine[];
  /** Started, reachable and not done: longest overdue first, then most tasks missing. */
  laggards: Laggard[];
  /** Not done and VK refuses to deliver (901): they have to allow messages from the community. */
  unreachable: Person[];
  /** Never wrote to the bot, so it cannot write to them (or no VK id is known). */
  neverStarted: Person[];
  /** Null for the school's first summary. */
  changes: SummaryChanges | null;
  /** What to store for tomorrow's comparison. */
  snapshot: SummarySnapshot;
}

export interface SummaryInput {
  school: { id: string; name: string };
  checklist: Checklist;
  standings: readonly TeacherStanding[];
  deadline: LocalDate | null;
  now: Date;
  timeZone: string;
  /** The latest summary before today's, if any. */
  previous: { date: LocalDate; data: SummarySnapshot } | null;
}

/** The same, from tallies: each teacher's task statuses already computed (the database does it for the jobs). */
export interface TallySummaryInput extends Omit<SummaryInput, 'standings'> {
  teachers: readonly TeacherTally[];
}

export const ERASED_NAME = summaryTexts.erasedTeacher;

/** One collator for every comparison: `localeCompare(…, 'ru')` builds one per call. */
const russianOrder = new Intl.Collator('ru');

/**
 * The administrator's summary of a school, computed from every active teacher's standing.
 * Each teacher falls in exactly one group: done, never started, unreachable or lagging.
 */
export function buildSummary(input: SummaryInput): SummaryModel {
  const { standings, ...rest } = input;
  return summarizeTallies({ ...rest, teachers: standings.map((standing) => tallyOf(input.checklist, standing)) });
}

/** `buildSummary` over tallies: what it computes once each teacher's task statuses are known. */
export function summarizeTallies(input: TallySummaryInput): SummaryModel {
  const { checklist, teachers, deadline, now, timeZone, previous } = input;
  const today = localDate(now, timeZone);
  const previousAt = previous ? new Date(previous.data.at) : null;
  const tasks: TaskLine[] = checklist.tasks.map((task, index) => ({ number: index + 1, code: task.code, title: task.title, done: 0, applicable: 0, notApplicable: 0 }));
  const laggards: Laggard[] = [];
  const unreachable: Person[] = [];
  const neverStarted: Person[] = [];
  const newlyFinished: Person[] = [];
  let started = 0;
  let finished = 0;

  const personOf = (teacher: TeacherTally): Person => ({ teacherId: teacher.id, name: teacher.erased ? ERASED_NAME : shortName(teacher.fullName) });
  for (const teacher of teachers) {
    // Plain loops, and names only for those listed: this runs once per teacher of a region.
    const missing: number[] = [];
    for (let index = 0; index < teacher.statuses.length; index += 1) {
      const status = teacher.statuses[index];
      const line = tasks[index]!;
      if (status === 'not_applicable') line.notApplicable += 1;
      else line.applicable += 1;
      if (status === 'done') line.done += 1;
      else if (status === 'open') missing.push(index + 1);
    }
    if (teacher.startedAt !== null) started += 1;
    if (missing.length === 0) {
      finished += 1;
      if (previousAt && teacher.finishedAt !== null && teacher.finishedAt > previousAt) newlyFinished.push(personOf(teacher));
    } else if (teacher.startedAt === null || teacher.vkId === null) {
      neverStarted.push(personOf(teacher));
    } else if (teacher.unreachableAt !== null) {
      unreachable.push(personOf(teacher));
    } else {
      const { teacherId, name } = personOf(teacher);
      laggards.push({ teacherId, name, missing, daysOverdue: overdueDays(deadline, teacher.addedAt, timeZone, today), leaveUntil: teacher.leaveUntil });
    }
  }

  const byName = (a: Person, b: Person) => russianOrder.compare(a.name, b.name);
  laggards.sort((a, b) => b.daysOverdue - a.daysOverdue || b.missing.length - a.missing.length || byName(a, b));
  unreachable.sort(byName);
  neverStarted.sort(byName);
  newlyFinished.sort(byName);

  const snapshot: SummarySnapshot = {
    at: now.toISOString(),
    teachers: teachers.length,
    started,
    finished,
    tasks: Object.fromEntries(tasks.map((task) => [task.code, task.done])),
  };
  return {
    schoolId: input.school.id,
    schoolName: input.school.name,
    date: today,
    deadline,
    daysToDeadline: deadline === null ? null : daysBetween(today, deadline),
    teachers: teachers.length,
    started,
    finished,
    tasks,
    laggards,
    unreachable,
    neverStarted,
    changes: previous ? compare(previous, snapshot, tasks, newlyFinished) : null,
    snapshot,
  };
}

/** Overdue days count from the deadline, or from the day the teacher was added if that came later. */
function overdueDays(deadline: LocalDate | null, addedAt: Date, timeZone: string, today: LocalDate): number {
  if (deadline === null || today <= deadline) return 0;
  const addedOn = localDate(addedAt, timeZone);
  return Math.max(0, daysBetween(addedOn > deadline ? addedOn : deadline, today));
}

function compare(previous: { date: LocalDate; data: SummarySnapshot }, current: SummarySnapshot, tasks: TaskLine[], newlyFinished: Person[]): SummaryChanges {
  const before = previous.data;
  return {
    since: previous.date,
    teachers: current.teachers - before.teachers,
    started: current.started - before.started,
    finished: current.finished - before.finished,
    tasks: tasks
      .map((task) => ({ number: task.number, title: task.title, delta: task.done - (before.tasks[task.code] ?? 0) }))
      .filter((task) => task.delta !== 0),
    newlyFinished,
  };
}

const snapshotSchema = z.object({
  at: z.string(),
  teachers: z.number(),
  started: z.number(),
  finished: z.number(),
  tasks: z.record(z.string(), z.number()),
});

/** A stored snapshot, or null when it does not fit (written by another version): then nothing is compared. */
export function parseSnapshot(raw: unknown): SummarySnapshot | null {
  const parsed = snapshotSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
