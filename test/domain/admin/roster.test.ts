import { describe, expect, it } from 'vitest';
import type { RosterLine, RosterTeacher } from '../../../src/domain/admin/model.js';
import { MAX_ROSTER_LINES, parseRosterRows, planRoster, resolveRoster, screenNamesOf, splitPastedRoster } from '../../../src/domain/admin/roster.js';
import { parseVkRef } from '../../../src/domain/validation/vk-ref.js';

describe('parseVkRef', () => {
  it.each([
    ['123', { kind: 'id', id: 123 }],
    ['id123', { kind: 'id', id: 123 }],
    ['vk.com/id123', { kind: 'id', id: 123 }],
    ['https://vk.com/id123?w=wall', { kind: 'id', id: 123 }],
    ['https://m.vk.ru/id42/', { kind: 'id', id: 42 }],
    ['https://vk.com/Petrov_IS', { kind: 'screen', name: 'petrov_is' }],
    ['@ivanova.m', { kind: 'screen', name: 'ivanova.m' }],
    ['ivanova_m', { kind: 'screen', name: 'ivanova_m' }],
    ['', null],
    ['   ', null],
  ])('%j', (input, expected) => {
    expect(parseVkRef(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['vk.com/club123', 'https://vk.com/public5', 'https://example.com/id5', 'Иванова', 'id0', '0', 'a', 'vk.com/', '9'.repeat(20)])('rejects %j', (input) => {
    expect(parseVkRef(input)).toEqual({ ok: false, error: 'bad_vk' });
  });
});

describe('splitPastedRoster', () => {
  it('splits on «;», or on tabs when the lines come from a spreadsheet', () => {
    expect(splitPastedRoster('А Б В; 1; 5А\nГ Д Е\t2\t6Б')).toEqual([
      ['А Б В', '1', '5А'],
      ['Г Д Е', '2', '6Б'],
    ]);
  });
});

describe('parseRosterRows', () => {
  it('skips a header and blank rows, normalises names and classes, numbers lines as sent', () => {
    const draft = parseRosterRows([['ФИО', 'VK', 'Классы'], [], ['иванова мария петровна', 'id5', '5a, 7б'], ['', '', ''], ['Петров Иван Сергеевич', '', '']]);
    expect(draft.problems).toEqual([]);
    expect(draft.lines).toEqual([
      { line: 3, fullName: 'Иванова Мария Петровна', vk: { kind: 'id', id: 5 }, classes: ['5А', '7Б'] },
      { line: 5, fullName: 'Петров Иван Сергеевич', vk: null, classes: [] },
    ]);
  });

  it('reports every problem of a line with the offending cell', () => {
    const draft = parseRosterRows([['Ivan', 'club1', '13Я'], ['Одно']]);
    expect(draft.lines).toEqual([]);
    expect(draft.problems).toEqual([
      { line: 1, code: 'name_short', value: 'Ivan' },
      { line: 1, code: 'vk_bad', value: 'club1' },
      { line: 1, code: 'classes_bad', value: '13Я' },
      { line: 2, code: 'columns', value: 'Одно' },
    ]);
  });

  it('accepts trailing empty cells from spreadsheets but not a fourth column with data', () => {
    expect(parseRosterRows([['Иванова Мария Петровна', '1', '5А', '', '']]).lines).toHaveLength(1);
    expect(parseRosterRows([['Иванова Мария Петровна', '1', '5А', 'лишнее']]).problems[0]?.code).toBe('columns');
  });

  it('refuses more lines than a school has teachers', () => {
    const rows = Array.from({ length: MAX_ROSTER_LINES + 1 }, (_, i) => ['Иванова Мария Петровна', String(i + 1), '']);
    expect(parseRosterRows(rows)).toEqual({ lines: [], problems: [{ line: MAX_ROSTER_LINES + 1, code: 'too_many_lines', value: String(MAX_ROSTER_LINES + 1) }] });
  });
});

describe('resolveRoster', () => {
  it('replaces short names by ids, reports unknown ones and repeated people', () => {
    const draft = parseRosterRows([
      ['Иванова Мария Петровна', 'vk.com/ivanova', ''],
      ['Петров Иван Сергеевич', 'vk.com/ghost', ''],
      ['Сидорова Анна Ивановна', '77', ''],
      ['Кузнецова Ольга Олеговна', 'id77', ''],
      ['Белова Дина Руслановна', '', ''],
      ['белова дина руслановна', '', ''],
    ]);
    expect(screenNamesOf(draft)).toEqual(['ivanova', 'ghost']);
    const { lines, problems } = resolveRoster(draft, new Map([['ivanova', 10]]));
    expect(lines.map((l) => [l.line, l.vkId])).toEqual([
      [1, 10],
      [3, 77],
      [5, null],
    ]);
    expect(problems).toEqual([
      { line: 2, code: 'vk_unknown', value: 'ghost' },
      { line: 4, code: 'duplicate', value: 'Кузнецова Ольга Олеговна' },
      { line: 6, code: 'duplicate', value: 'Белова Дина Руслановна' },
    ]);
  });
});

describe('planRoster', () => {
  const teacher = (overrides: Partial<RosterTeacher>): RosterTeacher => ({
    id: 't1',
    schoolId: 's',
    claimCode: null,
    vkId: 1,
    fullName: 'Иванова Мария Петровна',
    classes: ['5А'],
    active: true,
    startedAt: null,
    finishedAt: null,
    unreachableAt: null,
    leaveUntil: null,
    completions: [],
    ...overrides,
  });
  const line = (overrides: Partial<RosterLine>): RosterLine => ({ line: 1, fullName: 'Иванова Мария Петровна', vkId: 1, classes: ['5А'], ...overrides });

  it('is idempotent: the same line twice is "same" the second time', () => {
    expect(planRoster([line({})], [teacher({})], new Set()).changes.map((c) => c.kind)).toEqual(['same']);
    expect(planRoster([line({})], [], new Set()).changes.map((c) => c.kind)).toEqual(['new']);
  });

  it('updates changed classes or name, and brings back a deactivated teacher', () => {
    expect(planRoster([line({ classes: ['6А'] })], [teacher({})], new Set()).changes[0]?.kind).toBe('update');
    expect(planRoster([line({ fullName: 'Иванова Мария Павловна' })], [teacher({})], new Set()).changes[0]?.kind).toBe('update');
    expect(planRoster([line({})], [teacher({ active: false })], new Set()).changes[0]?.kind).toBe('update');
  });

  it('matches a line without VK id by name and keeps the id the teacher has since', () => {
    const [change] = planRoster([line({ vkId: null })], [teacher({ vkId: 99 })], new Set()).changes;
    expect(change).toMatchObject({ kind: 'same', line: { vkId: 99 } });
  });

  it('gives a same-named teacher without an id the id of the line, but never takes another person\'s row', () => {
    expect(planRoster([line({ vkId: 5 })], [teacher({ vkId: null })], new Set()).changes[0]).toMatchObject({ kind: 'update', line: { vkId: 5 } });
    expect(planRoster([line({ vkId: 5 })], [teacher({ vkId: 6 })], new Set()).changes[0]?.kind).toBe('new');
  });

  it('refuses a VK id held by a teacher of another school', () => {
    expect(planRoster([line({ vkId: 5 })], [], new Set([5]))).toEqual({ changes: [], problems: [{ line: 1, code: 'vk_taken', value: '5' }] });
  });
});
