import type { Checklist } from '../checklist/schema.js';
import type { LocalDate } from '../model.js';
import { computeProgress } from '../progress.js';
import type { SummaryModel, SummarySnapshot } from '../summary/model.js';
import type { RosterTeacher } from './model.js';

/** Where a teacher stands, as the page's filters group them (the summary's groups, plus done). */
export type TeacherGroup = 'done' | 'lagging' | 'unreachable' | 'not_started';
export type PageFilter = 'all' | Exclude<TeacherGroup, 'done'>;
export const pageFilters: readonly PageFilter[] = ['all', 'lagging', 'unreachable', 'not_started'];

export interface PageTeacher {
  id: string;
  fullName: string;
  classes: string[];
  group: TeacherGroup;
  /** Tasks done (or not applicable) of all tasks. */
  closed: number;
  total: number;
  /** Numbers of the open tasks, as the summary numbers them. */
  missing: number[];
  daysOverdue: number;
}

export interface PageClass {
  className: string;
  teacher: string;
  group: TeacherGroup;
  /** Per-class tasks in checklist order: done for this class, or not. */
  tasks: boolean[];
}

export interface TrendPoint {
  date: LocalDate;
  teachers: number;
  started: number;
  finished: number;
}

/** The administrators' page of one school: the summary's figures, and every teacher and class behind them. */
export interface AdminPageModel {
  summary: SummaryModel;
  filter: PageFilter;
  /** Teachers in each filter, before filtering. */
  counts: Record<PageFilter, number>;
  teachers: PageTeacher[];
  /** Titles of the checklist's per-class tasks: the class table's columns. */
  classTasks: { number: number; title: string }[];
  classes: PageClass[];
  /** One point per stored daily summary, oldest first, then today's figures. */
  trend: TrendPoint[];
}

/**
 * The page's model from the same summary the chat shows (so the page's totals and the summary's
 * agree), the school's roster (for classes and per-class tasks) and the stored daily snapshots.
 * Teachers the summary does not count (deactivated) are left out.
 */
export function buildAdminPage(input: {
  checklist: Checklist;
  summary: SummaryModel;
  roster: readonly RosterTeacher[];
  history: readonly { date: LocalDate; data: SummarySnapshot }[];
  filter: PageFilter;
}): AdminPageModel {
  const { checklist, summary, roster, filter } = input;
  const groups = new Map<string, { group: TeacherGroup; daysOverdue: number }>();
  for (const laggard of summary.laggards) groups.set(laggard.teacherId, { group: 'lagging', daysOverdue: laggard.daysOverdue });
  for (const person of summary.unreachable) groups.set(person.teacherId, { group: 'unreachable', daysOverdue: 0 });
  for (const person of summary.neverStarted) groups.set(person.teacherId, { group: 'not_started', daysOverdue: 0 });

  const perClass = checklist.tasks.flatMap((task, index) => (task.perClass ? [{ index, number: index + 1, title: task.title }] : []));
  const counted = summary.snapshot.teachers;
  const everyone: PageTeacher[] = [];
  const classes: PageClass[] = [];
  const order = new Intl.Collator('ru');
  for (const teacher of roster) {
    if (!teacher.active) continue;
    const { group, daysOverdue } = groups.get(teacher.id) ?? { group: 'done' as const, daysOverdue: 0 };
    const progress = computeProgress(checklist, teacher.classes, teacher.completions);
    everyone.push({
      id: teacher.id,
      fullName: teacher.fullName,
      classes: teacher.classes,
      group,
      closed: progress.closed,
      total: progress.total,
      missing: progress.tasks.flatMap((task, index) => (task.status === 'open' ? [index + 1] : [])),
      daysOverdue,
    });
    for (const className of teacher.classes) {
      const tasks = perClass.map(({ index }) => {
        const task = progress.tasks[index]!;
        return task.status !== 'open' || !task.openClasses.includes(className);
      });
      classes.push({ className, teacher: teacher.fullName, group, tasks });
    }
  }
  const rank: Record<TeacherGroup, number> = { lagging: 0, unreachable: 1, not_started: 2, done: 3 };
  everyone.sort((a, b) => rank[a.group] - rank[b.group] || b.daysOverdue - a.daysOverdue || order.compare(a.fullName, b.fullName));
  classes.sort((a, b) => compareClasses(a.className, b.className) || order.compare(a.teacher, b.teacher));

  const counts: Record<PageFilter, number> = { all: everyone.length, lagging: 0, unreachable: 0, not_started: 0 };
  for (const teacher of everyone) if (teacher.group !== 'done') counts[teacher.group] += 1;
  const shown = (group: TeacherGroup) => filter === 'all' || group === filter;

  const trend: TrendPoint[] = input.history
    .filter((point) => point.date < summary.date)
    .map(({ date, data }) => ({ date, teachers: data.teachers, started: data.started, finished: data.finished }));
  trend.push({ date: summary.date, teachers: counted, started: summary.started, finished: summary.finished });

  return {
    summary,
    filter,
    counts,
    teachers: everyone.filter((teacher) => shown(teacher.group)),
    classTasks: perClass.map(({ number, title }) => ({ number, title })),
    classes: classes.filter((row) => shown(row.group)),
    trend,
  };
}

/** «5А» before «10Б»: by grade as a number, then by letter. */
function compareClasses(a: string, b: string): number {
  const grade = (name: string) => Number.parseInt(name, 10) || 0;
  return grade(a) - grade(b) || a.localeCompare(b, 'ru');
}
