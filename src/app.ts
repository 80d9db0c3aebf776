import { loadChecklistFile } from './checklist-file.js';
import type { Config } from './config.js';
import { defaultChecklist } from './domain/checklist/default-checklist.js';
import { createConversationService } from './domain/conversation/service.js';
import type { Clock } from './domain/ports.js';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { bootstrapAdmins } from './db/repositories/admins.js';
import { createRepositories, createUnitOfWork } from './db/repositories/index.js';
import { createPollCursorRepository } from './db/repositories/poll-cursor.js';
import { upsertConfiguredSchool } from './db/repositories/schools.js';
import type { Logger } from './logger.js';
import { createPosterRenderer } from './reports/chat-poster.js';
import { type VkBot, createVkBot } from './vk/bot.js';
import type { RetryPolicy } from './vk/notifier.js';

export interface App {
  database: DatabaseHandle;
  bot: VkBot;
  schoolId: string;
  /** Stops taking updates, finishes the ones in flight, then closes the database (if the app opened it). */
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
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Composition: config → checklist → database and migrations → services → VK transport.
 * Returns once the bot is receiving updates.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const checklist = config.CHECKLIST_FILE ? loadChecklistFile(config.CHECKLIST_FILE) : defaultChecklist;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ?? (await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR }));
  try {
    await database.migrate();
    const school = await upsertConfiguredSchool(database.db, { slug: 'main', name: config.SCHOOL_NAME, joinCode: config.SCHOOL_JOIN_CODE });
    await bootstrapAdmins(database.db, school.id, config.ADMIN_VK_IDS);
    logger.info({ database: database.kind, schoolId: school.id, tasks: checklist.tasks.length }, 'database ready');

    const repos = createRepositories(database.db);
    const clock = options.clock ?? systemClock;
    const conversation = createConversationService({
      uow: createUnitOfWork(database.db),
      checklist,
      clock,
      timeZone: config.TIMEZONE,
      posters: createPosterRenderer(),
    });
    const bot = createVkBot({
      options: {
        token: config.VK_TOKEN,
        groupId: config.VK_GROUP_ID,
        apiBaseUrl: config.VK_API_BASE_URL,
        apiLimit: config.VK_API_LIMIT,
        pollWaitSeconds: options.pollWaitSeconds,
        retry: options.retry,
      },
      logger,
      conversation,
      cursor: createPollCursorRepository(database.db, config.VK_GROUP_ID),
      onUnreachable: (vkId) => repos.teachers.markUnreachable(vkId, clock.now()),
    });
    await bot.start();
    return {
      database,
      bot,
      schoolId: school.id,
      async stop() {
        await bot.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}
