import { addDays, isoWeekday } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { isFederalDayOff, isFederalWorkingWeekendDay } from './holidays.js';
import type { ReminderPolicy } from './policy.js';

/** A school's working days: its week, minus Russian public holidays and the dates the school set. */
export interface SchoolCalendar {
  isWorkingDay(date: LocalDate): boolean;
  /** How many working days lie in (from, to], counting no further than `limit`. */
  workingDaysAfter(from: LocalDate, to: LocalDate, limit?: number): number;
  /** The first working day after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate;
}

/** Longest stretch without a working day we look through (New Year holidays are 12 days). */
const MAX_SCAN_DAYS = 400;

export function createSchoolCalendar(policy: Pick<ReminderPolicy, 'workingDays'>, schoolDaysOff: readonly LocalDate[]): SchoolCalendar {
  const own = new Set(schoolDaysOff);
  const isWorkingDay = (date: LocalDate): boolean => {
    if (own.has(date) || isFederalDayOff(date)) return false;
    const weekday = isoWeekday(date);
    // A Saturday worked by decree is a working day for a five-day school too.
    if (weekday >= 6 && isFederalWorkingWeekendDay(date)) return true;
    return policy.workingDays.includes(weekday);
  };
  return {
    isWorkingDay,
    workingDaysAfter(from, to, limit = MAX_SCAN_DAYS) {
      let count = 0;
      for (let day = addDays(from, 1), steps = 0; day <= to && steps < MAX_SCAN_DAYS && count < limit; day = addDays(day, 1), steps += 1) {
        if (isWorkingDay(day)) count += 1;
      }
      return count;
    },
    nextWorkingDay(date) {
      let day = addDays(date, 1);
      for (let steps = 0; steps < MAX_SCAN_DAYS && !isWorkingDay(day); steps += 1) day = addDays(day, 1);
      return day;
    },
  };
}
