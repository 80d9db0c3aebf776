import { localDate, minutesOfDay } from '../calendar.js';
import type { Checklist } from '../checklist/schema.js';
import type { OutboxMessage, OutboxRepository, SchoolSettings, SchoolSettingsRepository, StandingRepository, SummarySnapshotRepository, SummaryRecipients } from '../ports.js';
import { type ReminderPolicy, isInWindow, resolvePolicy } from '../reminders/policy.js';
import { createSchoolCalendar } from '../reminders/school-calendar.js';
import { type SummaryModel, buildSummary } from './model.js';
import { type RenderOptions, renderSummary } from './render.js';

export interface SummaryDeps {
  schools: SchoolSettingsRepository;
  standings: StandingRepository;
  snapshots: SummarySnapshotRepository;
  checklist: Checklist;
  timeZone: string;
}

/**
 * A school's summary as of `now`, compared with the latest summary before today. Reads only:
 * the administrators' "summary on demand" uses it as it is.
 */
export async function composeSummary(deps: SummaryDeps, school: Pick<SchoolSettings, 'id' | 'name' | 'deadline'>, now: Date): Promise<SummaryModel> {
  const today = localDate(now, deps.timeZone);
  const [standings, previous] = await Promise.all([deps.standings.loadSchool(school.id), deps.snapshots.latestBefore(school.id, today)]);
  return buildSummary({ school, checklist: deps.checklist, standings, deadline: school.deadline, now, timeZone: deps.timeZone, previous });
}

export interface DailySummaryDeps extends SummaryDeps {
  admins: SummaryRecipients;
  outbox: OutboxRepository;
  defaults: ReminderPolicy;
  render?: RenderOptions;
}

export interface SchoolSummary {
  school: { id: string; name: string };
  /** Why nothing was due, if so. */
  skipped: 'not_working_day' | 'outside_window' | 'no_admins' | null;
  model: SummaryModel | null;
  messages: OutboxMessage[];
  queued: number;
}

/** Keyed by the administrator's VK id: stable even if the admins table is rebuilt from configuration. */
export const summaryKey = (adminVkId: number, date: string): string => `summary:${adminVkId}:${date}`;

/**
 * The daily summary job: on a school's working day, inside its send window, one summary to each of
 * its administrators (`summary:{admin}:{date}`) and the day's snapshot for tomorrow's comparison.
 * A rerun the same day queues nothing new and keeps the first snapshot.
 */
export async function queueDailySummaries(deps: DailySummaryDeps, now: Date, options: { dryRun?: boolean; schoolId?: string } = {}): Promise<SchoolSummary[]> {
  const schools = options.schoolId ? [await deps.schools.find(options.schoolId)].filter((s): s is SchoolSettings => s !== null) : await deps.schools.list();
  const results: SchoolSummary[] = [];
  for (const school of schools) {
    const base = { school: { id: school.id, name: school.name }, model: null, messages: [], queued: 0 };
    const { policy } = resolvePolicy(deps.defaults, school.reminderPolicy);
    const today = localDate(now, deps.timeZone);
    if (!createSchoolCalendar(policy, school.daysOff).isWorkingDay(today)) {
      results.push({ ...base, skipped: 'not_working_day' });
      continue;
    }
    if (!isInWindow(policy, minutesOfDay(now, deps.timeZone))) {
      results.push({ ...base, skipped: 'outside_window' });
      continue;
    }
    const admins = await deps.admins.listForSchool(school.id);
    if (admins.length === 0) {
      results.push({ ...base, skipped: 'no_admins' });
      continue;
    }
    const model = await composeSummary(deps, school, now);
    const parts = renderSummary(model, deps.render);
    const messages = admins.map(
      (vkId): OutboxMessage => ({ schoolId: school.id, key: summaryKey(vkId, today), kind: 'summary', recipientVkId: vkId, teacherId: null, parts }),
    );
    let queued = 0;
    if (!options.dryRun) {
      await deps.snapshots.save(school.id, today, model.snapshot);
      queued = await deps.outbox.enqueue(messages);
    }
    results.push({ school: base.school, skipped: null, model, messages, queued });
  }
  return results;
}
