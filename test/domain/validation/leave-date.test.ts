import { describe, expect, it } from 'vitest';
import { parseLeaveDate } from '../../../src/domain/validation/leave-date.js';

const today = '2026-12-08';

describe('parseLeaveDate', () => {
  it.each([
    ['25.12.2026', '2026-12-25'],
    ['25.12.26', '2026-12-25'],
    ['5.1.2027', '2027-01-05'],
    ['08.12.2026', '2026-12-08'],
    ['25/12/2026', '2026-12-25'],
    ['  25.12.2026 г. ', '2026-12-25'],
    ['25.12', '2026-12-25'],
    ['10.01', '2027-01-10'],
    ['08.12', '2026-12-08'],
    ['09.12.2027', '2027-12-09'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseLeaveDate(input, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['yesterday', '07.12.2026', 'past_date'],
    ['last year', '25.12.2025', 'past_date'],
    ['more than a year ahead', '10.12.2027', 'too_far'],
    ['a typo in the year', '25.12.2062', 'too_far'],
    ['31 February', '31.02.2027', 'bad_date'],
    ['29 February of a common year', '29.02.2027', 'bad_date'],
    ['words', 'до конца месяца', 'bad_date'],
    ['month 13', '01.13.2027', 'bad_date'],
    ['nothing', '', 'bad_date'],
  ])('rejects %s (%j)', (_name, input, error) => {
    expect(parseLeaveDate(input, today)).toEqual({ ok: false, error });
  });
});
