import type { LocalDate } from '../model.js';

/**
 * Dagestan's own non-working days, on top of the federal ones (holidays.ts). They are seeded into a
 * new school's own days off (school_holidays), so the administrator can move or drop one in
 * «Настройки» → «Нерабочие дни» when the Republic announces a different date.
 *
 * - 15 September, День единства народов Дагестана: a non-working day of the Republic every year.
 * - Ураза-байрам and Курбан-байрам: the Government of Dagestan declares them non-working each year
 *   by a resolution, on the date the Muftiate of Dagestan names (e.g. 31.03–01.04.2025, 10–12.04.2024;
 *   riadagestan.ru, dagestan.nia-kavkaz.ru). No Dagestan resolution for 2026 or 2027 was found when
 *   this table was written: the dates are the expected ones and marked so. 2026 follows the lunar
 *   calendar dates fixed by Tatarstan's decree of 19.01.2026 (20 March, 27 May; gazeta.ru,
 *   realnoevremya.ru); 2027 is astronomical (1 Shawwal and 10 Dhu al-Hijjah 1448 AH, a lunar
 *   year ≈ 354 days after 2026), with the Monday after a Sunday feast, as Dagestan did in 2025.
 */
export interface RegionalDayOff {
  date: LocalDate;
  name: string;
  /** True while the Republic has not announced it: an expected date, for the administrator to check. */
  expected: boolean;
}

export const DAGESTAN_DAYS_OFF: readonly RegionalDayOff[] = [
  { date: '2026-03-20', name: 'Ураза-байрам (ожидаемая дата)', expected: true },
  { date: '2026-05-27', name: 'Курбан-байрам (ожидаемая дата)', expected: true },
  { date: '2026-09-15', name: 'День единства народов Дагестана', expected: false },
  { date: '2027-03-09', name: 'Ураза-байрам (ожидаемая дата)', expected: true },
  { date: '2027-05-16', name: 'Курбан-байрам (ожидаемая дата)', expected: true },
  { date: '2027-05-17', name: 'Курбан-байрам, понедельник (ожидаемая дата)', expected: true },
  { date: '2027-09-15', name: 'День единства народов Дагестана', expected: false },
];
