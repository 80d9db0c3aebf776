import { localDate, minutesOfDay } from '../calendar.js';
import type { Checklist } from '../checklist/schema.js';
import type { OutboxMessage, OutboxRepository, SchoolSettings, SchoolSettingsRepository, StandingRepository, SummarySnapshotRepository, SummaryRecipients } from '../ports.js';
import { type ReminderPolicy, isInWindow, resolvePolicy } from '../reminders/policy.js';
import { createSchoolCalendar } from '../reminders/school-calendar.js';
import { type SummaryModel, summarizeTallies } from './model.js';
import { type RenderOptions, renderSummary } from './render.js';

export interface SummaryDeps {
  schools: SchoolSettingsRepository;
  standings: StandingRepository;
  snapshots: SummarySnapshotRepository;
  checklist: Checklist;
  timeZone: string;
}

type SummarySchool = Pick<SchoolSettings, 'id' | 'name' | 'deadline'>;

/**
 * Schools' summaries as of `now`, each compared with the school's latest summary before today, in
 * the order given. Two queries (per thousand schools): every teacher's task statuses
 * (counted in the database, no answers loaded) and every previous snapshot. Reads only.
 */
export async function composeSummaries(deps: SummaryDeps, schools: readonly SummarySchool[], now: Date): Promise<SummaryModel[]> {
  if (schools.length === 0) return [];
  const today = localDate(now, deps.timeZone);
  const ids = schools.map((school) => school.id);
  const [tallies, previous] = await Promise.all([deps.standings.tallySchools(ids, deps.checklist), deps.snapshots.latestBefore(ids, today)]);
  return schools.map((school) =>
    summarizeTallies({
      school,
      checklist: deps.checklist,
      teachers: tallies.get(school.id) ?? [],
      deadline: school.deadline,
      now,
      timeZone: deps.timeZone,
      previous: previous.get(school.id) ?? null,
    }),
  );
}

/** One school's summary as of `now`: the administrators' "summary on demand" uses it as it is. */
export async function composeSummary(deps: SummaryDeps, school: SummarySchool, now: Date): Promise<SummaryModel> {
  const [model] = await composeSummaries(deps, [school], now);
  return model!;
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
  const today = localDate(now, deps.timeZone);
  const minutes = minutesOfDay(now, deps.timeZone);
  const skipped = new Map<string, SchoolSummary['skipped']>();
  for (const school of schools) {
    const { policy } = resolvePolicy(deps.defaults, school.reminderPolicy);
    if (!createSchoolCalendar(policy, school.daysOff).isWorkingDay(today)) skipped.set(school.id, 'not_working_day');
    else if (!isInWindow(policy, minutes)) skipped.set(school.id, 'outside_window');
  }
  const open = schools.filter((school) => !skipped.has(school.id));
  const admins = open.length === 0 ? new Map<string, number[]>() : await deps.admins.listForSchools(open.map((school) => school.id));
  for (const school of open) if (!admins.has(school.id)) skipped.set(school.id, 'no_admins');

  // Every due school's model at once (two queries), then each school's snapshot and messages.
  const due = schools.filter((school) => !skipped.has(school.id));
  const models = new Map((await composeSummaries(deps, due, now)).map((model) => [model.schoolId, model]));
  const results = schools.map((school): SchoolSummary => {
    const base = { school: { id: school.id, name: school.name }, queued: 0 };
    const model = models.get(school.id);
    if (!model) return { ...base, skipped: skipped.get(school.id) ?? null, model: null, messages: [] };
    const parts = renderSummary(model, deps.render);
    const messages = admins.get(school.id)!.map(
      (vkId): OutboxMessage => ({ schoolId: school.id, key: summaryKey(vkId, today), kind: 'summary', recipientVkId: vkId, teacherId: null, parts }),
    );
    return { ...base, skipped: null, model, messages };
  });
  if (!options.dryRun) {
    // Two batched writes for every school at once: the day's snapshots, then the messages.
    const written = results.filter((result) => result.model !== null);
    await deps.snapshots.saveAll(today, written.map((result) => ({ schoolId: result.school.id, data: result.model!.snapshot })));
    const queued = new Set(await deps.outbox.enqueue(written.flatMap((result) => result.messages)));
    for (const result of written) result.queued = result.messages.filter((message) => queued.has(message.key)).length;
  }
  return results;
}
