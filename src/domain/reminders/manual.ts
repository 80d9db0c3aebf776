import type { LaggardReminder } from '../admin/ports.js';
import type { Repositories } from '../ports.js';
import type { Checklist } from '../checklist/schema.js';
import { queueDueReminders } from './job.js';
import type { ReminderPolicy } from './policy.js';

/**
 * The administrator's "remind the laggards now": the reminder job for one school with the cadence
 * ignored and every other rule kept (working hours, one a day, leave, snooze). It runs inside the
 * administrator's transaction; the app sends the queued messages once that commits.
 */
export function createLaggardReminder(deps: { checklist: Checklist; timeZone: string; defaults: ReminderPolicy }): LaggardReminder {
  return {
    async remindNow(repos: Repositories, schoolId, now) {
      const jobDeps = { ...deps, schools: repos.schoolSettings, standings: repos.standings, outbox: repos.outbox };
      const [result] = await queueDueReminders(jobDeps, now, { schoolId, manual: true });
      if (!result) return { queued: 0, alreadyToday: 0, resting: 0, neverStarted: 0, unreachable: 0 };
      const { plan, policy } = result;
      if (plan.closed) return { closed: { from: policy.window.from, to: policy.window.to } };
      const skipped = plan.skipped;
      return {
        queued: result.queued,
        // Due now but already in the outbox for today (an earlier press, or the scheduled run).
        alreadyToday: (skipped.reminded_today ?? 0) + (result.messages.length - result.queued),
        resting: (skipped.on_leave ?? 0) + (skipped.snoozed ?? 0),
        // The summary's groups (summary/model.ts): no VK page (an erased teacher has none) or never
        // wrote, then refused messages.
        neverStarted: (skipped.not_started ?? 0) + (skipped.no_vk_id ?? 0) + (skipped.erased ?? 0),
        unreachable: skipped.unreachable ?? 0,
      };
    },
  };
}
