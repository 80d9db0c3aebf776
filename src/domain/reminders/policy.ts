import { z } from 'zod';

/**
 * When a school's teachers may be reminded. Each school may override any field in
 * `schools.reminder_policy` (jsonb); the rest comes from the deployment's defaults (config).
 */

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 09:00');

export const reminderPolicySchema = z
  .object({
    /** ISO days of the week the school works: 1 Monday … 7 Sunday. Public holidays are off anyway. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    /** Local send window, `from` inclusive, `to` exclusive. */
    window: z.object({ from: hhmm, to: hhmm }).refine((w) => w.from < w.to, 'the window must end after it starts'),
    /** Calendar days before the deadline on which a reminder is due (on the next working day if that one is not). */
    daysBeforeDeadline: z.array(z.number().int().min(1).max(90)).max(6),
    /** Without a deadline: a reminder every N working days. */
    everyWorkingDays: z.number().int().min(1).max(30),
  })
  .strict();

export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  workingDays: [1, 2, 3, 4, 5],
  window: { from: '09:00', to: '18:00' },
  daysBeforeDeadline: [7, 2],
  everyWorkingDays: 2,
};

/**
 * A school's policy: its stored overrides on top of `defaults`. An override that does not validate
 * is ignored as a whole and reported, so a typo in one school never stops the others' reminders.
 */
export function resolvePolicy(defaults: ReminderPolicy, overrides: unknown): { policy: ReminderPolicy; problems: string[] } {
  if (overrides === null || overrides === undefined) return { policy: defaults, problems: [] };
  const parsed = reminderPolicySchema.partial().safeParse(overrides);
  if (!parsed.success) {
    return { policy: defaults, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'policy'}: ${issue.message}`) };
  }
  const merged = reminderPolicySchema.safeParse({ ...defaults, ...parsed.data });
  if (!merged.success) return { policy: defaults, problems: merged.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  return { policy: merged.data, problems: [] };
}

/** Minutes since midnight of `HH:MM`. */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** True when local time `minutes` (since midnight) is inside the send window. */
export function isInWindow(policy: ReminderPolicy, minutes: number): boolean {
  return minutes >= minutesOf(policy.window.from) && minutes < minutesOf(policy.window.to);
}
