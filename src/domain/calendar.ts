import type { LocalDate } from './model.js';

/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`) and instants in an IANA time zone, with Intl
 * only. Local dates are computed on as UTC midnights, which has no daylight-saving surprises.
 */

const DAY_MS = 86_400_000;

/** The calendar date at `instant` in `timeZone` (IANA name), as `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): LocalDate {
  return dateFormat(timeZone).format(instant);
}

/** Creating a DateTimeFormat costs far more than formatting with one: a summary formats a date per teacher. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time at `instant` in `timeZone`, as a Date whose UTC fields carry it. Spreadsheets
 * have no time zones: a cell shows exactly these fields.
 */
export function wallClock(instant: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

/** A number with at least two digits: 5 → «05». */
export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** «05.09.2026 14:30» in `timeZone`. */
export function formatDateTime(instant: Date, timeZone: string): string {
  return formatWallClock(wallClock(instant, timeZone));
}

/** A wall-clock Date (its UTC fields hold the local time) as «05.09.2026 14:30». */
export function formatWallClock(w: Date): string {
  return `${pad(w.getUTCDate())}.${pad(w.getUTCMonth() + 1)}.${w.getUTCFullYear()} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const toUtc = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

/** `date` moved by `days` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** ISO day of the week: 1 Monday … 7 Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(toUtc(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Minutes since local midnight at `instant` in `timeZone` (0…1439). */
export function minutesOfDay(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Moscow: +3 h). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant local time `minutes` after midnight of `date` happens in `timeZone` (midnight by default). */
export function localInstant(date: LocalDate, timeZone: string, minutes = 0): Date {
  const wall = toUtc(date) + minutes * 60_000;
  // Two passes settle the offset even on a day the zone changes it.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return new Date(guess);
}

/** «08.12.2026»: how dates are written to Russian readers. */
export function formatRuDate(date: LocalDate): string {
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}
