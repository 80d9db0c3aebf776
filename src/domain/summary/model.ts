import { z } from 'zod';
import type { Checklist } from '../checklist/schema.js';
import { daysBetween, localDate } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type Reach, type ReachFields, reachFields, sumReach } from '../parents.js';
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
  /** Parents reached; `classes` by `${teacherId}:${className}` (class '' for a teacher-level figure) → joined. */
  parents?: Reach & { classes: Record<string, number> };
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

/** One class's figures (class null: a teacher-level figure, the class not known). */
export interface ClassReach extends Reach {
  className: string | null;
  /** Joined since the previous summary; null when it had no figure for the class. */
  delta: number | null;
}

export interface TeacherReach extends Person, Reach {
  classes: ClassReach[];
  /** Joined since the previous summary, over the classes it had figures for; null when none. */
  delta: number | null;
}

/** Parents who joined the class chats, of how many: the school, each teacher, each class. */
export interface ParentsReached extends Reach {
  /** Teachers with figures, the lowest share first. */
  teachers: TeacherReach[];
  /** Teachers who owe figures (the task is open for them: none given, or not for every class). */
  owing: number;
  /** Change of the school's figures since the previous summary; null when it had none. */
  delta: Reach | null;
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
  /** Null when the checklist asks for no "joined of total" figures. */
  parents: ParentsReached | null;
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

  const fields = reachFields(checklist);
  const parents = fields ? parentsReached(fields, checklist, teachers, previous?.data.parents ?? null, personOf) : null;
  const snapshot: SummarySnapshot = {
    at: now.toISOString(),
    teachers: teachers.length,
    started,
    finished,
    tasks: Object.fromEntries(tasks.map((task) => [task.code, task.done])),
    ...(parents ? { parents: { joined: parents.joined, total: parents.total, classes: classFigures(parents) } } : {}),
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
    parents,
    snapshot,
  };
}

const classKey = (teacherId: string, className: string | null): string => `${teacherId}:${className ?? ''}`;

function classFigures(parents: ParentsReached): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const teacher of parents.teachers) for (const c of teacher.classes) figures[classKey(teacher.teacherId, c.className)] = c.joined;
  return figures;
}

/**
 * The school's parents reached, by teacher and class, compared with the previous summary's figures.
 * An erased teacher's figures are left out: their class passes to whoever takes it, who reports its
 * parents again (the database forgets them anyway: erasing clears the answers' evidence).
 */
function parentsReached(
  fields: ReachFields,
  checklist: Checklist,
  teachers: readonly TeacherTally[],
  previous: SummarySnapshot['parents'] | null,
  personOf: (teacher: TeacherTally) => Person,
): ParentsReached {
  const index = checklist.tasks.findIndex((task) => task.code === fields.task);
  const lines: TeacherReach[] = [];
  let owing = 0;
  for (const teacher of teachers) {
    if (teacher.erased) continue;
    if (teacher.statuses[index] === 'open') owing += 1;
    if (teacher.parents.length === 0) continue;
    const classes = teacher.parents.map((report): ClassReach => {
      const before = previous?.classes[classKey(teacher.id, report.className)];
      return { className: report.className, joined: report.joined, total: report.total, delta: before === undefined ? null : report.joined - before };
    });
    const known = classes.filter((c) => c.delta !== null);
    const delta = known.length === 0 ? null : known.reduce((sum, c) => sum + c.delta!, 0);
    lines.push({ ...personOf(teacher), ...sumReach(classes), classes, delta });
  }
  const share = (reach: Reach) => (reach.total === 0 ? 1 : reach.joined / reach.total);
  lines.sort((a, b) => share(a) - share(b) || russianOrder.compare(a.name, b.name));
  const school = sumReach(lines);
  return { ...school, teachers: lines, owing, delta: previous ? { joined: school.joined - previous.joined, total: school.total - previous.total } : null };
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
  parents: z.object({ joined: z.number(), total: z.number(), classes: z.record(z.string(), z.number()) }).optional(),
});

/** A stored snapshot, or null when it does not fit (written by another version): then nothing is compared. */
export function parseSnapshot(raw: unknown): SummarySnapshot | null {
  const parsed = snapshotSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
