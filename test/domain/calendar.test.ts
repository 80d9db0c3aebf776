import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatRuDate, isLocalDate, isoWeekday, localDate, localInstant, minutesOfDay } from '../../src/domain/calendar.js';

describe('calendar arithmetic', () => {
  it('adds days across months, years and a leap day', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-08', 7)).toBe('2026-12-15');
  });

  it('counts days between dates, negative backwards', () => {
    expect(daysBetween('2026-12-08', '2026-12-15')).toBe(7);
    expect(daysBetween('2026-12-15', '2026-12-08')).toBe(-7);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });

  it('gives ISO weekdays, Monday 1 to Sunday 7', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-12')).toBe(6);
    expect(isoWeekday('2026-12-13')).toBe(7);
  });

  it('accepts only real dates', () => {
    expect(isLocalDate('2026-12-08')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('08.12.2026')).toBe(false);
  });

  it('formats dates the Russian way', () => {
    expect(formatRuDate('2026-12-08')).toBe('08.12.2026');
  });
});

describe('instants in a time zone', () => {
  it('finds the local date and time of day in Moscow, whatever the server zone', () => {
    const instant = new Date('2026-12-07T21:30:00Z');
    expect(localDate(instant, 'Europe/Moscow')).toBe('2026-12-08');
    expect(minutesOfDay(instant, 'Europe/Moscow')).toBe(30);
    expect(minutesOfDay(new Date('2026-12-08T06:59:00Z'), 'Europe/Moscow')).toBe(9 * 60 + 59);
  });

  it('turns a local date and time back into the instant', () => {
    expect(localInstant('2026-12-08', 'Europe/Moscow').toISOString()).toBe('2026-12-07T21:00:00.000Z');
    expect(localInstant('2026-12-08', 'Europe/Moscow', 9 * 60).toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(localInstant('2026-12-08', 'Asia/Yekaterinburg').toISOString()).toBe('2026-12-07T19:00:00.000Z');
  });

  it('handles zones that change their offset', () => {
    // Berlin moves from +01:00 to +02:00 on 29 March 2026.
    expect(localInstant('2026-03-28', 'Europe/Berlin', 12 * 60).toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect(localInstant('2026-03-30', 'Europe/Berlin', 12 * 60).toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });
});
