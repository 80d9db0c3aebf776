import type { Checklist, Task } from '../checklist/schema.js';
import { wallClock } from '../calendar.js';
import type { Completion, Evidence } from '../model.js';
import { type Reach, parentsReports, reachFields, reachPercent, sumReach } from '../parents.js';
import { computeProgress } from '../progress.js';
import type { ParentsReached } from '../summary/model.js';
import { formatClaimCode } from '../validation/claim-code.js';
import type { AuditRecord, RosterTeacher, SchoolSettings } from './model.js';
import { formatDate } from './parsers.js';
import { actorNames, adminTexts, auditActionNames, auditDetailNames, evidenceKindNames } from './texts.js';

/**
 * Export sheets as plain tables, built here so the adapters (exceljs, CSV) only serialise. A Date
 * cell holds the school's wall-clock time in its UTC fields (see `wallClock`).
 */
export type Cell = string | number | Date | null;
export interface Table {
  name: string;
  columns: { header: string; width?: number; date?: boolean }[];
  rows: Cell[][];
}

/** A VK page as people open it: «vk.com/id123». */
const vkPage = (id: number): string => `vk.com/id${id}`;

export const sheetNames = { teachers: 'Учителя', parents: 'Родители в чатах', schoolTasks: 'Задачи школы', audit: 'Журнал' } as const;

/** How a task's evidence reads in a report or the teacher detail view. */
export function describeEvidence(task: Task | undefined, evidence: Evidence | null): string {
  if (!evidence) return '';
  switch (evidence.kind) {
    case 'confirm':
      return 'подтверждено';
    case 'links': {
      // In the checklist's order of chats (jsonb does not keep key order).
      const chats = task?.step.kind === 'links' ? task.step.chats : [];
      const order = (key: string) => (chats.findIndex((c) => c.key === key) + chats.length + 1) % (chats.length + 1);
      return Object.entries(evidence.links)
        .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
        .map(([key, url]) => `${chats.find((c) => c.key === key)?.title ?? key}: ${url}`)
        .join('; ');
    }
    case 'photo':
      return evidence.photo ? `фото: ${evidence.photo.url ?? evidence.photo.attachment}` : 'без фото';
    case 'poster':
      return evidence.photo ? `плакат, фото: ${evidence.photo.url ?? evidence.photo.attachment}` : 'плакат, без фото';
    case 'report': {
      const fields = task?.step.kind === 'report' ? task.step.fields : [];
      const order = (key: string) => (fields.findIndex((f) => f.key === key) + fields.length + 1) % (fields.length + 1);
      // Values of fields the checklist no longer has are kept under their key: nothing recorded is hidden.
      return Object.entries(evidence.values)
        .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
        .map(([key, value]) => `${fields.find((f) => f.key === key)?.label ?? key}: ${typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value}`)
        .join('; ');
    }
    default: {
      const unreachable: never = evidence;
      return unreachable;
    }
  }
}

/** Completion date and evidence of one task of one teacher, as two report cells. */
export function taskCells(task: Task, teacher: RosterTeacher, timeZone: string): [Cell, Cell] {
  const progress = computeProgress({ title: '', tasks: [task] }, teacher.classes, teacher.completions).tasks[0]!;
  const own = teacher.completions.filter((c) => c.task === task.code);
  if (progress.status === 'not_applicable') return ['не относится', progress.reason ?? 'нет своего класса'];
  if (task.perClass) {
    const answered = teacher.classes
      .map((name) => ({ name, completion: own.find((c) => c.className === name && c.status === 'done') }))
      .filter((x): x is { name: string; completion: Completion } => x.completion !== undefined);
    const evidence = answered.map(({ name, completion }) => `${name}: ${describeEvidence(task, completion.evidence)}`).join(' | ');
    if (progress.status === 'open') return [answered.length > 0 ? `${progress.classesDone} из ${progress.classesTotal} кл.` : null, evidence || null];
    const last = new Date(Math.max(0, ...answered.map((x) => x.completion.at.getTime())));
    return [wallClock(last, timeZone), evidence];
  }
  const done = own.find((c) => c.className === null && c.status === 'done');
  return done ? [wallClock(done.at, timeZone), describeEvidence(task, done.evidence)] : [null, null];
}

/** The teachers × tasks sheet: one row per teacher, a date and an evidence column per task. */
export function teachersTable(checklist: Checklist, teachers: readonly RosterTeacher[], timeZone: string): Table {
  const columns: Table['columns'] = [
    { header: 'ФИО', width: 34 },
    { header: 'Страница ВКонтакте', width: 20 },
    { header: 'Личный код', width: 13 },
    { header: 'Классы', width: 12 },
    { header: 'Активен', width: 9 },
    { header: 'Отпуск по', width: 12 },
    { header: 'Начал(а)', width: 17, date: true },
    { header: 'Всё выполнено', width: 17, date: true },
    { header: 'Выполнено заданий', width: 10 },
  ];
  const fields = reachFields(checklist);
  if (fields) columns.push(...reachColumns.map((header) => ({ header: `Родители в чатах: ${header}`, width: 12 })));
  checklist.tasks.forEach((task, index) => {
    const name = adminTexts.taskName(index + 1, task.point, task.title);
    columns.push({ header: `${name}: дата`, width: 17, date: true });
    columns.push({ header: `${name}: подтверждение`, width: 40 });
  });
  const rows = teachers.map((teacher): Cell[] => {
    const progress = computeProgress(checklist, teacher.classes, teacher.completions);
    return [
      teacher.fullName,
      teacher.vkId === null ? null : vkPage(teacher.vkId),
      teacher.vkId === null && teacher.claimCode ? formatClaimCode(teacher.claimCode) : null,
      teacher.classes.join(', '),
      teacher.active ? 'да' : 'нет',
      teacher.leaveUntil ? formatDate(teacher.leaveUntil) : null,
      teacher.startedAt ? wallClock(teacher.startedAt, timeZone) : null,
      teacher.finishedAt ? wallClock(teacher.finishedAt, timeZone) : null,
      `${progress.closed} из ${progress.total}`,
      ...(fields ? reachCells(parentsReports(fields, teacher.classes, teacher.completions)) : []),
      ...checklist.tasks.flatMap((task) => taskCells(task, teacher, timeZone)),
    ];
  });
  return { name: sheetNames.teachers, columns, rows };
}

const reachColumns = ['вступили', 'всего', '%'] as const;

/** Joined, total and percent; empty cells when nothing was reported. */
function reachCells(reports: readonly Reach[]): Cell[] {
  if (reports.length === 0) return [null, null, null];
  const sum = sumReach(reports);
  return [sum.joined, sum.total, reachPercent(sum)];
}

/**
 * Parents reached as the summary counts them: a row per class, a row per teacher with two or more
 * classes, the school's row last; each with its change since the previous summary.
 */
export function parentsTable(parents: ParentsReached): Table {
  const rows: Cell[][] = [];
  for (const teacher of parents.teachers) {
    for (const c of teacher.classes) rows.push([teacher.name, c.className, ...reachCells([c]), c.delta]);
    if (teacher.classes.length > 1) rows.push([teacher.name, 'всего', ...reachCells([teacher]), teacher.delta]);
  }
  rows.push(['Вся школа', null, ...reachCells([parents]), parents.delta?.joined ?? null]);
  return {
    name: sheetNames.parents,
    columns: [
      { header: 'Учитель', width: 30 },
      { header: 'Класс', width: 8 },
      { header: 'Вступили', width: 10 },
      { header: 'Всего родителей', width: 10 },
      { header: '%', width: 6 },
      { header: 'Вступили с прошлой сводки', width: 14 },
    ],
    rows,
  };
}

export const schoolTaskTitles = {
  local_act: 'Локальный акт о запрете иностранных мессенджеров',
  school_link: 'Связь учётной записи школы с «Электронным образованием Дагестана»',
} as const;

/** Point 5 and point 6 for the school, and the deadline. */
export function schoolTasksTable(settings: SchoolSettings, timeZone: string): Table {
  const task = (code: 'local_act' | 'school_link') => settings.tasks.find((t) => t.code === code);
  const localAct = task('local_act');
  const schoolLink = task('school_link');
  const details = (record: typeof localAct): string | null => {
    if (!record) return null;
    const e = record.evidence;
    return e.kind === 'local_act' ? `№ ${e.number} от ${formatDate(e.date)}` : e.note;
  };
  const row = (point: number, code: 'local_act' | 'school_link', record: typeof localAct): Cell[] => [
    point,
    schoolTaskTitles[code],
    record ? 'выполнено' : 'не выполнено',
    record ? wallClock(record.at, timeZone) : null,
    details(record),
    record?.byVkId == null ? null : vkPage(record.byVkId),
  ];
  return {
    name: sheetNames.schoolTasks,
    columns: [
      { header: 'Пункт', width: 7 },
      { header: 'Задача', width: 50 },
      { header: 'Статус', width: 14 },
      { header: 'Отмечено', width: 17, date: true },
      { header: 'Подробности', width: 40 },
      { header: 'Кто отметил (ВКонтакте)', width: 20 },
    ],
    rows: [
      row(5, 'local_act', localAct),
      row(6, 'school_link', schoolLink),
      [null, 'Срок выполнения приказа', settings.deadline ? formatDate(settings.deadline) : 'не задан', null, null, null],
    ],
  };
}

/** «Задание 5 (п. 4). Общение только через Сферум»: the one numbering of chat, summary, export and guides. */
export function taskName(checklist: Checklist, code: string | null): string | null {
  if (code === null) return null;
  const index = checklist.tasks.findIndex((t) => t.code === code);
  const task = checklist.tasks[index];
  if (task) return adminTexts.taskName(index + 1, task.point, task.title);
  return code in schoolTaskTitles ? schoolTaskTitles[code as keyof typeof schoolTaskTitles] : code;
}

/** An audit entry's details in words: «причина: …; до: 30.09.2026», never JSON. */
export function describeDetails(details: Readonly<Record<string, unknown>> | null): string | null {
  if (!details) return null;
  const value = (key: string, v: unknown): string => {
    if (key === 'evidence' && typeof v === 'string') return evidenceKindNames[v] ?? v;
    if (Array.isArray(v)) return v.map((x) => value(key, x)).join(', ');
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    if (v === null || v === undefined) return '—';
    return typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k}: ${value(k, x)}`).join(', ') : String(v);
  };
  const parts = Object.entries(details).map(([key, v]) => `${auditDetailNames[key] ?? key}: ${value(key, v)}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The audit log, oldest first. */
export function auditTable(checklist: Checklist, entries: readonly AuditRecord[], timeZone: string): Table {
  return {
    name: sheetNames.audit,
    columns: [
      { header: 'Когда', width: 17, date: true },
      { header: 'Кто', width: 14 },
      { header: 'ВКонтакте (или псевдоним)', width: 20 },
      { header: 'Учитель', width: 34 },
      { header: 'Действие', width: 30 },
      { header: 'Задание', width: 40 },
      { header: 'Класс', width: 7 },
      { header: 'Подробности', width: 40 },
    ],
    rows: entries.map((e): Cell[] => [
      wallClock(e.at, timeZone),
      actorNames[e.actor],
      e.actorVkId === null ? (e.actorRef ?? null) : vkPage(e.actorVkId),
      e.teacherName ?? (e.teacherId ? adminTexts.erasedName : null),
      auditActionNames[e.action] ?? e.action,
      taskName(checklist, e.taskCode),
      e.className,
      describeDetails(e.details),
    ]),
  };
}
