import { describe, expect, it } from 'vitest';

import { adminActions } from '../../src/domain/admin/payload.js';
import { type Payload, parsePayload } from '../../src/domain/payload.js';

describe('parsePayload', () => {
  describe('accepts every payload the bot sends', () => {
    const valid: Payload[] = [
      { a: 'menu' },
      { a: 'next' },
      { a: 'progress' },
      { a: 'help' },
      { a: 'edit' },
      { a: 'redo', t: 'chats' },
      { a: 'redo', t: 'chats', c: '5А' },
      { a: 'redo', t: 'qr', c: '11Б' },
      { a: 'redo', t: 'qr', c: '1Ё' },
      { a: 'done', t: 'messengers' },
      { a: 'done', t: 'eo_link' },
      { a: 'na', t: 'only_sferum' },
      { a: 'no_classes' },
      { a: 'cancel' },
      { a: 'poster' },
      { a: 'poster', c: '5А' },
      { a: 'snooze', d: 1 },
      { a: 'snooze', d: 7 },
      { a: 'leave' },
    ];

    it.each(valid)('%j', (payload) => {
      expect(parsePayload(payload)).toEqual({ kind: 'payload', payload });
    });

    it('accepts what survives a JSON round trip, as VK delivers it', () => {
      const payload: Payload = { a: 'redo', t: 'chats', c: '7Б' };
      expect(parsePayload(JSON.parse(JSON.stringify(payload)))).toEqual({ kind: 'payload', payload });
    });

    it('keeps every payload within VK\'s 255-byte limit, even with a 32-character code', () => {
      const longest: Payload = { a: 'redo', t: `a${'b'.repeat(31)}`, c: '11Ё' };
      expect(parsePayload(longest).kind).toBe('payload');
      expect(Buffer.byteLength(JSON.stringify(longest))).toBeLessThanOrEqual(255);
    });
  });

  describe('recognises VK\'s own start button', () => {
    it('{"command":"start"}', () => {
      expect(parsePayload({ command: 'start' })).toEqual({ kind: 'start' });
    });

    it('as parsed from the raw JSON string', () => {
      expect(parsePayload(JSON.parse('{"command":"start"}'))).toEqual({ kind: 'start' });
    });

    it('but not another command', () => {
      expect(parsePayload({ command: 'stop' })).toEqual({ kind: 'forged' });
    });
  });

  describe('treats anything else as forged', () => {
    it.each([
      ['an unknown action', { a: 'delete_all' }],
      ['an action in another case', { a: 'Menu' }],
      ['a missing action', { t: 'chats' }],
      ['an empty object', {}],
      ['an extra key on a bare action', { a: 'menu', x: 1 }],
      ['a poster of a class that cannot exist', { a: 'poster', c: '12А' }],
      ['an extra key on a task action', { a: 'done', t: 'messengers', c: '5А' }],
      ['a class on na', { a: 'na', t: 'chats', c: '5А' }],
      ['a missing task code', { a: 'done' }],
      ['a task code with upper case', { a: 'done', t: 'Chats' }],
      ['a task code with a hyphen', { a: 'redo', t: 'only-sferum' }],
      ['a task code starting with a digit', { a: 'na', t: '1chats' }],
      ['an empty task code', { a: 'done', t: '' }],
      ['a task code of 33 characters', { a: 'done', t: `a${'b'.repeat(32)}` }],
      ['a task code that is a number', { a: 'done', t: 1 }],
      ['class 0', { a: 'redo', t: 'chats', c: '0А' }],
      ['class 12', { a: 'redo', t: 'chats', c: '12А' }],
      ['a class without a letter', { a: 'redo', t: 'chats', c: '5' }],
      ['a class with a Latin letter', { a: 'redo', t: 'chats', c: '5A' }],
      ['a class with a lower-case letter', { a: 'redo', t: 'chats', c: '5а' }],
      ['a class with a space', { a: 'redo', t: 'chats', c: '5 А' }],
      ['a null class', { a: 'redo', t: 'chats', c: null }],
      ['the start command with an action', { a: 'start' }],
      ['a snooze of 3 days', { a: 'snooze', d: 3 }],
      ['a snooze without days', { a: 'snooze' }],
      ['a snooze of "1"', { a: 'snooze', d: '1' }],
      ['a leave with a date', { a: 'leave', until: '2026-12-31' }],
      ['the admin remind button with a school injected', { a: 'ad_remind', s: "' or 1=1 --" }],
    ])('%s', (_name, raw) => {
      expect(parsePayload(raw)).toEqual({ kind: 'forged' });
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'menu'],
      ['a number', 42],
      ['an array', [{ a: 'menu' }]],
    ])('%s', (_name, raw) => {
      expect(parsePayload(raw)).toEqual({ kind: 'forged' });
    });
  });
});

describe('admin payloads', () => {
  const id = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

  it('every admin button parses and fits in 255 bytes with the longest arguments', () => {
    for (const action of adminActions) {
      const payload = { a: action, ...(['ad_school'].includes(action) ? { s: id } : {}), ...(action === 'ad_teachers' ? { p: 1000 } : {}), ...(/^ad_(teacher|edit|leave|deactivate|activate|erase|erase_yes|audit)$/.test(action) ? { t: id } : {}) };
      expect(parsePayload(payload), action).toEqual({ kind: 'payload', payload });
      expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(255);
    }
  });

  it.each([
    { a: 'ad_teacher' },
    { a: 'ad_teacher', t: 'not-an-id' },
    { a: 'ad_teacher', t: "'; drop table teachers; --" },
    { a: 'ad_summary', school: 'all' },
    { a: 'ad_teachers', p: -1 },
    { a: 'ad_school', s: 123 },
    { a: 'ad_nothing' },
  ])('treats %j as forged', (raw) => {
    expect(parsePayload(raw)).toEqual({ kind: 'forged' });
  });
});

