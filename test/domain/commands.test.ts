import { describe, expect, it } from 'vitest';
import { adminActionOfText } from '../../src/domain/admin/commands.js';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { commandOf, normalizeCommand } from '../../src/domain/commands.js';
import { transition } from '../../src/domain/conversation/machine.js';
import { texts } from '../../src/domain/conversation/texts.js';
import { text } from '../support/conversation-driver.js';

const now = new Date('2026-09-10T09:00:00+03:00');
const school = { id: 'school-1', name: 'МКОУ «СОШ №4»' };
const teacher = { id: 't-1', schoolId: school.id, vkId: 100, fullName: 'Иванова Мария Петровна', classes: ['5А'], startedAt: now, finishedAt: null };
const context = { checklist: defaultChecklist, teacher, school, completions: [], now, today: '2026-09-10' };

describe('typed commands', () => {
  it('ignore case, spaces around and between words, and a final full stop or exclamation mark', () => {
    expect(normalizeCommand('  Мой   прогресс. ')).toBe('мой прогресс');
    expect(normalizeCommand('Напомнить\tотстающим !!')).toBe('напомнить отстающим');
    expect(normalizeCommand('МЕНЮ')).toBe('меню');
    expect(normalizeCommand('меню, пожалуйста')).toBe('меню, пожалуйста');
  });

  it('are read the same way for teachers and administrators (a teacher with two spaces used to get no command)', () => {
    expect(adminActionOfText('  Напомнить   отстающим. ')).toBe('ad_remind');
    const reply = transition({ kind: 'menu' }, text('  Справка   !'), context).replies[0];
    expect(reply?.text).toBe(`${texts.help}\n\n${texts.whoToAsk}`);
    const twoWords = transition({ kind: 'menu' }, text('Мой  прогресс'), context).replies[0];
    expect(twoWords?.text).toBe(transition({ kind: 'menu' }, text('прогресс'), context).replies[0]?.text);
  });

  it('never match a key every object inherits', () => {
    expect(commandOf({ меню: 'menu' }, 'constructor')).toBeUndefined();
    expect(commandOf({ меню: 'menu' }, 'toString')).toBeUndefined();
    // It used to be taken for a command with an action of `Object` and crash the machine.
    expect(transition({ kind: 'menu' }, text('constructor'), context).replies.length).toBeGreaterThan(0);
  });
});
