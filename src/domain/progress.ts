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
  /**
   * Poster tasks: classes whose hung poster shows links that have changed since. They count as
   * open (also listed in `openClasses`) until a photo of the new poster arrives.
   */
  outdatedClasses: string[];
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
 * "not applicable" closes the task whatever its classes. A poster answer counts only while the
 * class's links are those the poster shows: nothing stores "outdated", it is derived here.
 */
export function computeProgress(checklist: Checklist, classes: readonly string[], completions: readonly Completion[]): Progress {
  const tasks = checklist.tasks.map((task): TaskProgress => {
    const own = completions.filter((c) => c.task === task.code);
    const notApplicable = own.find((c) => c.className === null && c.status === 'not_applicable');
    if (task.perClass) {
      const source = task.step.kind === 'poster' ? task.step.links : null;
      const answers = new Map(own.filter((c) => c.status === 'done' && c.className !== null).map((c) => [c.className, c]));
      const outdatedClasses =
        source === null
          ? []
          : classes.filter((name) => {
              const answer = answers.get(name);
              return answer !== undefined && !isPosterCurrent(answer, findDone(completions, source, name));
            });
      const openClasses = classes.filter((name) => !answers.has(name) || outdatedClasses.includes(name));
      const base = { task, openClasses, outdatedClasses, classesDone: classes.length - openClasses.length, classesTotal: classes.length };
      if (notApplicable) return { ...base, openClasses: [], outdatedClasses: [], status: 'not_applicable', reason: notApplicable.reason };
      if (classes.length === 0) return { ...base, status: 'not_applicable', reason: null };
      // A poster of chats the teacher marked not applicable cannot be made: it is not applicable for the same reason.
      const sourceNotApplicable = source === null ? undefined : completions.find((c) => c.task === source && c.className === null && c.status === 'not_applicable');
      if (sourceNotApplicable) return { ...base, openClasses: [], outdatedClasses: [], status: 'not_applicable', reason: sourceNotApplicable.reason };
      return { ...base, status: openClasses.length === 0 ? 'done' : 'open', reason: null };
    }
    const base = { task, openClasses: [], outdatedClasses: [], classesDone: 0, classesTotal: 0 };
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

/** The invite links a teacher gave for one class in a links task, by chat key; null when not given. */
export function linksOf(completions: readonly Completion[], task: string, className: string): Record<string, string> | null {
  const evidence = findDone(completions, task, className)?.evidence;
  return evidence?.kind === 'links' ? evidence.links : null;
}

export function sameLinks(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

const findDone = (completions: readonly Completion[], task: string, className: string): Completion | undefined =>
  completions.find((c) => c.task === task && c.className === className && c.status === 'done');

/**
 * A poster answer is current when its links are the class's links now. An answer recorded before
 * posters carried their links (a plain photo) is judged by time: not older than the links.
 */
function isPosterCurrent(poster: Completion, links: Completion | undefined): boolean {
  if (links?.evidence?.kind !== 'links') return true;
  if (poster.evidence?.kind === 'poster') return sameLinks(poster.evidence.links, links.evidence.links);
  return poster.at.getTime() >= links.at.getTime();
}
