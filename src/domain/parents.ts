import type { Checklist, Task } from './checklist/schema.js';
import type { Completion } from './model.js';

/**
 * Parents reached: how many parents joined the class chats, of how many. The figures come from
 * the checklist's report step that asks "joined ≤ total" (a count field with `atMost`): the
 * default `parents` task, or the same step in a school's own checklist under any names.
 */
export interface ReachFields {
  task: string;
  /** Asked per class: figures by class. Otherwise one figure per teacher (class unknown). */
  perClass: boolean;
  joined: string;
  total: string;
}

/** What a teacher reported for one class (or, with `className` null, for all their classes at once). */
export interface ParentsReport {
  className: string | null;
  joined: number;
  total: number;
}

export interface Reach {
  joined: number;
  total: number;
}

/** The first report step with a count field bounded by another ("joined ≤ total"); null when none. */
export function reachFields(checklist: Checklist): ReachFields | null {
  for (const task of checklist.tasks) {
    if (task.step.kind !== 'report') continue;
    const joined = task.step.fields.find((field) => field.type === 'count' && field.atMost !== undefined);
    if (joined?.type === 'count' && joined.atMost !== undefined) return { task: task.code, perClass: task.perClass, joined: joined.key, total: joined.atMost };
  }
  return null;
}

/** The task that holds the figures, for "update the counts" in the menu. */
export const reachTask = (checklist: Checklist): Task | undefined => {
  const fields = reachFields(checklist);
  return fields ? checklist.tasks.find((task) => task.code === fields.task) : undefined;
};

/**
 * A teacher's reports: one per current class for a per-class step (answers of classes the teacher
 * no longer has are left out, and so is a teacher-level answer given before the step was per
 * class: that teacher is asked again per class), or the one teacher-level report.
 */
export function parentsReports(fields: ReachFields, classes: readonly string[], completions: readonly Completion[]): ParentsReport[] {
  const reports: ParentsReport[] = [];
  for (const completion of completions) {
    if (completion.task !== fields.task || completion.status !== 'done' || completion.evidence?.kind !== 'report') continue;
    if (fields.perClass ? completion.className === null || !classes.includes(completion.className) : completion.className !== null) continue;
    const joined = completion.evidence.values[fields.joined];
    const total = completion.evidence.values[fields.total];
    if (typeof joined !== 'number' || typeof total !== 'number') continue;
    reports.push({ className: completion.className, joined, total });
  }
  const position = (report: ParentsReport) => (report.className === null ? 0 : classes.indexOf(report.className));
  return reports.sort((a, b) => position(a) - position(b));
}

/** Sums of joined and total. */
export function sumReach(reports: readonly Reach[]): Reach {
  let joined = 0;
  let total = 0;
  for (const report of reports) {
    joined += report.joined;
    total += report.total;
  }
  return { joined, total };
}

/** Whole percent of parents joined; null without any parents counted. */
export const reachPercent = (reach: Reach): number | null => (reach.total > 0 ? Math.round((reach.joined * 100) / reach.total) : null);

/** «18 из 25 (72 %)». */
export const formatReach = (reach: Reach): string => {
  const percent = reachPercent(reach);
  return `${reach.joined} из ${reach.total}${percent === null ? '' : ` (${percent} %)`}`;
};

/** «+3», «−2» or «0». */
export const formatDelta = (delta: number): string => (delta > 0 ? `+${delta}` : delta < 0 ? `−${-delta}` : '0');
