import { type Parsed, fail, ok } from './result.js';
import { looksLikeDate, parseRussianDate } from './russian-date.js';

export type DateError = 'bad_date' | 'future_date' | 'too_old';
export type CountError = 'not_number' | 'too_big' | 'date';

/** The order's date (19.08.2024): nothing it asks for can have happened before it. */
export const EARLIEST_REPORT_DATE = '2024-08-19';

/**
 * A date that has passed: «05.09.2026», «05.09» and «1 декабря» (the most recent such day), «вчера»;
 * see `parseRussianDate`. Rejects dates after `today` and before the order. `today` is the school's
 * local date, so the check does not depend on the server's time zone.
 */
export function parseReportDate(text: string, today: string): Parsed<string, DateError> {
  const date = parseRussianDate(text, { today, missingYear: 'past' });
  if (!date.ok) return date;
  if (date.value > today) return fail('future_date');
  if (date.value < EARLIEST_REPORT_DATE) return fail('too_old');
  return ok(date.value);
}

/**
 * A whole number 0…max, written as digits, optionally followed by words («18 человек»). A date
 * («1 декабря») is refused as such: it is an answer to another question, not the number 1.
 */
export function parseCount(text: string, max: number, today: string): Parsed<number, CountError> {
  // Digits-only «5.5» stays not_number; a date is told apart by its words («1 декабря», «вчера»).
  if (/[а-яё]/i.test(text) && looksLikeDate(text, today)) return fail('date');
  const match = /^(\d{1,7})(?:\s+[а-яё.]+)*$/i.exec(text.trim());
  if (!match) return fail('not_number');
  const value = Number(match[1]);
  return value > max ? fail('too_big') : ok(value);
}
