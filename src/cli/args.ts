import { isLocalDate, localInstant } from '../domain/calendar.js';

/**
 * `--at`: an ISO date-time. With an offset (`+03:00`, `Z`) it is that instant; without one it is
 * local time in `timeZone`; a bare date means noon there. Null when it is not a real moment.
 */
export function parseAt(value: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!match || !isLocalDate(match[1]!)) return null;
  const [, date, hours = '12', minutes = '00', seconds = '00', offset] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return null;
  if (offset !== undefined) {
    const instant = new Date(`${date}T${hours}:${minutes}:${seconds}${offset}`);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  return new Date(localInstant(date!, timeZone, Number(hours) * 60 + Number(minutes)).getTime() + Number(seconds) * 1000);
}
