import { describe, expect, it } from 'vitest';
import { looksLikeDate, parseRussianDate } from '../../../src/domain/validation/russian-date.js';

/** A fixed school-local «today»: Thursday 3 December 2026. */
const TODAY = '2026-12-03';
const past = (text: string, today = TODAY) => parseRussianDate(text, { today, missingYear: 'past' });
const future = (text: string, today = TODAY) => parseRussianDate(text, { today, missingYear: 'future' });
const withYear = (text: string) => parseRussianDate(text, {});

describe('parseRussianDate', () => {
  it.each([
    ['1 декабря', '2026-12-01'],
    ['2 декабря', '2026-12-02'],
    ['3 декабря', '2026-12-03'],
    // Without a year a meeting is the most recent such day: 10 January is last January.
    ['10 января', '2026-01-10'],
    ['до 10 января', '2026-01-10'],
    ['1-го декабря', '2026-12-01'],
    ['1 дек', '2026-12-01'],
    ['1 дек.', '2026-12-01'],
    ['1 Декабря', '2026-12-01'],
    ['  1   декабря  ', '2026-12-01'],
    ['1 декабрь', '2026-12-01'],
    ['5 сентября 2026', '2026-09-05'],
    ['5 сентября 2026 г.', '2026-09-05'],
    ['5 сентября 2026 года', '2026-09-05'],
    ['1 мая', '2026-05-01'],
    ['8 марта', '2026-03-08'],
    ['12 июня', '2026-06-12'],
    ['12 июля', '2026-07-12'],
    ['30 ноября', '2026-11-30'],
    ['30 ноября.', '2026-11-30'],
    ['вчера', '2026-12-02'],
    ['Вчера', '2026-12-02'],
    ['позавчера', '2026-12-01'],
    ['сегодня', '2026-12-03'],
    ['10.01', '2026-01-10'],
    ['10.01.2027', '2027-01-10'],
    ['10.01.27', '2027-01-10'],
    ['5.9.26', '2026-09-05'],
    ['05/09/2026', '2026-09-05'],
    ['05-09-2026', '2026-09-05'],
    ['05.09.2026г', '2026-09-05'],
    ['с 05.09.2026', '2026-09-05'],
    ['на 1 декабря', '2026-12-01'],
  ])('past: %j → %s', (input, expected) => expect(past(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['до 10 января', '2027-01-10'],
    ['10 января', '2027-01-10'],
    ['10.01', '2027-01-10'],
    ['по 10.01', '2027-01-10'],
    ['3 декабря', '2026-12-03'],
    ['2 декабря', '2027-12-02'],
    ['завтра', '2026-12-04'],
    ['послезавтра', '2026-12-05'],
    ['10.01.2027', '2027-01-10'],
  ])('future: %j → %s', (input, expected) => expect(future(input)).toEqual({ ok: true, value: expected }));

  it.each([
    '',
    '18',
    '1',
    '25 человек',
    '32 декабря',
    '31.02.2026',
    '29.02.2027',
    '1 смарта',
    'декабрь',
    'давно',
    '1.13',
    '12:30',
    '2026-12-01',
    'первого декабря',
  ])('refuses %j', (input) => expect(past(input)).toEqual({ ok: false, error: 'bad_date' }));

  it('29 February without a year is refused in a common year and read in a leap one', () => {
    expect(past('29.02', '2027-03-01')).toEqual({ ok: false, error: 'bad_date' });
    expect(past('29 февраля', '2028-03-01')).toEqual({ ok: true, value: '2028-02-29' });
  });

  it('across the new year: «25 декабря» on 10 January is the last December, or the next one ahead', () => {
    expect(past('25 декабря', '2027-01-10')).toEqual({ ok: true, value: '2026-12-25' });
    expect(future('25 декабря', '2027-01-10')).toEqual({ ok: true, value: '2027-12-25' });
  });

  it('without a today: the year is required and relative words are not dates', () => {
    expect(withYear('1 сентября 2026')).toEqual({ ok: true, value: '2026-09-01' });
    expect(withYear('01.09.2026')).toEqual({ ok: true, value: '2026-09-01' });
    expect(withYear('1 сентября')).toEqual({ ok: false, error: 'bad_date' });
    expect(withYear('15.09')).toEqual({ ok: false, error: 'bad_date' });
    expect(withYear('завтра')).toEqual({ ok: false, error: 'bad_date' });
  });
});

describe('looksLikeDate', () => {
  it.each(['1 декабря', '2 декабря', '10.01', 'вчера'])('%j is a date', (text) => expect(looksLikeDate(text, TODAY)).toBe(true));
  it.each(['25', '18 человек', '0', 'двадцать'])('%j is not', (text) => expect(looksLikeDate(text, TODAY)).toBe(false));
});
