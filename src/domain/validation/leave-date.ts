import { addDays } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type Parsed, fail, ok } from './result.js';

export type LeaveDateError = 'bad_date' | 'past_date' | 'too_far';

/** A leave longer than this is a typo in the year more often than a real leave. */
export const MAX_LEAVE_DAYS = 366;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The last day of a leave: «25.12.2026», «25.12.26» or «25.12» (the next such date, this year or
 * the next). It must be today or later and at most a year ahead. `today` is the school's local date.
 */
export function parseLeaveDate(text: string, today: LocalDate): Parsed<LocalDate, LeaveDateError> {
  const match = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?(?:\s*г\.?)?$/.exec(text.trim().toLowerCase());
  if (!match) return fail('bad_date');
  const day = Number(match[1]);
  const month = Number(match[2]);
  const thisYear = Number(today.slice(0, 4));
  let year: number;
  if (match[3] === undefined) {
    year = `${thisYear}-${pad(month)}-${pad(day)}` >= today ? thisYear : thisYear + 1;
  } else {
    year = Number(match[3].length === 2 ? `20${match[3]}` : match[3]);
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return fail('bad_date');
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  if (iso < today) return fail('past_date');
  if (iso > addDays(today, MAX_LEAVE_DAYS)) return fail('too_far');
  return ok(iso);
}
