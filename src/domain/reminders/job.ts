import type { Checklist } from '../checklist/schema.js';
import type { OutboxMessage, OutboxRepository, SchoolSettings, SchoolSettingsRepository, StandingRepository } from '../ports.js';
import { type ReminderPlan, planReminders } from './due.js';
import { renderReminder } from './message.js';
import { type ReminderPolicy, resolvePolicy } from './policy.js';
import { createSchoolCalendar } from './school-calendar.js';

export interface ReminderJobDeps {
  schools: SchoolSettingsRepository;
  standings: StandingRepository;
  outbox: OutboxRepository;
  checklist: Checklist;
  timeZone: string;
  /** The deployment's policy; a school's stored overrides apply on top. */
  defaults: ReminderPolicy;
}

export interface SchoolReminders {
  school: { id: string; name: string };
  policy: ReminderPolicy;
  /** Problems with the school's stored policy (then the defaults were used). */
  policyProblems: string[];
  plan: ReminderPlan;
  /** The messages due (written to the outbox unless a dry run). */
  messages: OutboxMessage[];
  /** How many of them were new in the outbox; the rest had been queued by an earlier run today. */
  queued: number;
}

export interface ReminderRunOptions {
  /** Compute and render, write nothing. */
  dryRun?: boolean;
  /** Only this school. */
  schoolId?: string;
  /** An administrator's "remind the laggards now": ignores the cadence, keeps every other rule. */
  manual?: boolean;
}

/** The outbox key that makes a teacher's reminder unique for the day. */
export const reminderKey = (teacherId: string, date: string): string => `reminder:${teacherId}:${date}`;

/**
 * The reminder job: for every school, who is due at `now` → one outbox row each. Running it again
 * the same day queues nothing new (the key includes the date), and two instances running it at
 * once queue each reminder once (the key is unique).
 */
export async function queueDueReminders(deps: ReminderJobDeps, now: Date, options: ReminderRunOptions = {}): Promise<SchoolReminders[]> {
  const schools = options.schoolId ? [await deps.schools.find(options.schoolId)].filter((s): s is SchoolSettings => s !== null) : await deps.schools.list();
  const results: SchoolReminders[] = [];
  for (const school of schools) results.push(await queueForSchool(deps, school, now, options));
  return results;
}

async function queueForSchool(deps: ReminderJobDeps, school: SchoolSettings, now: Date, options: ReminderRunOptions): Promise<SchoolReminders> {
  const { policy, problems } = resolvePolicy(deps.defaults, school.reminderPolicy);
  const calendar = createSchoolCalendar(policy, school.daysOff);
  const base = { school: { id: school.id, name: school.name }, policy, policyProblems: problems };
  // The calendar and window are checked before the (large) standings are loaded.
  const closedPlan = planReminders({ checklist: deps.checklist, standings: [], policy, calendar, deadline: school.deadline, now, timeZone: deps.timeZone });
  if (closedPlan.closed) return { ...base, plan: closedPlan, messages: [], queued: 0 };

  const standings = await deps.standings.loadSchool(school.id);
  const plan = planReminders({ checklist: deps.checklist, standings, policy, calendar, deadline: school.deadline, now, timeZone: deps.timeZone, manual: options.manual });
  const messages = plan.due.map(
    (reminder): OutboxMessage => ({
      schoolId: school.id,
      key: reminderKey(reminder.teacher.id, plan.date),
      kind: 'reminder',
      recipientVkId: reminder.teacher.vkId!,
      teacherId: reminder.teacher.id,
      parts: [renderReminder(reminder, school.deadline, plan.date)],
    }),
  );
  const queued = options.dryRun || messages.length === 0 ? 0 : (await deps.outbox.enqueue(messages)).length;
  return { ...base, plan, messages, queued };
}
