import { describe, expect, it } from 'vitest';
import { adminEntryPoints, isAdminOnlyInput } from '../../../src/domain/admin/commands.js';
import { decide } from '../../../src/domain/admin/machine.js';
import type { AdminStep } from '../../../src/domain/admin/state.js';
import { parseAdminState } from '../../../src/domain/admin/state.js';
import { press, text } from '../../support/admin-driver.js';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const menu: AdminStep = { kind: 'menu' };

describe('decide', () => {
  it('a button or command leaves any pending question', () => {
    expect(decide({ kind: 'local_act' }, press({ a: 'ad_summary' }))).toEqual({ step: menu, intent: { type: 'summary' } });
    expect(decide({ kind: 'deadline', back: 'settings' }, text('Отстающие.'))).toEqual({ step: menu, intent: { type: 'laggards' } });
    expect(decide({ kind: 'eo' }, text('отмена'))).toEqual({ step: menu, intent: { type: 'menu' } });
    expect(decide(menu, text('учителя'))).toEqual({ step: menu, intent: { type: 'teachers', page: 0 } });
  });

  it('answers the pending question, or repeats it with a hint', () => {
    expect(decide({ kind: 'local_act' }, text('№ 7 от 02.09.2026'))).toEqual({ step: menu, intent: { type: 'local_act', number: '7', date: '2026-09-02' } });
    const wrong = decide({ kind: 'local_act' }, text('скоро'));
    expect(wrong.step).toEqual({ kind: 'local_act' });
    expect(wrong.intent).toMatchObject({ type: 'ask', hint: expect.stringContaining('Не вижу даты') });
    expect(decide({ kind: 'deadline', back: 'settings' }, text('нет')).intent).toEqual({ type: 'deadline', date: null, back: 'settings' });
    expect(decide({ kind: 'leave', teacherId: T1 }, text('по 30.09.2026')).intent).toEqual({ type: 'leave', teacherId: T1, until: '2026-09-30' });
    expect(decide({ kind: 'eo' }, text('x'.repeat(2001))).intent).toMatchObject({ type: 'ask', hint: expect.stringContaining('2000') });
    expect(decide({ kind: 'school_link' }, text('Готово')).intent).toEqual({ type: 'school_link', note: null });
  });

  it('greets an administrator who says hello, at any step (issue 13, item 14)', () => {
    for (const hello of ['Здравствуйте', 'здравствуйте!', 'Добрый день', 'Привет', 'Ассаламу алейкум']) {
      expect(decide(menu, text(hello))).toEqual({ step: menu, intent: { type: 'menu', notice: 'Здравствуйте!' } });
    }
    expect(decide({ kind: 'deadline', back: 'settings' }, text('Добрый день!')).intent).toEqual({ type: 'menu', notice: 'Здравствуйте!' });
    expect(decide(menu, text('здравствуйте, как выгрузить отчёт')).intent).toMatchObject({ notice: expect.stringContaining('Не понял') });
  });

  it('a deadline opened from «Школьные задачи» goes back there, when set or cancelled (item 15)', () => {
    const opened = decide({ kind: 'menu' }, press({ a: 'ad_deadline', b: 'school_tasks' }));
    expect(opened.step).toEqual({ kind: 'deadline', back: 'school_tasks' });
    expect(decide(opened.step, text('20 декабря 2026')).intent).toEqual({ type: 'deadline', date: '2026-12-20', back: 'school_tasks' });
    expect(decide(opened.step, press({ a: 'ad_cancel' })).intent).toEqual({ type: 'school_tasks' });
    expect(decide({ kind: 'menu' }, press({ a: 'ad_deadline' })).step).toEqual({ kind: 'deadline', back: 'settings' });
  });

  it('confirms only what was asked: the erasure of that same teacher, the code change after the question', () => {
    expect(decide({ kind: 'erase_confirm', teacherId: T1 }, press({ a: 'ad_erase_yes', t: T1 })).intent).toEqual({ type: 'erase', teacherId: T1 });
    expect(decide({ kind: 'erase_confirm', teacherId: T1 }, press({ a: 'ad_erase_yes', t: T2 })).intent).toEqual({ type: 'stale' });
    expect(decide(menu, press({ a: 'ad_erase_yes', t: T1 })).intent).toEqual({ type: 'stale' });
    expect(decide(menu, press({ a: 'ad_code_yes' })).intent).toEqual({ type: 'stale' });
    expect(decide({ kind: 'code_confirm' }, press({ a: 'ad_code_yes' })).intent).toEqual({ type: 'rotate_code' });
  });

  it('applies only a previewed roster', () => {
    const lines = [{ line: 1, fullName: 'Иванова Мария Петровна', vkId: 1, classes: [] }];
    expect(decide({ kind: 'import_preview', lines }, press({ a: 'ad_import_apply' })).intent).toEqual({ type: 'apply', lines });
    expect(decide(menu, press({ a: 'ad_import_apply' })).intent).toEqual({ type: 'nothing_to_apply' });
    const roster = decide(menu, { type: 'roster', lines, problems: [], dataLines: 1 });
    expect(roster.step).toEqual({ kind: 'import_preview', lines });
  });

  it('an edit takes exactly one valid line', () => {
    const one = [{ line: 1, fullName: 'Иванова Мария Петровна', vkId: 1, classes: [] }];
    expect(decide({ kind: 'edit_teacher', teacherId: T1 }, { type: 'roster', lines: one, problems: [], dataLines: 1 }).intent).toEqual({ type: 'edit', teacherId: T1, line: one[0] });
    expect(decide({ kind: 'edit_teacher', teacherId: T1 }, { type: 'roster', lines: [...one, { ...one[0]!, line: 2 }], problems: [], dataLines: 2 }).intent.type).toBe('ask');
  });
});

describe('admin entry points', () => {
  it('every one is admin-only input, and ordinary teacher words are not', () => {
    for (const entry of adminEntryPoints) {
      const input = entry.kind === 'text' ? text(entry.text) : press({ a: entry.action } as never);
      expect(isAdminOnlyInput(input), JSON.stringify(entry)).toBe(true);
    }
    for (const word of ['меню', 'прогресс', 'помощь', 'готово', 'отмена', 'Иванова Мария Петровна', 'импортный товар']) {
      expect(isAdminOnlyInput(text(word)), word).toBe(false);
    }
  });
});

describe('parseAdminState', () => {
  it('falls back to the menu for a state it cannot read', () => {
    expect(parseAdminState(null)).toEqual({ teacherMode: false, schoolId: null, step: menu });
    expect(parseAdminState({ step: { kind: 'no_such_step' } })).toEqual({ teacherMode: false, schoolId: null, step: menu });
  });
});
