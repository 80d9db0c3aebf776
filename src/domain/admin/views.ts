import type { Checklist } from '../checklist/schema.js';
import { formatDateTime } from '../calendar.js';
import type { Button, LocalDate, Reply } from '../model.js';
import { clipLabel } from '../keyboard.js';
import { formatDelta, formatReach } from '../parents.js';
import { computeProgress } from '../progress.js';
import type { AuditRecord, RosterTeacher, SchoolOverview, SchoolSettings } from './model.js';
import { formatDate, formatDateRanges } from './parsers.js';
import type { AdminPayload } from './payload.js';
import { describeEvidence, taskName } from './report.js';
import type { RosterChange, RosterProblem } from './roster.js';
import { formatClaimCode } from '../validation/claim-code.js';
import { actorNames, adminTexts as t, auditActionNames } from './texts.js';

/** Pure renderers of the admin replies. VK: ≤ 10 buttons, ≤ 6 rows, labels ≤ 40 characters. */

const button = (label: string, payload: AdminPayload, color?: Button['color']): Button => ({ label: clipLabel(label), payload, ...(color ? { color } : {}) });
const menuRow: Button[] = [button(t.menu.menu, { a: 'ad_menu' })];
const cancelRow: Button[] = [button(t.menu.cancel, { a: 'ad_cancel' })];

/** VK rejects a message over 4096 characters; long lists are cut with a note. */
export const MAX_TEXT = 3900;
export function fitText(lines: readonly string[], more: (count: number) => string = t.importMoreErrors): string {
  const out: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    if (length + line.length + 1 > MAX_TEXT - 40) {
      out.push(more(lines.length - index));
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n');
}

export function adminMenu(schoolName: string, options: { regional: boolean; notice?: string }): Reply {
  const m = t.menu;
  const rows: Button[][] = [
    [button(m.summary, { a: 'ad_summary' }, 'primary'), button(m.laggards, { a: 'ad_laggards' })],
    [button(m.teachers, { a: 'ad_teachers', p: 0 }), button(m.import, { a: 'ad_import' })],
    [button(m.exportXlsx, { a: 'ad_export_xlsx' }), button(m.remind, { a: 'ad_remind' })],
    [button(m.schoolTasks, { a: 'ad_school_tasks' }), button(m.settings, { a: 'ad_settings' })],
    [button(m.poster, { a: 'ad_poster' }), ...(options.regional ? [button(m.schools, { a: 'ad_schools' })] : [])],
  ];
  return { text: withNotice(options.notice, t.menuTitle(schoolName)), buttons: rows };
}

export function schoolsReply(schools: readonly SchoolOverview[], notice?: string): Reply {
  if (schools.length === 0) return { text: withNotice(notice, t.noSchools) };
  const lines = schools.map((s) => {
    const row = t.schoolRow(s.name, s.teachers, s.started, s.finished);
    if (!s.parents) return row;
    const delta = s.parentsDelta ? `, ${formatDelta(s.parentsDelta)}` : '';
    return `${row}; ${t.schoolParents(formatReach(s.parents))}${delta}`;
  });
  const picks = schools.slice(0, 10).map((s) => button(s.name, { a: 'ad_school', s: s.id }));
  const rows: Button[][] = [];
  for (let i = 0; i < picks.length; i += 2) rows.push(picks.slice(i, i + 2));
  return { text: withNotice(notice, `${t.schoolsTitle(schools.length)}\n${fitText(lines)}\n\n${t.regionMenuTitle}`), buttons: rows };
}

/** Two a row, three rows, and the navigation row: within VK's 10 buttons. */
export const TEACHERS_PER_PAGE = 6;

export function teachersReply(teachers: readonly RosterTeacher[], page: number): Reply {
  const pages = Math.max(1, Math.ceil(teachers.length / TEACHERS_PER_PAGE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = teachers.slice(current * TEACHERS_PER_PAGE, (current + 1) * TEACHERS_PER_PAGE);
  const rows: Button[][] = [];
  for (let i = 0; i < slice.length; i += 2) {
    rows.push(slice.slice(i, i + 2).map((teacher) => button(`${teacher.active ? '' : '⏸ '}${shortName(teacher.fullName)}`, { a: 'ad_teacher', t: teacher.id })));
  }
  const nav: Button[] = [];
  if (current > 0) nav.push(button(t.menu.back, { a: 'ad_teachers', p: current - 1 }));
  if (current < pages - 1) nav.push(button(t.menu.next, { a: 'ad_teachers', p: current + 1 }));
  nav.push(menuRow[0]!);
  return { text: t.teachersTitle(teachers.length, current + 1, pages), buttons: [...rows, nav] };
}

/** «Иванова Мария Петровна» → «Иванова М. П.» */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.split(' ');
  return [surname, ...rest.map((word) => `${word.charAt(0)}.`)].join(' ');
}

export function teacherReply(checklist: Checklist, teacher: RosterTeacher, timeZone: string): Reply {
  const f = t.teacherFacts;
  const progress = computeProgress(checklist, teacher.classes, teacher.completions);
  const facts = [f.vk(teacher.vkId), f.classes(teacher.classes.join(', '))];
  if (teacher.vkId === null && teacher.claimCode) facts.push(f.claimCode(formatClaimCode(teacher.claimCode)));
  if (!teacher.active) facts.push(f.inactive);
  if (teacher.leaveUntil) facts.push(f.leave(formatDate(teacher.leaveUntil)));
  facts.push(teacher.startedAt ? f.started(formatDateTime(teacher.startedAt, timeZone)) : f.notStarted);
  if (teacher.unreachableAt) facts.push(f.unreachable);
  if (teacher.finishedAt) facts.push(f.finished(formatDateTime(teacher.finishedAt, timeZone)));
  facts.push(f.progress(progress.closed, progress.total));

  const lines: string[] = [];
  for (const item of progress.tasks) {
    const own = teacher.completions.filter((c) => c.task === item.task.code);
    if (item.status === 'not_applicable') {
      lines.push(t.taskLine.na(item.task.title, item.reason));
      continue;
    }
    const answers = own.filter((c) => c.status === 'done' && (item.task.perClass ? c.className !== null && teacher.classes.includes(c.className) : c.className === null));
    const last = answers.reduce<Date | null>((max, c) => (max === null || c.at > max ? c.at : max), null);
    if (item.status === 'done' && last) lines.push(t.taskLine.done(item.task.title, formatDateTime(last, timeZone)));
    else lines.push(t.taskLine.open(item.task.title, item.task.perClass && item.classesDone > 0 ? t.taskLine.partial(item.classesDone, item.classesTotal) : ''));
    for (const answer of answers) {
      const evidence = describeEvidence(item.task, answer.evidence);
      if (evidence) lines.push(t.taskLine.evidence(`${answer.className ? `${answer.className}: ` : ''}${evidence}`));
    }
  }
  const b = t.teacherButtons;
  const id = teacher.id;
  return {
    text: fitText([t.teacherTitle(teacher.fullName), ...facts, '', ...lines]),
    buttons: [
      [button(b.edit, { a: 'ad_edit', t: id }), button(b.leave, { a: 'ad_leave', t: id })],
      [teacher.active ? button(b.deactivate, { a: 'ad_deactivate', t: id }) : button(b.activate, { a: 'ad_activate', t: id }), button(b.audit, { a: 'ad_audit', t: id })],
      [button(b.erase, { a: 'ad_erase', t: id }, 'negative'), button(t.menu.teachers, { a: 'ad_teachers', p: 0 })],
      menuRow,
    ],
  };
}

export function auditReply(checklist: Checklist, teacher: RosterTeacher, entries: readonly AuditRecord[], timeZone: string): Reply {
  const lines = entries.map((e) => {
    const task = taskName(checklist, e.taskCode);
    const what = [auditActionNames[e.action] ?? e.action, task ? `«${task}»` : null, e.className].filter(Boolean).join(' ');
    return t.auditLine(formatDateTime(e.at, timeZone), actorNames[e.actor], what);
  });
  return {
    text: `${t.auditTitle(teacher.fullName)}\n${lines.length > 0 ? fitText(lines) : t.auditEmpty}`,
    buttons: [[button(shortName(teacher.fullName), { a: 'ad_teacher', t: teacher.id })], menuRow],
  };
}

export function importPreviewReply(changes: readonly RosterChange[], problems: readonly RosterProblem[], dataLines: number): Reply {
  const count = (kind: RosterChange['kind']) => changes.filter((c) => c.kind === kind).length;
  const created = count('new');
  const updated = count('update');
  const parts = [t.importPreviewTitle(dataLines), t.importCounts(created, updated, count('same'), new Set(problems.map((p) => p.line)).size)];
  // Each person and each change by name, before anything is applied: a removed class is never silent.
  const vk = (id: number | null) => (id === null ? '' : `vk.com/id${id}`);
  const added = changes.flatMap((c) => (c.kind === 'new' ? [t.importNew(c.line.fullName, vk(c.line.vkId), c.line.classes.join(', ') || t.importNoClass)] : []));
  if (added.length > 0) parts.push(`${t.importNewTitle}\n${added.join('\n')}`);
  const changed = changes.flatMap((c) => (c.kind === 'update' ? [t.importChange(c.teacher.fullName, describeRosterChange(c.teacher, c.line))] : []));
  if (changed.length > 0) parts.push(`${t.importChangesTitle}\n${changed.join('\n')}`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 25).map((p) => t.rosterProblem(p.line, t.rosterProblems[p.code], p.value));
    if (problems.length > 25) shown.push(t.importMoreErrors(problems.length - 25));
    parts.push(`${t.importErrorsTitle}\n${shown.join('\n')}`);
  }
  const applicable = created + updated > 0;
  parts.push(applicable ? t.importConfirm : t.importNothing);
  return {
    text: fitText(parts.join('\n\n').split('\n')),
    buttons: applicable ? [[button(t.menu.apply, { a: 'ad_import_apply' }, 'positive'), button(t.menu.cancel, { a: 'ad_cancel' })]] : [menuRow],
  };
}

/** What applying `line` changes in `teacher`, in words. */
function describeRosterChange(teacher: RosterTeacher, line: RosterChange['line']): string[] {
  const out: string[] = [];
  if (teacher.fullName !== line.fullName) out.push(t.importChangeName(teacher.fullName, line.fullName));
  if (line.vkId !== null && teacher.vkId !== line.vkId) out.push(t.importChangeVk(teacher.vkId === null ? '—' : `vk.com/id${teacher.vkId}`, `vk.com/id${line.vkId}`));
  const gained = line.classes.filter((c) => !teacher.classes.includes(c));
  const lost = teacher.classes.filter((c) => !line.classes.includes(c));
  if (gained.length > 0) out.push(t.importClassesAdded(gained.join(', ')));
  if (lost.length > 0) out.push(t.importClassesRemoved(lost.join(', ')));
  if (!teacher.active) out.push(t.importReactivated);
  return out;
}

export function schoolTasksReply(settings: SchoolSettings, timeZone: string, notice?: string): Reply {
  const localAct = settings.tasks.find((task) => task.code === 'local_act');
  const schoolLink = settings.tasks.find((task) => task.code === 'school_link');
  const lines = [t.schoolTasksTitle, '', t.localActTitle];
  lines.push(localAct?.evidence.kind === 'local_act' ? t.localActDone(localAct.evidence.number, formatDate(localAct.evidence.date)) : t.localActOpen);
  lines.push('', t.schoolLinkTitle);
  lines.push(schoolLink?.evidence.kind === 'school_link' ? t.schoolLinkDone(formatDateTime(schoolLink.at, timeZone), schoolLink.evidence.note) : t.schoolLinkOpen);
  lines.push('', t.settingsDeadline(settings.deadline ? formatDate(settings.deadline) : null));
  return {
    text: withNotice(notice, lines.join('\n')),
    buttons: [[button(t.localActButton, { a: 'ad_local_act' })], [button(t.schoolLinkButton, { a: 'ad_school_link' })], [button(t.settingsButtons.deadline, { a: 'ad_deadline', b: 'school_tasks' })], menuRow],
  };
}

export function settingsReply(settings: SchoolSettings, notice?: string): Reply {
  const b = t.settingsButtons;
  return {
    text: withNotice(
      notice,
      [
        t.settingsTitle,
        t.settingsDeadline(settings.deadline ? formatDate(settings.deadline) : null),
        t.settingsHolidays(settings.holidays.length > 0 ? formatDateRanges(settings.holidays) : null),
        t.settingsEo(settings.eoInstructions !== null),
        t.settingsCode(settings.joinCode),
      ].join('\n'),
    ),
    buttons: [
      [button(b.deadline, { a: 'ad_deadline' }), button(b.holidays, { a: 'ad_holidays' })],
      [button(b.eo, { a: 'ad_eo' }), button(b.code, { a: 'ad_code' })],
      menuRow,
    ],
  };
}

export const askReply = (text: string): Reply => ({ text, buttons: [cancelRow] });
export const confirmReply = (text: string, yes: Button): Reply => ({ text, buttons: [[yes, cancelRow[0]!]] });
export const yesButton = (label: string, payload: AdminPayload) => button(label, payload, 'negative');
export const noticeReply = (text: string, back: 'menu' | 'teacher' = 'menu', teacherId?: string): Reply => ({
  text,
  buttons: back === 'teacher' && teacherId ? [[button(t.menu.back, { a: 'ad_teacher', t: teacherId }), menuRow[0]!]] : [menuRow],
});

export const laggardButtons = (): Button[][] => [[button(t.menu.remind, { a: 'ad_remind' }, 'primary'), button(t.menu.exportXlsx, { a: 'ad_export_xlsx' })], menuRow];

const withNotice = (notice: string | undefined, text: string) => (notice ? `${notice}\n\n${text}` : text);

export const formatLocal = (date: LocalDate) => formatDate(date);
