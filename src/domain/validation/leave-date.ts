import { addDays } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type Parsed, fail, ok } from './result.js';
import { parseRussianDate } from './russian-date.js';

export type LeaveDateError = 'bad_date' | 'past_date' | 'too_far';

/** A leave longer than this is a typo in the year more often than a real leave. */
export const MAX_LEAVE_DAYS = 366;

/**
 * The last day of a leave: «25.12.2026», «25.12», «до 10 января» (a date without a year is the next
 * such day). It must be today or later and at most a year ahead. `today` is the school's local date.
 */
export function parseLeaveDate(text: string, today: LocalDate): Parsed<LocalDate, LeaveDateError> {
  const date = parseRussianDate(text, { today, missingYear: 'future' });
  if (!date.ok) return date;
  if (date.value < today) return fail('past_date');
  if (date.value > addDays(today, MAX_LEAVE_DAYS)) return fail('too_far');
  return ok(date.value);
}
