import { describe, expect, it } from 'vitest';
import { parseAt } from '../../src/cli/args.js';

describe('--at', () => {
  it.each([
    ['2026-12-08T10:00:00+03:00', '2026-12-08T07:00:00.000Z'],
    ['2026-12-08T10:00+0300', '2026-12-08T07:00:00.000Z'],
    ['2026-12-08T07:00:00Z', '2026-12-08T07:00:00.000Z'],
    ['2026-12-08T10:00', '2026-12-08T07:00:00.000Z'],
    ['2026-12-08 10:00:30', '2026-12-08T07:00:30.000Z'],
    ['2026-12-08', '2026-12-08T09:00:00.000Z'],
  ])('reads %j (local time in Europe/Moscow when no offset is given)', (input, expected) => {
    expect(parseAt(input, 'Europe/Moscow')?.toISOString()).toBe(expected);
  });

  it.each(['tomorrow', '08.12.2026', '2026-02-30T10:00', '2026-12-08T25:00', '2026-12-08T10:61', ''])('rejects %j', (input) => {
    expect(parseAt(input, 'Europe/Moscow')).toBeNull();
  });
});
