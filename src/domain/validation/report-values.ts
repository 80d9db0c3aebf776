import { type Parsed, fail, ok } from './result.js';

export type DateError = 'bad_date' | 'future_date' | 'too_old';
export type CountError = 'not_number' | 'too_big';

/** The order is dated 19.08.2024: nothing it asks for can have happened before that summer. */
export const EARLIEST_REPORT_DATE = '2024-08-01';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Parses «05.09.2026», «5.9.26», «05.09» (this year), «сегодня», «вчера» into an ISO date (YYYY-MM-DD),
 * rejecting impossible dates (31.02), dates after `today` and dates before the order.
 * `today` is the school's local date, so the check does not depend on the server's time zone.
 */
export function parseReportDate(text: string, today: string): Parsed<string, DateError> {
  const input = text.trim().toLowerCase();
  const todayDate = new Date(`${today}T00:00:00Z`);
  if (input === 'сегодня') return ok(today);
  if (input === 'вчера') {
    const yesterday = new Date(todayDate.getTime() - 86_400_000).toISOString().slice(0, 10);
    return yesterday < EARLIEST_REPORT_DATE ? fail('too_old') : ok(yesterday);
  }
  const match = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?(?:\s*г\.?)?$/.exec(input);
  if (!match) return fail('bad_date');
  const day = Number(match[1]);
  const month = Number(match[2]);
  // Without a year, the most recent such date: «25.12» written on 10.01 means last December.
  const thisYear = todayDate.getUTCFullYear();
  const noYear = match[3] === undefined;
  const sameYearIso = `${thisYear}-${pad(Number(match[2]))}-${pad(Number(match[1]))}`;
  const year = noYear ? (sameYearIso > today ? thisYear - 1 : thisYear) : Number(match[3]!.length === 2 ? `20${match[3]}` : match[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail('bad_date');
  }
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  if (iso > today) return fail('future_date');
  if (iso < EARLIEST_REPORT_DATE) return fail('too_old');
  return ok(iso);
}

/** A whole number 0…max, written as digits, optionally followed by words («18 человек»). */
export function parseCount(text: string, max: number): Parsed<number, CountError> {
  const match = /^(\d{1,7})(?:\s+[а-яё.]+)*$/i.exec(text.trim());
  if (!match) return fail('not_number');
  const value = Number(match[1]);
  return value > max ? fail('too_big') : ok(value);
}
