import { addDays, isLocalDate } from '../calendar.js';
import type { LocalDate } from '../model.js';
import { type Parsed, fail, ok } from './result.js';

/**
 * How a date written without a year is completed: `past` takes the most recent such day (a meeting
 * that took place), `future` the nearest one from today on (the last day of a leave). Without a
 * `today` the year is required and «вчера» is not understood.
 */
export type DateContext = { today: LocalDate; missingYear: 'past' | 'future' } | { today?: undefined };

/** Month names as people write them: the stem matches «декабря», «декабрь», «дек», «дек.». */
const MONTHS: readonly (readonly [stem: RegExp, month: number])[] = [
  [/^янв/, 1],
  [/^фев/, 2],
  [/^мар/, 3],
  [/^апр/, 4],
  [/^ма[йяе]/, 5],
  [/^июн/, 6],
  [/^июл/, 7],
  [/^авг/, 8],
  [/^сен/, 9],
  [/^окт/, 10],
  [/^ноя/, 11],
  [/^дек/, 12],
];

/** Words for days relative to today. */
const RELATIVE: Readonly<Record<string, number>> = { позавчера: -2, вчера: -1, сегодня: 0, завтра: 1, послезавтра: 2 };

/** «до 10 января», «по 10.01», «с 5 сентября», «на 1 декабря», «от 01.09.2026»: the date is what follows. */
const PREPOSITION = /^(?:до|по|с|со|на|от|в|к)\s+/;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The one reader of dates typed in Russian: «05.09.2026», «5.9.26», «05.09», «5/9», «1 декабря»,
 * «1-го декабря 2026 г.», «до 10 января», «сегодня», «вчера», «завтра». `today` is the school's
 * local date; a date without a year is completed as `missingYear` says. Returns `bad_date` for
 * anything else, including impossible dates (31.02); range checks are the caller's.
 */
export function parseRussianDate(text: string, context: DateContext): Parsed<LocalDate, 'bad_date'> {
  const input = text
    .trim()
    .toLocaleLowerCase('ru')
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '')
    .replace(PREPOSITION, '');
  const relative = RELATIVE[input];
  if (relative !== undefined) return context.today === undefined ? fail('bad_date') : ok(addDays(context.today, relative));

  let day: number;
  let month: number;
  let yearText: string | undefined;
  const numeric = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?(?:\s*г(?:ода?)?\.?)?$/.exec(input);
  const worded = /^(\d{1,2})(?:-?(?:го|е|ое))?\s+([а-я]+)\.?(?:\s+(\d{4}))?(?:\s*г(?:ода?)?\.?)?$/.exec(input);
  if (numeric) {
    day = Number(numeric[1]);
    month = Number(numeric[2]);
    yearText = numeric[3];
  } else if (worded) {
    const name = worded[2]!;
    const found = MONTHS.find(([stem]) => stem.test(name));
    if (!found) return fail('bad_date');
    day = Number(worded[1]);
    month = found[1];
    yearText = worded[3];
  } else {
    return fail('bad_date');
  }

  let year: number;
  if (yearText !== undefined) {
    year = Number(yearText.length === 2 ? `20${yearText}` : yearText);
  } else {
    const { today } = context;
    if (today === undefined) return fail('bad_date');
    const thisYear = Number(today.slice(0, 4));
    const sameYear = `${thisYear}-${pad(month)}-${pad(day)}`;
    if (context.missingYear === 'past') year = sameYear > today ? thisYear - 1 : thisYear;
    else year = sameYear >= today ? thisYear : thisYear + 1;
  }
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  // 29.02 completed with a common year does not exist: refused like 31.02.
  return isLocalDate(iso) ? ok(iso) : fail('bad_date');
}

/** True when the text reads as a date: where a number is asked, «1 декабря» must not count as 1. */
export const looksLikeDate = (text: string, today: LocalDate): boolean => parseRussianDate(text, { today, missingYear: 'past' }).ok;
