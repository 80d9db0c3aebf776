import type { Config } from './config.js';
import { createAdminActions } from './domain/admin/actions.js';
import { createConversationService } from './domain/conversation/service.js';
import type { Clock } from './domain/ports.js';
import { queueDueReminders } from './domain/reminders/job.js';
import type { DatabaseHandle } from './db/client.js';
import { createPollCursorRepository } from './db/repositories/poll-cursor.js';
import type { Logger } from './logger.js';
import { createMessaging, openRuntime } from './runtime.js';
import type { Jobs } from './scheduler/jobs.js';
import { type Scheduler, createScheduler } from './scheduler/scheduler.js';
import { type VkBot, createVkBot } from './vk/bot.js';
import type { RetryPolicy } from './vk/notifier.js';

export interface App {
  database: DatabaseHandle;
  bot: VkBot;
  jobs: Jobs;
  schoolId: string;
  /** Stops the scheduler, then takes no more updates and finishes those in flight, then closes the database (if the app opened it). */
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** An already open database (tests); the app then leaves closing it to the caller. */
  database?: DatabaseHandle;
  clock?: Clock;
  pollWaitSeconds?: number;
  retry?: RetryPolicy;
  /** False: no cron ticks (tests drive the jobs through `app.jobs`). */
  scheduler?: boolean;
}

/**
 * Composition: config → checklist → database and migrations → services → VK transport → scheduler.
 * Returns once the bot is receiving updates.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const runtime = await openRuntime(options);
  let scheduler: Scheduler | undefined;
  try {
    const { repos, clock, uow, checklist, database } = runtime;
    const { vk, notifier, sender, jobs } = createMessaging(runtime, { retry: options.retry });
    const conversation = createConversationService({ uow, checklist, clock, timeZone: config.TIMEZONE });
    const admin = createAdminActions({
      events: repos.events,
      admins: runtime.admins,
      clock,
      async remindLaggards(schoolId, now) {
        const [result] = await queueDueReminders(runtime.reminderDeps, now, { schoolId, manual: true });
        // Sending runs on after the reply; its outcome is logged by the sender.
        sender.drain().catch((error: unknown) => logger.error({ err: error }, 'outbox drain failed'));
        return result ?? null;
      },
    });
    const bot = createVkBot({
      vk,
      notifier,
      options: { groupId: config.VK_GROUP_ID, pollWaitSeconds: options.pollWaitSeconds },
      logger,
      conversation,
      admin,
      cursor: createPollCursorRepository(database.db, config.VK_GROUP_ID),
    });
    await bot.start();
    if (options.scheduler !== false) {
      scheduler = createScheduler({
        jobs,
        clock,
        logger: logger.child({ component: 'scheduler' }),
        options: { reminderCron: config.REMINDER_CRON, summaryCron: config.SUMMARY_CRON, timeZone: config.TIMEZONE },
      });
      scheduler.start();
    }
    return {
      database,
      bot,
      jobs,
      schoolId: runtime.school.id,
      async stop() {
        await scheduler?.stop();
        await bot.stop();
        await sender.stop();
        await runtime.close();
      },
    };
  } catch (error) {
    await scheduler?.stop();
    await runtime.close();
    throw error;
  }
}
