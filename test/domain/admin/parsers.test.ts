import { describe, expect, it } from 'vitest';
import { formatDateRanges, parseAdminDate, parseHolidays, parseLocalAct } from '../../../src/domain/admin/parsers.js';

describe('parseAdminDate', () => {
  it.each([
    ['15.09.2026', '2026-09-15'],
    ['1.9.26', '2026-09-01'],
    ['01-09-2026', '2026-09-01'],
    ['01.09.2026 г.', '2026-09-01'],
  ])('%j → %s', (input, expected) => expect(parseAdminDate(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['31.02.2026', 'bad_date'],
    ['15.09', 'bad_date'],
    ['завтра', 'bad_date'],
    ['01.01.2020', 'out_of_range'],
    ['01.01.2031', 'out_of_range'],
  ])('%j → %s', (input, error) => expect(parseAdminDate(input)).toEqual({ ok: false, error }));
});

describe('parseLocalAct', () => {
  it.each([
    ['№ 12-од от 01.09.2026', { number: '12-од', date: '2026-09-01' }],
    ['12-од 01.09.2026', { number: '12-од', date: '2026-09-01' }],
    ['приказ №64/2 от 1.9.26 г.', { number: '64/2', date: '2026-09-01' }],
    ['  №  5   от   02.09.2026 ', { number: '5', date: '2026-09-02' }],
  ])('%j', (input, expected) => expect(parseLocalAct(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['№ 12-од', 'no_date'],
    ['от 01.09.2026', 'no_number'],
    ['01.09.2026', 'no_number'],
    ['№ от 01.09.2026', 'no_number'],
    ['№ 12 от 31.02.2026', 'bad_date'],
    ['№ 12 от 01.09.2019', 'out_of_range'],
  ])('%j → %s', (input, error) => expect(parseLocalAct(input)).toEqual({ ok: false, error }));
});

describe('parseHolidays', () => {
  it('expands ranges, merges duplicates and sorts', () => {
    const parsed = parseHolidays('30.12.2026, 29.12.2026–31.12.2026\n04.11.2026');
    expect(parsed).toEqual({ ok: true, value: ['2026-11-04', '2026-12-29', '2026-12-30', '2026-12-31'] });
  });

  it('reads «с … по …» and a plain hyphen between dates', () => {
    expect(parseHolidays('с 01.11.2026 по 03.11.2026')).toEqual({ ok: true, value: ['2026-11-01', '2026-11-02', '2026-11-03'] });
    expect(parseHolidays('01.11.2026-02.11.2026')).toEqual({ ok: true, value: ['2026-11-01', '2026-11-02'] });
  });

  it.each([
    ['03.11.2026–01.11.2026', 'reversed'],
    ['01.01.2026–31.12.2027', 'too_many'],
    ['каникулы', 'bad_date'],
    ['', 'bad_date'],
  ])('%j → %s', (input, error) => expect(parseHolidays(input)).toEqual({ ok: false, error }));
});

describe('formatDateRanges', () => {
  it('collapses consecutive days', () => {
    expect(formatDateRanges(['2026-11-04', '2026-10-31', '2026-11-01', '2026-11-02', '2026-12-30'])).toBe('31.10.2026–02.11.2026, 04.11.2026, 30.12.2026');
  });
});
