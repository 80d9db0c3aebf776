import { describe, expect, it } from 'vitest';

import { addressName, parseFullName } from '../../../src/domain/validation/full-name.js';

describe('parseFullName', () => {
  describe('accepts 2–4 Cyrillic words and normalises capitalisation and spacing', () => {
    it.each([
      ['surname, name and patronymic', 'Иванова Мария Петровна', 'Иванова Мария Петровна'],
      ['all lower case', 'иванова мария петровна', 'Иванова Мария Петровна'],
      ['all upper case', 'ИВАНОВА МАРИЯ ПЕТРОВНА', 'Иванова Мария Петровна'],
      ['mixed case', 'иВАНОВА мАРИЯ пЕТРОВНА', 'Иванова Мария Петровна'],
      ['surname and name only', 'Иванова Мария', 'Иванова Мария'],
      ['extra spaces, tabs and a newline', '  иванова \t мария\nпетровна  ', 'Иванова Мария Петровна'],
      ['a hyphenated surname', 'салтыкова-щедрина анна ивановна', 'Салтыкова-Щедрина Анна Ивановна'],
      ['ё', 'ёлкина алёна фёдоровна', 'Ёлкина Алёна Фёдоровна'],
      ['a four-word name with «оглы»', 'Алиев Рашид Али оглы', 'Алиев Рашид Али Оглы'],
    ])('%s', (_name, input, expected) => {
      expect(parseFullName(input)).toEqual({ ok: true, value: expected });
    });
  });

  describe('rejects too few words as too_short', () => {
    it.each([
      ['one word', 'Иванова'],
      ['one word with spaces around', '  Иванова  '],
      ['an empty message', ''],
      ['only spaces', '    '],
    ])('%s', (_name, input) => {
      expect(parseFullName(input)).toEqual({ ok: false, error: 'too_short' });
    });
  });

  describe('rejects too much text as too_long', () => {
    it('five words', () => {
      expect(parseFullName('Иванова Мария Петровна Лишнее Слово')).toEqual({ ok: false, error: 'too_long' });
    });

    it('more than 120 characters', () => {
      const long = `${'Иванова'.repeat(10)} ${'Мария'.repeat(10)}`;
      expect(long.length).toBeGreaterThan(120);
      expect(parseFullName(long)).toEqual({ ok: false, error: 'too_long' });
    });

    it('a sentence is too_long even when it is also not a name', () => {
      expect(parseFullName('меня зовут Мария и я учитель')).toEqual({ ok: false, error: 'too_long' });
    });
  });

  describe('rejects anything but Cyrillic words as not_cyrillic', () => {
    it.each([
      ['Latin letters', 'Ivanova Maria'],
      ['one Latin lookalike letter', 'Ивaнова Мария'],
      ['digits', 'Иванова Мария2'],
      ['punctuation', 'Иванова, Мария'],
      ['initials with dots', 'Иванова М. П.'],
      ['a word with two hyphens', 'Иванова-Петрова-Сидорова Анна'],
      ['a leading hyphen', '-Иванова Мария'],
      ['a trailing hyphen', 'Иванова- Мария'],
    ])('%s', (_name, input) => {
      expect(parseFullName(input)).toEqual({ ok: false, error: 'not_cyrillic' });
    });
  });
});

describe('addressName', () => {
  it.each([
    ['drops the surname from a three-word name', 'Иванова Мария Петровна', 'Мария Петровна'],
    ['keeps the name of a two-word name', 'Иванова Мария', 'Мария'],
    ['keeps everything after the surname in a four-word name', 'Алиев Рашид Али Оглы', 'Рашид Али Оглы'],
    ['returns a single word unchanged', 'Мария', 'Мария'],
  ])('%s', (_name, input, expected) => {
    expect(addressName(input)).toBe(expected);
  });

  it('addresses a parsed name by name and patronymic', () => {
    const parsed = parseFullName('иванова мария петровна');
    expect(parsed.ok && addressName(parsed.value)).toBe('Мария Петровна');
  });
});

describe('parseFullName regressions', () => {
  it('measures the length after trimming', () => {
    expect(parseFullName(`Иванова Мария${' '.repeat(120)}`)).toEqual({ ok: true, value: 'Иванова Мария' });
  });
});
