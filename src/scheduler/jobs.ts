import type { EventRepository, OutboxQueue } from '../domain/ports.js';
import type { ReminderJobDeps, ReminderRunOptions, SchoolReminders } from '../domain/reminders/job.js';
import { queueDueReminders } from '../domain/reminders/job.js';
import { type DailySummaryDeps, type SchoolSummary, queueDailySummaries } from '../domain/summary/service.js';
import type { Logger } from '../logger.js';
import type { DrainStats, OutboxSender } from '../outbox/sender.js';

export interface JobOptions {
  dryRun?: boolean;
}

export interface Jobs {
  /** Queues the reminders due at `now`, then sends the outbox (unless a dry run). */
  reminders(now: Date, options?: JobOptions & Pick<ReminderRunOptions, 'schoolId' | 'manual'>): Promise<{ schools: SchoolReminders[]; delivery: DrainStats | null }>;
  /** Queues the daily summaries due at `now`, then sends the outbox (unless a dry run). */
  summary(now: Date, options?: JobOptions): Promise<{ schools: SchoolSummary[]; delivery: DrainStats | null }>;
  /** Sends whatever is due in the outbox (retries after back-off, another instance's leftovers). */
  drain(): Promise<DrainStats>;
  /** Deletes what is no longer needed: old update ids and settled outbox messages (see the retention constants). */
  housekeeping(): Promise<{ events: number; outbox: number }>;
}

/** Update ids are kept two weeks: VK redelivers an update within minutes, a stored long-poll cursor expires sooner. */
export const EVENT_RETENTION_DAYS = 14;
/**
 * Settled outbox messages are kept 90 days: longer than any reminder cadence (at most 30 working
 * days), since a teacher's last reminder is read from them; pending messages are never deleted.
 */
export const OUTBOX_RETENTION_DAYS = 90;

/** The jobs as plain functions of `now`: cron, the command line and tests call the same code. */
export function createJobs(deps: {
  reminders: ReminderJobDeps;
  summary: DailySummaryDeps;
  sender: OutboxSender;
  housekeeping: { events: EventRepository; outbox: OutboxQueue };
  logger: Logger;
}): Jobs {
  const { sender, logger } = deps;
  return {
    async reminders(now, options = {}) {
      const log = logger.child({ job: 'reminders', at: now.toISOString(), dryRun: options.dryRun ?? false });
      const schools = await queueDueReminders(deps.reminders, now, options);
      for (const result of schools) {
        if (result.policyProblems.length > 0) log.warn({ schoolId: result.school.id, problems: result.policyProblems }, 'school reminder policy ignored');
        log.info({ schoolId: result.school.id, closed: result.plan.closed, due: result.messages.length, queued: result.queued, skipped: result.plan.skipped }, 'reminders planned');
      }
      return { schools, delivery: options.dryRun ? null : await sender.drain() };
    },
    async summary(now, options = {}) {
      const log = logger.child({ job: 'summary', at: now.toISOString(), dryRun: options.dryRun ?? false });
      const schools = await queueDailySummaries(deps.summary, now, options);
      for (const result of schools) log.info({ schoolId: result.school.id, skipped: result.skipped, admins: result.messages.length, queued: result.queued }, 'summary planned');
      return { schools, delivery: options.dryRun ? null : await sender.drain() };
    },
    drain: () => sender.drain(),
    async housekeeping() {
      const pruned = {
        events: await deps.housekeeping.events.prune(EVENT_RETENTION_DAYS),
        outbox: await deps.housekeeping.outbox.prune(OUTBOX_RETENTION_DAYS),
      };
      logger.info({ job: 'housekeeping', deleted: pruned }, 'housekeeping done');
      return pruned;
    },
  };
}
