import type { Reply } from '../model.js';
import type { AdminPayload } from '../payload.js';
import type { Admin, AdminRepository, Clock, EventRepository } from '../ports.js';
import type { SchoolReminders } from '../reminders/job.js';
import { adminTexts as t } from './texts.js';

export interface AdminActionRequest {
  eventId: string;
  vkUserId: number;
  payload: AdminPayload;
}

export interface AdminActionResult {
  duplicate: boolean;
  replies: Reply[];
  /** Log-safe facts. */
  facts: { action: AdminPayload['a']; allowed: boolean; schoolId: string };
}

export interface AdminActions {
  handle(request: AdminActionRequest): Promise<AdminActionResult>;
}

/** True when `admin` may act for `schoolId`: its own school, or any school for a regional administrator. */
export const mayActFor = (admin: Admin | null, schoolId: string): boolean =>
  admin !== null && (admin.role === 'region' || admin.schoolId === schoolId);

/**
 * Buttons only administrators may press. The sender's rights are checked in the database on every
 * press; anybody else gets a polite refusal that tells nothing about the school. More admin
 * commands join the switch below.
 */
export function createAdminActions(deps: {
  events: EventRepository;
  admins: AdminRepository;
  clock: Clock;
  /** Queues today's reminders for the school's laggards (cadence ignored, one a day kept). */
  remindLaggards: (schoolId: string, now: Date) => Promise<SchoolReminders | null>;
}): AdminActions {
  const { events, admins, clock, remindLaggards } = deps;
  return {
    async handle({ eventId, vkUserId, payload }) {
      const facts = { action: payload.a, allowed: false, schoolId: payload.s };
      if (!(await events.claim(eventId))) return { duplicate: true, replies: [], facts };
      const admin = await admins.findByVkId(vkUserId);
      if (!mayActFor(admin, payload.s)) return { duplicate: false, replies: [{ text: t.notAllowed }], facts };
      switch (payload.a) {
        case 'remind_laggards': {
          const result = await remindLaggards(payload.s, clock.now());
          return { duplicate: false, replies: [{ text: result ? remindReply(result) : t.failed }], facts: { ...facts, allowed: true } };
        }
        default: {
          const unreachable: never = payload.a;
          return unreachable;
        }
      }
    },
  };
}

function remindReply(result: SchoolReminders): string {
  const { plan, policy } = result;
  if (plan.closed) return t.closed(policy.window.from, policy.window.to);
  const skipped = plan.skipped;
  const lines = [t.reminded(result.queued)];
  const already = (skipped.reminded_today ?? 0) + (result.messages.length - result.queued);
  if (already > 0) lines.push(t.alreadyToday(already));
  const resting = (skipped.on_leave ?? 0) + (skipped.snoozed ?? 0);
  if (resting > 0) lines.push(t.resting(resting));
  const cannot = (skipped.not_started ?? 0) + (skipped.unreachable ?? 0) + (skipped.no_vk_id ?? 0);
  if (cannot > 0) lines.push(t.unreachable(cannot));
  return lines.join('\n');
}
