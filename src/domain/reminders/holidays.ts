import type { LocalDate } from '../model.js';

/**
 * Russian federal non-working days, as data.
 *
 * Fixed holidays: Labour Code art. 112 part 1 (1–6 and 8 January New Year holidays, 7 January
 * Christmas, 23 February, 8 March, 1 May, 9 May, 12 June, 4 November).
 *
 * Each year the Government moves some days off by decree, and art. 112 part 2 moves a day off that
 * coincides with a holiday (other than the January ones) to the next working day. The lists below
 * are the *result* for a five-day week: weekdays that are days off on top of the fixed holidays,
 * and weekend days that are working days. Sources are named per year; a school adds its own dates
 * (quarantine, school holidays) in `school_holidays`.
 *
 * Update this table when the Government publishes a new decree (usually in September–October for
 * the next year).
 */

/** Month-day of every fixed federal holiday. */
export const FIXED_HOLIDAYS: readonly string[] = [
  '01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08',
  '02-23', '03-08', '05-01', '05-09', '06-12', '11-04',
];

export interface YearTransfers {
  /** Weekdays that are days off besides the fixed holidays. */
  daysOff: readonly LocalDate[];
  /** Saturdays and Sundays that are working days. */
  workingWeekendDays: readonly LocalDate[];
  source: string;
  /** True while the year's decree is not in this table yet: only art. 112 part 2 is applied. */
  provisional?: boolean;
}

export const TRANSFERS: Readonly<Record<number, YearTransfers>> = {
  2025: {
    // 4 Jan → 2 May, 5 Jan → 31 Dec, 23 Feb → 8 May, 8 Mar → 13 Jun, Sat 1 Nov worked → Mon 3 Nov off.
    daysOff: ['2025-05-02', '2025-05-08', '2025-06-13', '2025-11-03', '2025-12-31'],
    workingWeekendDays: ['2025-11-01'],
    source: 'Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»',
  },
  2026: {
    // 3 Jan → 9 Jan, 4 Jan → 31 Dec (decree); Sun 8 Mar → Mon 9 Mar, Sat 9 May → Mon 11 May (art. 112 part 2).
    daysOff: ['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31'],
    workingWeekendDays: [],
    source: 'Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»; ТК РФ ст. 112 ч. 2',
  },
  2027: {
    // Sat 1 May → Mon 3 May, Sun 9 May → Mon 10 May, Sat 12 Jun → Mon 14 Jun (art. 112 part 2).
    // The decree moving Sat 2 and Sun 3 January 2027 is not in this table yet.
    daysOff: ['2027-05-03', '2027-05-10', '2027-06-14'],
    workingWeekendDays: [],
    source: 'ТК РФ ст. 112 ч. 2; постановление о переносе выходных дней в 2027 году ещё не внесено',
    provisional: true,
  },
};

/** True when `date` is a federal non-working day that falls on a weekday, or a fixed holiday. */
export function isFederalDayOff(date: LocalDate): boolean {
  if (FIXED_HOLIDAYS.includes(date.slice(5))) return true;
  return TRANSFERS[Number(date.slice(0, 4))]?.daysOff.includes(date) ?? false;
}

/** True when a weekend `date` is a working day by decree. */
export function isFederalWorkingWeekendDay(date: LocalDate): boolean {
  return TRANSFERS[Number(date.slice(0, 4))]?.workingWeekendDays.includes(date) ?? false;
}
