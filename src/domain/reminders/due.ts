import type { Checklist, Task } from '../checklist/schema.js';
import { addDays, daysBetween, localDate, minutesOfDay } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type ReachFields, parentsReports, reachFields } from '../parents.js';
import { type Progress, nextOpenItem } from '../progress.js';
import { type TeacherStanding, progressOf } from '../standing.js';
import { type ReminderPolicy, isInWindow } from './policy.js';
import type { SchoolCalendar } from './school-calendar.js';

/**
 * Why a reminder is due:
 * - `requested`: the teacher pressed "remind me tomorrow / next week" and that day has come;
 * - `deadline_soon`: a "N days before the deadline" mark has passed since the last reminder;
 * - `overdue`: the deadline has passed (every working day);
 * - `periodic`: no deadline, and N working days have passed since the last reminder;
 * - `manual`: an administrator asked to remind the laggards now;
 * - `parents_update`: no other reminder is due, and a class's parents are not all in its chats:
 *   the figures are asked again a week after they were last given (or last asked for).
 */
export type ReminderReason = 'requested' | 'deadline_soon' | 'overdue' | 'periodic' | 'manual' | 'parents_update';

/** Days between two asks for new parents' figures. */
export const PARENTS_UPDATE_DAYS = 7;

/** Why a teacher gets no reminder today. */
export type SkipReason =
  | 'done'
  | 'erased'
  | 'no_vk_id'
  | 'not_started'
  | 'unreachable'
  | 'on_leave'
  | 'snoozed'
  | 'reminded_today'
  | 'not_due';

export interface DueReminder {
  teacher: TeacherStanding;
  reason: ReminderReason;
  progress: Progress;
  next: { task: Task; className: string | null };
}

export type ClosedReason = 'not_working_day' | 'outside_window';

export interface ReminderPlan {
  /** Local date the plan is for; part of every reminder's key. */
  date: LocalDate;
  /** Set when the school is closed at `now`: nothing is due. */
  closed: ClosedReason | null;
  due: DueReminder[];
  skipped: Partial<Record<SkipReason, number>>;
}

export interface PlanInput {
  checklist: Checklist;
  standings: readonly TeacherStanding[];
  policy: ReminderPolicy;
  calendar: SchoolCalendar;
  deadline: LocalDate | null;
  now: Date;
  timeZone: string;
  /** "Remind the laggards now": skip the cadence, keep every other rule. */
  manual?: boolean;
}

/**
 * Who of a school gets a reminder at `now`, and why the others do not. Pure: the same input
 * always gives the same plan, so a rerun the same day finds the same teachers (and the outbox
 * key `reminder:{teacher}:{date}` makes sure each gets one message).
 */
export function planReminders(input: PlanInput): ReminderPlan {
  const { checklist, standings, policy, calendar, deadline, now, timeZone } = input;
  const today = localDate(now, timeZone);
  const skipped: Partial<Record<SkipReason, number>> = {};
  const skip = (reason: SkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };

  const closed: ClosedReason | null = !calendar.isWorkingDay(today)
    ? 'not_working_day'
    : !isInWindow(policy, minutesOfDay(now, timeZone))
      ? 'outside_window'
      : null;
  if (closed) return { date: today, closed, due: [], skipped };

  const fields = reachFields(checklist);
  const reach = fields ? checklist.tasks.find((task) => task.code === fields.task) : undefined;
  const due: DueReminder[] = [];
  for (const teacher of standings) {
    const progress = progressOf(checklist, teacher);
    const next = nextOpenItem(progress);
    // Until every class's parents are in its chats, a teacher with nothing else open is not "done".
    const lagging = fields && reach && !input.manual ? laggingClass(fields, teacher) : undefined;
    const blocked = eligibility(teacher, next ?? (lagging === undefined ? null : { task: reach!, className: lagging }), now, today);
    if (blocked) {
      skip(blocked);
      continue;
    }
    const reason = next === null ? null : input.manual ? 'manual' : dueReason(teacher, { policy, calendar, deadline, now, today, timeZone });
    if (reason) due.push({ teacher, reason, progress, next: next! });
    else if (lagging !== undefined && parentsUpdateDue(fields!, teacher, today, timeZone)) due.push({ teacher, reason: 'parents_update', progress, next: { task: reach!, className: lagging } });
    else skip('not_due');
  }
  return { date: today, closed: null, due, skipped };
}

/** The first rule that keeps a teacher from any reminder today, or null. */
function eligibility(teacher: TeacherStanding, next: ReturnType<typeof nextOpenItem>, now: Date, today: LocalDate): SkipReason | null {
  if (next === null) return 'done';
  if (teacher.erased) return 'erased';
  if (teacher.vkId === null) return 'no_vk_id';
  // A community cannot write first: only those who wrote to the bot can be reminded.
  if (teacher.startedAt === null) return 'not_started';
  if (teacher.unreachableAt !== null) return 'unreachable';
  if (teacher.leaveUntil !== null && today <= teacher.leaveUntil) return 'on_leave';
  if (teacher.snoozedUntil !== null && now < teacher.snoozedUntil) return 'snoozed';
  if (teacher.lastReminderOn !== null && teacher.lastReminderOn >= today) return 'reminded_today';
  return null;
}

function dueReason(
  teacher: TeacherStanding,
  ctx: { policy: ReminderPolicy; calendar: SchoolCalendar; deadline: LocalDate | null; now: Date; today: LocalDate; timeZone: string },
): ReminderReason | null {
  const { policy, calendar, deadline, today, timeZone } = ctx;
  const last = teacher.lastReminderOn;
  const notSince = (mark: LocalDate) => last === null || last < mark;

  // "Remind me tomorrow / next week": the teacher asked for this day.
  if (teacher.snoozedUntil !== null && notSince(localDate(teacher.snoozedUntil, timeZone))) return 'requested';

  if (deadline !== null) {
    if (today > deadline) return 'overdue';
    // The latest "N days before" mark already reached; a mark on a day off is caught up on the next working day.
    const marks = policy.daysBeforeDeadline.map((days) => addDays(deadline, -days)).filter((mark) => mark <= today);
    const latest = marks.sort().at(-1);
    return latest !== undefined && notSince(latest) ? 'deadline_soon' : null;
  }

  if (last === null) return 'periodic';
  return calendar.workingDaysAfter(last, today, policy.everyWorkingDays) >= policy.everyWorkingDays ? 'periodic' : null;
}

/** The first class (null: the teacher-level figure) whose parents are not all in its chats; undefined when none. */
function laggingClass(fields: ReachFields, teacher: TeacherStanding): string | null | undefined {
  return parentsReports(fields, teacher.classes, teacher.completions).find((report) => report.joined < report.total)?.className;
}

/** A week since the figures were last given and since the last reminder of any kind. */
function parentsUpdateDue(fields: ReachFields, teacher: TeacherStanding, today: LocalDate, timeZone: string): boolean {
  const reported = teacher.completions.filter((c) => c.task === fields.task && c.status === 'done').map((c) => localDate(c.at, timeZone));
  const last = [...reported, ...(teacher.lastReminderOn ? [teacher.lastReminderOn] : [])].sort().at(-1);
  return last === undefined || daysBetween(last, today) >= PARENTS_UPDATE_DAYS;
}

/** Days left to the deadline (negative once it has passed), or null without one. */
export const daysToDeadline = (deadline: LocalDate | null, today: LocalDate): number | null =>
  deadline === null ? null : daysBetween(today, deadline);
