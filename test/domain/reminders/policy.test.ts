import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_POLICY, isInWindow, resolvePolicy } from '../../../src/domain/reminders/policy.js';

describe('resolvePolicy', () => {
  it('uses the defaults when the school stored nothing', () => {
    expect(resolvePolicy(DEFAULT_REMINDER_POLICY, null)).toEqual({ policy: DEFAULT_REMINDER_POLICY, problems: [] });
  });

  it('applies a school\'s overrides on top of the defaults', () => {
    const { policy, problems } = resolvePolicy(DEFAULT_REMINDER_POLICY, { workingDays: [1, 2, 3, 4, 5, 6], window: { from: '10:00', to: '15:00' } });
    expect(problems).toEqual([]);
    expect(policy).toEqual({ ...DEFAULT_REMINDER_POLICY, workingDays: [1, 2, 3, 4, 5, 6], window: { from: '10:00', to: '15:00' } });
  });

  it.each([
    [{ window: { from: '18:00', to: '09:00' } }, 'window'],
    [{ workingDays: [0] }, 'workingDays'],
    [{ everyWorkingDays: 'two' }, 'everyWorkingDays'],
    [{ sendOnSundays: true }, 'policy'],
    ['weekdays', 'policy'],
  ])('ignores an invalid override %j and says why', (overrides, field) => {
    const { policy, problems } = resolvePolicy(DEFAULT_REMINDER_POLICY, overrides);
    expect(policy).toEqual(DEFAULT_REMINDER_POLICY);
    expect(problems.join(' ')).toContain(field);
  });
});

describe('isInWindow', () => {
  it('includes the start and excludes the end', () => {
    expect(isInWindow(DEFAULT_REMINDER_POLICY, 8 * 60 + 59)).toBe(false);
    expect(isInWindow(DEFAULT_REMINDER_POLICY, 9 * 60)).toBe(true);
    expect(isInWindow(DEFAULT_REMINDER_POLICY, 17 * 60 + 59)).toBe(true);
    expect(isInWindow(DEFAULT_REMINDER_POLICY, 18 * 60)).toBe(false);
  });
});
