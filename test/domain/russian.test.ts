import { describe, expect, it } from 'vitest';
import { DAYS, count } from '../../src/domain/russian.js';

describe('Russian plurals', () => {
  it.each([
    [1, '1 день'],
    [2, '2 дня'],
    [4, '4 дня'],
    [5, '5 дней'],
    [11, '11 дней'],
    [12, '12 дней'],
    [14, '14 дней'],
    [21, '21 день'],
    [22, '22 дня'],
    [25, '25 дней'],
    [111, '111 дней'],
    [0, '0 дней'],
  ])('%i → %s', (n, expected) => {
    expect(count(n, DAYS)).toBe(expected);
  });
});
