import { describe, expect, it } from 'vitest';

import { MAX_CLASSES, parseClassList } from '../../../src/domain/validation/class-list.js';

/** `count` distinct classes «1А», «2А», … using grades 1–11 and then the next letter. */
const distinctClasses = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${(i % 11) + 1}${'АБВГ'[Math.floor(i / 11)]}`);

describe('parseClassList', () => {
  describe('parses and normalises class names', () => {
    it.each([
      ['a comma-separated list', '5А, 7Б', ['5А', '7Б']],
      ['a single class', '5А', ['5А']],
      ['lower-case letters', '5а, 7б', ['5А', '7Б']],
      ['two-digit grades', '10А, 11а', ['10А', '11А']],
      ['«11а»', '11а', ['11А']],
      ['spaces between the classes', '5А 7Б', ['5А', '7Б']],
      ['semicolons', '5А;7Б', ['5А', '7Б']],
      ['one class per line', '5А\n7Б\n9В', ['5А', '7Б', '9В']],
      ['a space between grade and letter', '5 А, 10 Б', ['5А', '10Б']],
      ['a hyphen between grade and letter', '5-А, 7 - Б', ['5А', '7Б']],
      ['an en dash between grade and letter', '5–А', ['5А']],
      ['the letter in quotes', '5 «А», 7"Б"', ['5А', '7Б']],
      ['space-separated classes with spaced letters', '5 А 7 Б', ['5А', '7Б']],
      ['Ё as the letter', '5ё', ['5Ё']],
      ['surrounding whitespace and trailing separators', '  5А, 7Б,  ', ['5А', '7Б']],
    ])('%s', (_name, input, expected) => {
      expect(parseClassList(input)).toEqual({ ok: true, value: expected });
    });

    it('keeps the order in which the teacher listed the classes', () => {
      expect(parseClassList('9В, 5А, 7Б')).toEqual({ ok: true, value: ['9В', '5А', '7Б'] });
    });
  });

  describe('reads Latin lookalike letters as the Cyrillic ones', () => {
    it.each([
      ['A', '5A', '5А'],
      ['a', '5a', '5А'],
      ['B', '6B', '6В'],
      ['E', '7E', '7Е'],
      ['K', '8K', '8К'],
      ['M', '9M', '9М'],
      ['H', '10H', '10Н'],
      ['O', '11O', '11О'],
      ['P', '1P', '1Р'],
      ['C', '2C', '2С'],
      ['c', '2c', '2С'],
      ['T', '3T', '3Т'],
      ['X', '4X', '4Х'],
    ])('Latin %s', (_letter, input, expected) => {
      const result = parseClassList(input);
      expect(result).toEqual({ ok: true, value: [expected] });
      // The normalised name is pure Cyrillic, so «5A» and «5А» are the same class.
      expect(result.ok && /^[0-9А-ЯЁ]+$/.test(result.value[0] ?? '')).toBe(true);
    });

    it('rejects a Latin letter with no Cyrillic lookalike', () => {
      expect(parseClassList('5D')).toEqual({ ok: false, error: 'bad_class' });
      expect(parseClassList('5Y')).toEqual({ ok: false, error: 'bad_class' });
    });
  });

  describe('removes duplicates', () => {
    it('of the same spelling', () => {
      expect(parseClassList('5А, 5А, 7Б')).toEqual({ ok: true, value: ['5А', '7Б'] });
    });

    it('of different case and Latin/Cyrillic spellings, keeping the first position', () => {
      expect(parseClassList('5A, 7Б, 5а, 5 «А»')).toEqual({ ok: true, value: ['5А', '7Б'] });
    });
  });

  describe('reads «no class» answers as an empty list', () => {
    it.each(['нет', 'Нет', 'НЕТ', '  нет  ', 'нет классов', 'Без класса', '0', '-'])('%j', (input) => {
      expect(parseClassList(input)).toEqual({ ok: true, value: [] });
    });
  });

  describe('rejects an answer with no classes in it as empty', () => {
    it.each(['', '   ', ',', ' , ; ', '\n\n'])('%j', (input) => {
      expect(parseClassList(input)).toEqual({ ok: false, error: 'empty' });
    });
  });

  describe('rejects malformed classes as bad_class', () => {
    it.each([
      ['grade 0', '0А'],
      ['grade 12', '12А'],
      ['grade 12 among valid classes', '5А, 12Б'],
      ['a grade without a letter', '5'],
      ['a letter without a grade', 'А'],
      ['two letters', '5АБ'],
      ['a word', 'пятый'],
      ['two classes run together', '5А7Б'],
      ['a negative grade', '-5А'],
      ['a sentence', 'я классный руководитель 5А'],
    ])('%s', (_name, input) => {
      expect(parseClassList(input)).toEqual({ ok: false, error: 'bad_class' });
    });
  });

  describe('limits the number of classes', () => {
    it(`accepts ${MAX_CLASSES} classes`, () => {
      const classes = distinctClasses(MAX_CLASSES);
      expect(parseClassList(classes.join(', '))).toEqual({ ok: true, value: classes });
    });

    it(`rejects ${MAX_CLASSES + 1} classes as too_many`, () => {
      expect(parseClassList(distinctClasses(MAX_CLASSES + 1).join(', '))).toEqual({ ok: false, error: 'too_many' });
    });

    it('allows at most eight classes: nine homeroom classes are a list of taught classes', () => {
      expect(MAX_CLASSES).toBe(8);
      expect(parseClassList('1А, 2А, 3А, 4А, 5А, 6А, 7А, 8А, 9А')).toEqual({ ok: false, error: 'too_many' });
    });

    it('counts classes after removing duplicates', () => {
      const classes = distinctClasses(MAX_CLASSES);
      expect(parseClassList([...classes, ...classes].join(', '))).toEqual({ ok: true, value: classes });
    });
  });
});

describe('parseClassList regressions', () => {
  it.each([
    ['5a, 7b', { ok: false, error: 'bad_class' }],
    ['5a, 7c', { ok: true, value: ['5А', '7С'] }],
    ['5А и 7Б', { ok: true, value: ['5А', '7Б'] }],
    ['5А, 7Б.', { ok: true, value: ['5А', '7Б'] }],
    ['нет.', { ok: true, value: [] }],
    ['5—А', { ok: true, value: ['5А'] }],
  ])('%s', (input, expected) => {
    expect(parseClassList(input)).toEqual(expected);
  });
});
