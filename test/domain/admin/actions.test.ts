import { describe, expect, it } from 'vitest';
import { createAdminActions, mayActFor } from '../../../src/domain/admin/actions.js';
import type { Admin } from '../../../src/domain/ports.js';
import type { SchoolReminders } from '../../../src/domain/reminders/job.js';
import { DEFAULT_REMINDER_POLICY } from '../../../src/domain/reminders/policy.js';

const SCHOOL = '6f1c2a8e-1b2c-4d3e-8f90-123456789abc';
const OTHER = '00000000-0000-4000-8000-000000000000';
const schoolAdmin: Admin = { id: 'a1', vkId: 1, schoolId: SCHOOL, role: 'school' };
const regional: Admin = { id: 'a2', vkId: 2, schoolId: null, role: 'region' };

function setup() {
  const claimed = new Set<string>();
  const calls: string[] = [];
  const actions = createAdminActions({
    events: { claim: async (id) => !claimed.has(id) && Boolean(claimed.add(id)) },
    admins: { findByVkId: async (vkId) => [schoolAdmin, regional].find((a) => a.vkId === vkId) ?? null, listForSchool: async () => [] },
    clock: { now: () => new Date('2026-12-08T10:00:00+03:00') },
    async remindLaggards(schoolId) {
      calls.push(schoolId);
      return {
        school: { id: schoolId, name: 'Школа' },
        policy: DEFAULT_REMINDER_POLICY,
        policyProblems: [],
        plan: { date: '2026-12-08', closed: null, due: [], skipped: { on_leave: 1, snoozed: 1 } },
        messages: [],
        queued: 0,
      } satisfies SchoolReminders;
    },
  });
  return { actions, calls };
}

describe('administrators\' buttons', () => {
  it('a school administrator acts for their own school only; a regional one for any', () => {
    expect(mayActFor(schoolAdmin, SCHOOL)).toBe(true);
    expect(mayActFor(schoolAdmin, OTHER)).toBe(false);
    expect(mayActFor(regional, OTHER)).toBe(true);
    expect(mayActFor(null, SCHOOL)).toBe(false);
  });

  it('runs the action for an administrator, once per update', async () => {
    const { actions, calls } = setup();
    const request = { eventId: 'e1', vkUserId: 1, payload: { a: 'remind_laggards', s: SCHOOL } } as const;
    const first = await actions.handle(request);
    expect(first.replies.map((r) => r.text)).toEqual(['Новых напоминаний нет.\nВ отпуске или попросили напомнить позже: 2.']);
    expect(first.facts).toEqual({ action: 'remind_laggards', allowed: true, schoolId: SCHOOL });
    expect(await actions.handle(request)).toMatchObject({ duplicate: true, replies: [] });
    expect(calls).toEqual([SCHOOL]);
  });

  it('refuses anybody else without running anything', async () => {
    const { actions, calls } = setup();
    for (const [eventId, vkUserId, school] of [['e2', 99, SCHOOL], ['e3', 1, OTHER]] as const) {
      const result = await actions.handle({ eventId, vkUserId, payload: { a: 'remind_laggards', s: school } });
      expect(result.replies).toEqual([{ text: 'Эта команда доступна только администрации школы.' }]);
    }
    expect(calls).toEqual([]);
  });
});
