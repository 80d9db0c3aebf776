import { describe, expect, it } from 'vitest';

import { EARLIEST_REPORT_DATE, parseCount, parseReportDate } from '../../../src/domain/validation/report-values.js';

/** All date tests run against a fixed school-local «today». */
const TODAY = '2026-09-10';
const date = (text: string, today = TODAY) => parseReportDate(text, today);

describe('parseReportDate', () => {
  describe('accepts the usual ways of writing a date', () => {
    it.each([
      ['DD.MM.YYYY', '05.09.2026', '2026-09-05'],
      ['D.M.YYYY', '5.9.2026', '2026-09-05'],
      ['D.M.YY', '5.9.26', '2026-09-05'],
      ['DD.MM.YY', '05.09.26', '2026-09-05'],
      ['slashes', '05/09/2026', '2026-09-05'],
      ['hyphens', '05-09-2026', '2026-09-05'],
      ['with «г.»', '05.09.2026 г.', '2026-09-05'],
      ['with «г» and no space', '05.09.2026г', '2026-09-05'],
      ['surrounding spaces', '  05.09.2026  ', '2026-09-05'],
      ['today written as a date', '10.09.2026', '2026-09-10'],
    ])('%s', (_name, input, expected) => {
      expect(date(input)).toEqual({ ok: true, value: expected });
    });
  });

  describe('completes a date without a year with the year of today', () => {
    it('DD.MM', () => {
      expect(date('05.09')).toEqual({ ok: true, value: '2026-09-05' });
    });

    it('D.M', () => {
      expect(date('1.2', '2027-03-15')).toEqual({ ok: true, value: '2027-02-01' });
    });
  });

  describe('reads a two-digit year as 20YY', () => {
    it.each([
      ['24', '01.09.24', '2024-09-01'],
      ['25', '15.05.25', '2025-05-15'],
    ])('%s', (_name, input, expected) => {
      expect(date(input)).toEqual({ ok: true, value: expected });
    });

    it('so a year in the future is future_date, not the 1900s', () => {
      expect(date('05.09.99')).toEqual({ ok: false, error: 'future_date' });
    });
  });

  describe('understands «сегодня» and «вчера» relative to the given today', () => {
    it.each([
      ['«сегодня»', 'сегодня', TODAY, TODAY],
      ['capitalised «Сегодня»', 'Сегодня', TODAY, TODAY],
      ['«СЕГОДНЯ» with spaces', '  СЕГОДНЯ ', TODAY, TODAY],
      ['«вчера»', 'вчера', TODAY, '2026-09-09'],
      ['capitalised «Вчера»', 'Вчера', TODAY, '2026-09-09'],
      ['«вчера» across a month boundary', 'вчера', '2026-10-01', '2026-09-30'],
      ['«вчера» across a year boundary', 'вчера', '2027-01-01', '2026-12-31'],
      ['«вчера» after 29 February', 'вчера', '2028-03-01', '2028-02-29'],
      ['«вчера» after 28 February in a common year', 'вчера', '2027-03-01', '2027-02-28'],
    ])('%s', (_name, input, today, expected) => {
      expect(date(input, today)).toEqual({ ok: true, value: expected });
    });
  });

  describe('rejects impossible dates as bad_date', () => {
    it.each([
      ['31 February', '31.02.2026'],
      ['30 February', '30.02.2026'],
      ['29 February in a common year', '29.02.2025'],
      ['31 April', '31.04.2026'],
      ['day 0', '00.09.2026'],
      ['day 32', '32.01.2026'],
      ['month 0', '05.00.2026'],
      ['month 13', '05.13.2026'],
    ])('%s', (_name, input) => {
      expect(date(input)).toEqual({ ok: false, error: 'bad_date' });
    });

    it('accepts 29 February in a leap year', () => {
      expect(date('29.02.2028', '2028-03-10')).toEqual({ ok: true, value: '2028-02-29' });
    });
  });

  describe('rejects what is not a date as bad_date', () => {
    it.each([
      ['words', 'в начале сентября'],
      ['an empty message', ''],
      ['a number', '5'],
      ['a three-digit year', '05.09.202'],
      ['a five-digit year', '05.09.20266'],
      ['ISO order', '2026-09-05'],
      ['«сегодня» inside a sentence', 'сегодня утром'],
    ])('%s', (_name, input) => {
      expect(date(input)).toEqual({ ok: false, error: 'bad_date' });
    });
  });

  describe('rejects dates after today as future_date', () => {
    it.each([
      ['tomorrow', '11.09.2026'],
      ['next year', '05.09.2027'],
    ])('%s', (_name, input) => {
      expect(date(input)).toEqual({ ok: false, error: 'future_date' });
    });

    it('«завтра» is a future date, not an unknown word', () => {
      expect(date('завтра')).toEqual({ ok: false, error: 'future_date' });
    });

    it('compares with the given today, not the machine clock', () => {
      expect(date('05.09.2026', '2026-09-04')).toEqual({ ok: false, error: 'future_date' });
      expect(date('05.09.2026', '2026-09-05')).toEqual({ ok: true, value: '2026-09-05' });
    });
  });

  describe(`rejects dates before the order (${EARLIEST_REPORT_DATE}) as too_old`, () => {
    it('the earliest date is the order\'s own, 19 August 2024', () => {
      expect(EARLIEST_REPORT_DATE).toBe('2024-08-19');
    });

    it.each([
      ['the day before', '18.08.2024'],
      ['an earlier year', '05.09.2023'],
      ['a two-digit earlier year', '05.09.23'],
    ])('%s', (_name, input) => {
      expect(date(input)).toEqual({ ok: false, error: 'too_old' });
    });

    it('accepts the earliest date itself', () => {
      expect(date('19.08.2024')).toEqual({ ok: true, value: '2024-08-19' });
    });
  });
});

describe('parseCount', () => {
  describe('accepts a whole number up to max, optionally followed by words', () => {
    it.each([
      ['a number', '18', 100, 18],
      ['zero', '0', 10, 0],
      ['exactly max', '1000', 1000, 1000],
      ['a leading zero', '018', 100, 18],
      ['surrounding spaces', '  7  ', 10, 7],
      ['followed by a word', '18 человек', 100, 18],
      ['followed by an abbreviation', '18 чел.', 100, 18],
      ['followed by several words', '25 родителей всего', 100, 25],
      ['followed by a capitalised word', '18 Человек', 100, 18],
      ['seven digits', '1234567', 2_000_000, 1_234_567],
    ])('%s', (_name, input, max, expected) => {
      expect(parseCount(input, max, TODAY)).toEqual({ ok: true, value: expected });
    });
  });

  describe('rejects a number above max as too_big', () => {
    it.each([
      ['one above max', '1001', 1000],
      ['far above max', '5000 человек', 2000],
      ['anything above max 0', '1', 0],
    ])('%s', (_name, input, max) => {
      expect(parseCount(input, max, TODAY)).toEqual({ ok: false, error: 'too_big' });
    });
  });

  describe('rejects anything else as not_number', () => {
    it.each([
      ['an empty message', ''],
      ['words', 'восемнадцать'],
      ['a negative number', '-5'],
      ['a fraction with a point', '5.5'],
      ['a fraction with a comma', '5,5'],
      ['words before the number', 'около 18'],
      ['a word glued to the number', '18человек'],
      ['Latin words after the number', '18 people'],
      ['two numbers', '18 20'],
      ['a range', '18-20'],
      ['eight digits', '12345678'],
    ])('%s', (_name, input) => {
      expect(parseCount(input, 100_000_000, TODAY)).toEqual({ ok: false, error: 'not_number' });
    });
  });
});

describe('parseCount refuses a date where a number is asked', () => {
  it.each(['1 декабря', '2 декабря', '18 сентября', 'вчера'])('%j', (input) => {
    expect(parseCount(input, 2000, TODAY)).toEqual({ ok: false, error: 'date' });
  });
});

describe('parseReportDate regressions', () => {
  it('reads dates as people write them', () => {
    expect(parseReportDate('1 сентября', TODAY)).toEqual({ ok: true, value: '2026-09-01' });
    expect(parseReportDate('2 сентября', TODAY)).toEqual({ ok: true, value: '2026-09-02' });
  });

  it('reads a date without a year as the most recent one', () => {
    expect(parseReportDate('25.12', '2027-01-10')).toEqual({ ok: true, value: '2026-12-25' });
  });

  it('applies the cut-off to «вчера» too', () => {
    expect(parseReportDate('вчера', '2024-08-19')).toEqual({ ok: false, error: 'too_old' });
  });
});
