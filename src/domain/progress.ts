import type { Checklist, Task } from './checklist/schema.js';
import type { Completion } from './model.js';

export type TaskStatus = 'done' | 'not_applicable' | 'open';

export interface TaskProgress {
  task: Task;
  status: TaskStatus;
  /** Classes still to answer for a per-class task, in the teacher's order; empty otherwise. */
  openClasses: string[];
  /** Per-class tasks: how many classes are answered, of how many. */
  classesDone: number;
  classesTotal: number;
  /** Why the task is not applicable: the teacher's reason, or null when it follows from having no class. */
  reason: string | null;
}

export interface Progress {
  tasks: TaskProgress[];
  /** Tasks done or not applicable. */
  closed: number;
  total: number;
  complete: boolean;
}

/**
 * Folds a teacher's completions over the checklist. A per-class task is done when every class has
 * an answer; for a teacher without classes it is not applicable by itself. A task-level
 * "not applicable" closes the task whatever its classes.
 */
export function computeProgress(checklist: Checklist, classes: readonly string[], completions: readonly Completion[]): Progress {
  const tasks = checklist.tasks.map((task): TaskProgress => {
    const own = completions.filter((c) => c.task === task.code);
    const notApplicable = own.find((c) => c.className === null && c.status === 'not_applicable');
    if (task.perClass) {
      const answered = new Set(own.filter((c) => c.status === 'done' && c.className !== null).map((c) => c.className));
      const openClasses = classes.filter((name) => !answered.has(name));
      const base = { task, openClasses, classesDone: classes.length - openClasses.length, classesTotal: classes.length };
      if (notApplicable) return { ...base, openClasses: [], status: 'not_applicable', reason: notApplicable.reason };
      if (classes.length === 0) return { ...base, status: 'not_applicable', reason: null };
      return { ...base, status: openClasses.length === 0 ? 'done' : 'open', reason: null };
    }
    const base = { task, openClasses: [], classesDone: 0, classesTotal: 0 };
    if (notApplicable) return { ...base, status: 'not_applicable', reason: notApplicable.reason };
    const done = own.some((c) => c.className === null && c.status === 'done');
    return { ...base, status: done ? 'done' : 'open', reason: null };
  });
  const closed = tasks.filter((t) => t.status !== 'open').length;
  return { tasks, closed, total: tasks.length, complete: closed === tasks.length };
}

/** The first open task (and class) in checklist order, or null when everything is closed. */
export function nextOpenItem(progress: Progress): { task: Task; className: string | null } | null {
  const open = progress.tasks.find((t) => t.status === 'open');
  if (!open) return null;
  return { task: open.task, className: open.task.perClass ? (open.openClasses[0] ?? null) : null };
}
