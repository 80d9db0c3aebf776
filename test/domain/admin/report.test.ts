import { describe, expect, it } from 'vitest';
import type { AuditRecord, RosterTeacher } from '../../../src/domain/admin/model.js';
import { auditTable, describeEvidence, parentsTable, schoolTasksTable, taskCells, teachersTable } from '../../../src/domain/admin/report.js';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { Completion } from '../../../src/domain/model.js';

const TZ = 'Europe/Moscow';
const at = (iso: string) => new Date(iso);
const task = (code: string) => defaultChecklist.tasks.find((t) => t.code === code)!;
const teacher = (overrides: Partial<RosterTeacher> = {}): RosterTeacher => ({
  id: 't',
  schoolId: 's',
  vkId: 5,
  claimCode: null,
  fullName: 'Иванова Мария Петровна',
  classes: ['5А', '7Б'],
  active: true,
  startedAt: at('2026-09-01T06:00:00Z'),
  finishedAt: null,
  unreachableAt: null,
  leaveUntil: null,
  completions: [],
  ...overrides,
});
const done = (code: string, className: string | null, iso: string, evidence: Completion['evidence'] = { kind: 'confirm' }): Completion => ({
  task: code,
  className,
  status: 'done',
  evidence,
  reason: null,
  at: at(iso),
});

describe('taskCells', () => {
  it('a teacher-level task: the local completion time and the evidence', () => {
    const t = teacher({ completions: [done('messengers', null, '2026-09-02T21:30:00Z')] });
    // 21:30 UTC is 00:30 the next day in Moscow: the cell shows the school's wall clock.
    expect(taskCells(task('messengers'), t, TZ)).toEqual([new Date(Date.UTC(2026, 8, 3, 0, 30)), 'подтверждено']);
    expect(taskCells(task('only_sferum'), t, TZ)).toEqual([null, null]);
  });

  it('a per-class task: partial progress, then the latest class date and every class\'s evidence', () => {
    const links = (token: string) => ({ kind: 'links' as const, links: { parents_only: `https://vk.me/join/P${token}`, with_teacher: `https://vk.me/join/W${token}` } });
    const partial = teacher({ completions: [done('chats', '5А', '2026-09-02T07:00:00Z', links('aaaaaaaa'))] });
    expect(taskCells(task('chats'), partial, TZ)).toEqual(['1 из 2 кл.', '5А: Родители с учителем: https://vk.me/join/Waaaaaaaa; Родители без учителя: https://vk.me/join/Paaaaaaaa']);
    const full = teacher({ completions: [...partial.completions, done('chats', '7Б', '2026-09-03T07:00:00Z', links('bbbbbbbb'))] });
    const [date, evidence] = taskCells(task('chats'), full, TZ);
    expect(date).toEqual(new Date(Date.UTC(2026, 8, 3, 10, 0)));
    expect(evidence).toContain(' | 7Б: Родители с учителем: https://vk.me/join/Wbbbbbbbb');
  });

  it('not applicable: the teacher\'s reason, or no class of their own', () => {
    const na: Completion = { task: 'messengers', className: null, status: 'not_applicable', evidence: null, reason: 'Нет переписки', at: at('2026-09-02T07:00:00Z') };
    expect(taskCells(task('messengers'), teacher({ completions: [na] }), TZ)).toEqual(['не относится', 'Нет переписки']);
    expect(taskCells(task('qr'), teacher({ classes: [] }), TZ)).toEqual(['не относится', 'нет своего класса']);
  });
});

describe('describeEvidence', () => {
  it('reads a report with dates in Russian format, fields in checklist order', () => {
    expect(describeEvidence(task('parents'), { kind: 'report', values: { parents_joined: 18, meeting_date: '2026-09-05', parents_total: 25 } })).toBe(
      'Дата собрания: 05.09.2026; Родителей всего: 25; Вступили в чаты: 18',
    );
    expect(describeEvidence(task('eo_link'), { kind: 'photo', photo: null })).toBe('без фото');
    expect(describeEvidence(task('qr'), { kind: 'photo', photo: { attachment: 'photo1_2', url: 'https://x/1.jpg', width: 1, height: 1 } })).toBe('фото: https://x/1.jpg');
  });
});

describe('tables', () => {
  it('teachers: a row per teacher, parents reached over their classes, two columns per task', () => {
    const report = (className: string, joined: number, total: number): Completion => ({
      task: 'parents',
      className,
      status: 'done',
      evidence: { kind: 'report', values: { meeting_date: '2026-09-05', parents_total: total, parents_joined: joined } },
      reason: null,
      at: at('2026-09-05T07:00:00Z'),
    });
    const table = teachersTable(defaultChecklist, [teacher({ leaveUntil: '2026-09-30', active: false }), teacher({ completions: [report('5А', 18, 25), report('7Б', 20, 20)] })], TZ);
    expect(table.columns).toHaveLength(9 + 3 + 2 * defaultChecklist.tasks.length);
    expect(table.columns.slice(9, 12).map((c) => c.header)).toEqual(['Родители в чатах: вступили', 'Родители в чатах: всего', 'Родители в чатах: %']);
    expect(table.rows[0]?.slice(0, 12)).toEqual(['Иванова Мария Петровна', 'vk.com/id5', null, '5А, 7Б', 'нет', '30.09.2026', new Date(Date.UTC(2026, 8, 1, 9, 0)), null, '0 из 6', null, null, null]);
    expect(table.rows[1]?.slice(9, 12)).toEqual([38, 45, 84]);
  });

  it('parents: a row per class, a total per teacher of two classes, the school last, with changes', () => {
    const table = parentsTable({
      joined: 43,
      total: 75,
      owing: 1,
      delta: { joined: 3, total: 0 },
      teachers: [
        { teacherId: 'a', name: 'Иванова М. П.', joined: 5, total: 30, delta: null, classes: [{ className: '6В', joined: 5, total: 30, delta: null }] },
        { teacherId: 'b', name: 'Петров И. И.', joined: 38, total: 45, delta: 3, classes: [{ className: '5А', joined: 18, total: 25, delta: 3 }, { className: '7Б', joined: 20, total: 20, delta: 0 }] },
      ],
    });
    expect(table.columns.map((c) => c.header)).toEqual(['Учитель', 'Класс', 'Вступили', 'Всего родителей', '%', 'Вступили с прошлой сводки']);
    expect(table.rows).toEqual([
      ['Иванова М. П.', '6В', 5, 30, 17, null],
      ['Петров И. И.', '5А', 18, 25, 72, 3],
      ['Петров И. И.', '7Б', 20, 20, 100, 0],
      ['Петров И. И.', 'всего', 38, 45, 84, 3],
      ['Вся школа', null, 43, 75, 57, 3],
    ]);
  });

  it('teachers: a roster row without a VK id shows the personal code to hand out', () => {
    const table = teachersTable(defaultChecklist, [teacher({ vkId: null, claimCode: 'A1B2C3D4E5' })], TZ);
    expect(table.rows[0]?.slice(0, 3)).toEqual(['Иванова Мария Петровна', null, 'A1B2C-3D4E5']);
  });

  it('school tasks: points 5 and 6 and the deadline', () => {
    const table = schoolTasksTable(
      { id: 's', name: 'Ш', joinCode: 'C', deadline: '2026-09-15', eoInstructions: null, holidays: [], tasks: [{ code: 'local_act', evidence: { kind: 'local_act', number: '12-од', date: '2026-09-01' }, at: at('2026-09-01T07:00:00Z'), byVkId: 7 }] },
      TZ,
    );
    expect(table.rows).toEqual([
      [5, 'Локальный акт о запрете иностранных мессенджеров', 'выполнено', new Date(Date.UTC(2026, 8, 1, 10, 0)), '№ 12-од от 01.09.2026', 'vk.com/id7'],
      [6, 'Связь учётной записи школы с «Электронным образованием Дагестана»', 'не выполнено', null, null, null],
      [null, 'Срок выполнения приказа', '15.09.2026', null, null, null],
    ]);
  });

  it('audit: erased teachers are shown without a name', () => {
    const entry: AuditRecord = { at: at('2026-09-01T07:00:00Z'), actor: 'admin', actorVkId: 7, actorRef: null, teacherId: 't', teacherName: null, action: 'data_erased', taskCode: null, className: null, details: { by: 'admin' } };
    expect(auditTable(defaultChecklist, [entry], TZ).rows[0]).toEqual([new Date(Date.UTC(2026, 8, 1, 10, 0)), 'администратор', 'vk.com/id7', '(данные удалены)', 'персональные данные удалены', null, null, 'by: admin']);
    const own: AuditRecord = { ...entry, actor: 'teacher', actorVkId: null, actorRef: 'vk#0123456789abcdef', details: null };
    expect(auditTable(defaultChecklist, [own], TZ).rows[0]?.slice(1, 3)).toEqual(['учитель', 'vk#0123456789abcdef']);
  });

  it('audit: task titles, actions and details in Russian, never codes or JSON (issue 13, item 8)', () => {
    const base = { at: at('2026-09-01T07:00:00Z'), actor: 'teacher', actorVkId: 7, actorRef: null, teacherId: 't', teacherName: 'Иванова Мария Петровна', className: null } as const;
    const rows = auditTable(
      defaultChecklist,
      [
        { ...base, action: 'task_done', taskCode: 'messengers', details: { evidence: 'confirm' } },
        { ...base, action: 'task_not_applicable', taskCode: 'parents', details: { reason: 'нет собраний' } },
        { ...base, action: 'report_exported', taskCode: null, details: { format: 'xlsx', teachers: 12 } },
        { ...base, action: 'leave_set', taskCode: null, details: { until: '2026-09-30' } },
      ],
      TZ,
    ).rows;
    expect(rows.map((r) => r.slice(4))).toEqual([
      ['выполнил задание', 'Задание 1 (п. 1). Отказ от иностранных мессенджеров', null, 'ответ: подтверждение'],
      ['отметил «не относится»', 'Задание 4 (п. 3). Разъяснение родителям', null, 'причина: нет собраний'],
      ['выгружен отчёт', null, null, 'формат: xlsx; учителей: 12'],
      ['отмечен отпуск', null, null, 'до: 30.09.2026'],
    ]);
  });

  it('evidence of the parents report reads with the field names', () => {
    const task = defaultChecklist.tasks.find((t) => t.code === 'parents');
    expect(describeEvidence(task, { kind: 'report', values: { parents_joined: 18, meeting_date: '2026-12-01', parents_total: 25 } })).toBe(
      'Дата собрания: 01.12.2026; Родителей всего: 25; Вступили в чаты: 18',
    );
  });
});
