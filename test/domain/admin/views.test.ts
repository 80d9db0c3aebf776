import { describe, expect, it } from 'vitest';
import type { RosterTeacher, SchoolSettings } from '../../../src/domain/admin/model.js';
import { adminMenu, fitText, importPreviewReply, schoolTasksReply, schoolsReply, settingsReply, teacherReply, teachersReply } from '../../../src/domain/admin/views.js';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { Reply } from '../../../src/domain/model.js';
import { parsePayload } from '../../../src/domain/payload.js';

const teacher = (i: number): RosterTeacher => ({
  id: `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`,
  schoolId: 's',
  vkId: i,
  claimCode: null,
  fullName: `Константинопольская-Длиннофамильная Мария Петровна`,
  classes: ['5А'],
  active: i % 2 === 0,
  startedAt: null,
  finishedAt: null,
  unreachableAt: null,
  leaveUntil: null,
  completions: [],
});
const settings: SchoolSettings = { id: 's', name: 'Школа', joinCode: 'CODE', deadline: null, eoInstructions: null, holidays: [], tasks: [] };

/** What VK accepts for an inline keyboard and a message. */
function expectWithinVkLimits(reply: Reply) {
  const rows = reply.buttons ?? [];
  expect(rows.length).toBeLessThanOrEqual(6);
  expect(rows.flat().length).toBeLessThanOrEqual(10);
  for (const button of rows.flat()) {
    expect(button.label.length).toBeLessThanOrEqual(40);
    expect(Buffer.byteLength(JSON.stringify(button.payload))).toBeLessThanOrEqual(255);
    expect(parsePayload(JSON.parse(JSON.stringify(button.payload))).kind).toBe('payload');
  }
  expect(reply.text.length).toBeLessThanOrEqual(4096);
}

describe('admin views stay within VK limits', () => {
  it.each([
    ['menu', adminMenu('Школа', { regional: false })],
    ['regional menu', adminMenu('Школа', { regional: true })],
    ['schools', schoolsReply(Array.from({ length: 40 }, (_, i) => ({ id: `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`, name: `Школа ${i}`, teachers: 1, started: 0, finished: 0, parents: { joined: 180 + i, total: 250 }, parentsDelta: i - 3 })))],
    ['teachers page 1', teachersReply(Array.from({ length: 30 }, (_, i) => teacher(i)), 0)],
    ['teachers middle page', teachersReply(Array.from({ length: 30 }, (_, i) => teacher(i)), 2)],
    ['teachers past the end', teachersReply(Array.from({ length: 30 }, (_, i) => teacher(i)), 99)],
    ['teacher', teacherReply(defaultChecklist, teacher(1), 'Europe/Moscow')],
    ['settings', settingsReply(settings)],
    ['school tasks', schoolTasksReply(settings, 'Europe/Moscow')],
    ['preview with 500 errors', importPreviewReply([], Array.from({ length: 500 }, (_, i) => ({ line: i + 1, code: 'columns' as const, value: 'x'.repeat(100) })), 500)],
  ])('%s', (_name, reply) => expectWithinVkLimits(reply));

  it('pages through teachers with «Дальше» and «Назад»', () => {
    const all = Array.from({ length: 20 }, (_, i) => teacher(i));
    expect(teachersReply(all, 0).text).toContain('Страница 1 из 4');
    expect(teachersReply(all, 1).buttons?.at(-1)?.map((b) => b.label)).toEqual(['Назад', 'Дальше', 'Меню']);
    expect(teachersReply(all, 3).buttons?.flat().filter((b) => b.payload.a === 'ad_teacher')).toHaveLength(2);
    expect(teachersReply(all, 3).buttons?.at(-1)?.map((b) => b.label)).toEqual(['Назад', 'Меню']);
  });

  it('fitText cuts long lists with a note', () => {
    const text = fitText(Array.from({ length: 1000 }, (_, i) => `строка ${i}`));
    expect(text.length).toBeLessThan(4096);
    expect(text).toMatch(/…и ещё \d+\.$/);
  });
});
