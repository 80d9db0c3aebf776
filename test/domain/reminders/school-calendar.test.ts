import { describe, expect, it } from 'vitest';
import { FIXED_HOLIDAYS, TRANSFERS, isFederalDayOff } from '../../../src/domain/reminders/holidays.js';
import { createSchoolCalendar } from '../../../src/domain/reminders/school-calendar.js';
import { isoWeekday } from '../../../src/domain/calendar.js';

const fiveDay = createSchoolCalendar({ workingDays: [1, 2, 3, 4, 5] }, []);

describe('a five-day school calendar', () => {
  it('works Monday to Friday', () => {
    expect(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'].every(fiveDay.isWorkingDay)).toBe(true);
    expect(fiveDay.isWorkingDay('2026-12-12')).toBe(false);
    expect(fiveDay.isWorkingDay('2026-12-13')).toBe(false);
  });

  it.each([
    ['2026-01-05', 'New Year holidays'],
    ['2026-01-07', 'Christmas'],
    ['2026-01-09', 'Sat 3 Jan moved to Fri 9 Jan by decree № 1466'],
    ['2026-02-23', 'Defender of the Fatherland Day, a Monday'],
    ['2026-03-09', 'Sun 8 March carried to Monday (Labour Code art. 112)'],
    ['2026-05-01', 'Spring and Labour Day'],
    ['2026-05-11', 'Sat 9 May carried to Monday'],
    ['2026-06-12', 'Russia Day'],
    ['2026-11-04', 'Unity Day'],
    ['2026-12-31', 'Sun 4 Jan moved to 31 Dec by decree'],
    ['2025-05-02', '2025: 4 Jan moved to 2 May'],
    ['2025-05-08', '2025: 23 Feb moved to 8 May'],
    ['2025-06-13', '2025: 8 Mar moved to 13 June'],
    ['2025-11-03', '2025: Sat 1 Nov worked, Mon 3 Nov off'],
    ['2027-05-10', '2027: Sun 9 May carried to Monday'],
  ])('is off on %s (%s)', (date) => {
    expect(fiveDay.isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2026-02-24', 'the day after a Monday holiday'],
    ['2026-03-10', 'after the carried-over Monday'],
    ['2025-02-24', '2025: 23 Feb was moved to May, not to Monday'],
    ['2026-12-30', 'the last working day of 2026'],
  ])('works on %s (%s)', (date) => {
    expect(fiveDay.isWorkingDay(date)).toBe(true);
  });

  it('works on a Saturday the Government made a working day', () => {
    expect(isoWeekday('2025-11-01')).toBe(6);
    expect(fiveDay.isWorkingDay('2025-11-01')).toBe(true);
  });

  it('skips the dates the school set', () => {
    const calendar = createSchoolCalendar({ workingDays: [1, 2, 3, 4, 5] }, ['2026-12-09']);
    expect(calendar.isWorkingDay('2026-12-09')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-10')).toBe(true);
  });

  it('finds the next working day over a weekend and over the New Year holidays', () => {
    expect(fiveDay.nextWorkingDay('2026-12-11')).toBe('2026-12-14');
    expect(fiveDay.nextWorkingDay('2026-12-30')).toBe('2027-01-11');
  });

  it('counts working days after a date, not counting it', () => {
    expect(fiveDay.workingDaysAfter('2026-12-07', '2026-12-07')).toBe(0);
    expect(fiveDay.workingDaysAfter('2026-12-07', '2026-12-09')).toBe(2);
    expect(fiveDay.workingDaysAfter('2026-12-11', '2026-12-14')).toBe(1);
    expect(fiveDay.workingDaysAfter('2026-12-01', '2026-12-31', 3)).toBe(3);
  });
});

describe('a six-day school calendar', () => {
  const sixDay = createSchoolCalendar({ workingDays: [1, 2, 3, 4, 5, 6] }, []);

  it('works on Saturdays but not on Sundays or holidays', () => {
    expect(sixDay.isWorkingDay('2026-12-12')).toBe(true);
    expect(sixDay.isWorkingDay('2026-12-13')).toBe(false);
    expect(sixDay.isWorkingDay('2026-06-13')).toBe(true);
    expect(sixDay.isWorkingDay('2026-06-12')).toBe(false);
  });
});

describe('the holiday data', () => {
  it('lists the fourteen fixed federal holidays of Labour Code art. 112', () => {
    expect(FIXED_HOLIDAYS).toHaveLength(14);
    expect(isFederalDayOff('2030-01-07')).toBe(true);
    expect(isFederalDayOff('2030-06-12')).toBe(true);
  });

  it('has a source for every year, and transfers that fall where they should', () => {
    for (const [year, transfers] of Object.entries(TRANSFERS)) {
      expect(transfers.source).not.toBe('');
      for (const date of transfers.daysOff) {
        expect(date.startsWith(year)).toBe(true);
        expect(isoWeekday(date)).toBeLessThanOrEqual(5);
      }
      for (const date of transfers.workingWeekendDays) expect(isoWeekday(date)).toBeGreaterThanOrEqual(6);
    }
    expect(Object.keys(TRANSFERS)).toEqual(['2025', '2026', '2027']);
  });
});
