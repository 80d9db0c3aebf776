import { type Logger as CronLogger, type ScheduledTask, createTask } from 'node-cron';
import type { Clock } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { Jobs } from './jobs.js';

export interface SchedulerOptions {
  reminderCron: string;
  summaryCron: string;
  /** Looks at the outbox for retries that came due; seconds field first (node-cron). */
  outboxCron?: string;
  /** Deletes old update ids and settled outbox messages; default: daily at 03:17. */
  housekeepingCron?: string;
  timeZone: string;
}

export interface Scheduler {
  start(): void;
  /** Stops the ticks and waits for a tick in progress. */
  stop(): Promise<void>;
}

/**
 * Cron only triggers: each tick calls a job with the clock's `now`, and the job decides from
 * Postgres what is due. `noOverlap` skips a tick while the previous one of the same job still runs.
 */
export function createScheduler(deps: { jobs: Jobs; clock: Clock; logger: Logger; options: SchedulerOptions }): Scheduler {
  const { jobs, clock, logger, options } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const track = (name: string, run: () => Promise<unknown>) => async () => {
    const work = run().catch((error: unknown) => logger.error({ err: error, job: name }, 'scheduled job failed'));
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  };
  const taskOptions = (name: string) => ({ name, timezone: options.timeZone, noOverlap: true, logger: cronLogger(logger.child({ job: name })) });
  const tasks: ScheduledTask[] = [
    createTask(options.reminderCron, track('reminders', () => jobs.reminders(clock.now())), taskOptions('reminders')),
    createTask(options.summaryCron, track('summary', () => jobs.summary(clock.now())), taskOptions('summary')),
    createTask(options.outboxCron ?? '*/30 * * * * *', track('outbox', () => jobs.drain()), taskOptions('outbox')),
    createTask(options.housekeepingCron ?? '17 3 * * *', track('housekeeping', () => jobs.housekeeping()), taskOptions('housekeeping')),
  ];
  return {
    start() {
      for (const task of tasks) void task.start();
      logger.info({ reminderCron: options.reminderCron, summaryCron: options.summaryCron, timeZone: options.timeZone }, 'scheduler started');
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** node-cron's own messages (e.g. "execution blocked by overlap prevention") into the app's log. */
function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.debug(message),
    warn: (message) => logger.info(message),
    error: (message, err) => logger.error({ err: err ?? message }, 'node-cron error'),
    debug: (message) => logger.debug(typeof message === 'string' ? message : { err: message }),
  };
}
