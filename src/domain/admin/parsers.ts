import type { LocalDate } from '../model.js';
import { type Parsed, fail, ok } from '../validation/result.js';
import { parseRussianDate } from '../validation/russian-date.js';

/** Dates an administrator types: «01.09.2026», «1.9.26», «1 сентября 2026»; the year is required (deadlines are ahead). */
export type AdminDateError = 'bad_date' | 'out_of_range';

/** The campaign cannot predate the order (19.08.2024) nor run past a few years. */
export const EARLIEST_DATE = '2024-08-19';
export const LATEST_DATE = '2030-12-31';

export function parseAdminDate(text: string): Parsed<LocalDate, AdminDateError> {
  const date = parseRussianDate(text, {});
  if (!date.ok) return date;
  if (date.value < EARLIEST_DATE || date.value > LATEST_DATE) return fail('out_of_range');
  return ok(date.value);
}

/** «Нет», «снять», «-», «удалить»: the administrator clears a setting. */
export const isClearWord = (text: string): boolean => /^(нет|снять|убрать|удалить|очистить|-)\.?$/i.test(text.trim());

export type LocalActError = 'no_number' | 'no_date' | AdminDateError;

/**
 * Point 5 of the order: the school's local act, typed as «№ 12-од от 01.09.2026» (or «12-од
 * 01.09.2026»). The number is kept as written, without the «№».
 */
export function parseLocalAct(text: string): Parsed<{ number: string; date: LocalDate }, LocalActError> {
  // «от» may stand at the very start (no number given): `(?:^|\s)` because \b is ASCII-only in JavaScript.
  const match = /^(.*?)(?:(?:^|\s)от)?\s*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:\s*г\.?)?\s*$/i.exec(text.trim().replace(/\s+/g, ' '));
  if (!match) return fail('no_date');
  const number = match[1]!.replace(/^(приказ|локальный акт)\s*/i, '').replace(/^№\s*/, '').trim();
  if (number === '' || number.length > 40 || !/[\p{L}\p{N}]/u.test(number)) return fail('no_number');
  const date = parseAdminDate(match[2]!);
  if (!date.ok) return date;
  return ok({ number, date: date.value });
}

export type HolidaysError = 'bad_date' | 'out_of_range' | 'reversed' | 'too_many';
export const MAX_HOLIDAYS = 366;

/**
 * School holidays as «26.10.2026–03.11.2026, 30.12.2026»: dates and ranges separated by commas or
 * new lines. Returns every date, sorted and unique.
 */
export function parseHolidays(text: string): Parsed<LocalDate[], HolidaysError> {
  const dates = new Set<LocalDate>();
  for (const part of text.split(/[,;\n]+/).map((p) => p.trim()).filter(Boolean)) {
    const [fromText, toText, ...rest] = part.split(/\s*(?:–|—|-(?=\s*\d{1,2}[./]\d)|\s+по\s+)\s*/);
    if (rest.length > 0 || fromText === undefined) return fail('bad_date');
    const from = parseAdminDate(fromText.replace(/^с\s+/i, ''));
    if (!from.ok) return from;
    const to = toText === undefined ? from : parseAdminDate(toText);
    if (!to.ok) return to;
    if (to.value < from.value) return fail('reversed');
    for (let day = from.value; day <= to.value; day = nextDay(day)) {
      dates.add(day);
      if (dates.size > MAX_HOLIDAYS) return fail('too_many');
    }
  }
  if (dates.size === 0) return fail('bad_date');
  return ok([...dates].sort());
}

export function nextDay(date: LocalDate): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** «2026-09-01» → «01.09.2026». */
export const formatDate = (date: LocalDate): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** Collapses consecutive dates into ranges for display: «26.10.2026–03.11.2026, 30.12.2026». */
export function formatDateRanges(dates: readonly LocalDate[]): string {
  const ranges: [LocalDate, LocalDate][] = [];
  for (const date of [...dates].sort()) {
    const last = ranges.at(-1);
    if (last && nextDay(last[1]) === date) last[1] = date;
    else ranges.push([date, date]);
  }
  return ranges.map(([a, b]) => (a === b ? formatDate(a) : `${formatDate(a)}–${formatDate(b)}`)).join(', ');
}

export const MAX_EO_INSTRUCTIONS = 2000;
export const MAX_NOTE = 300;
