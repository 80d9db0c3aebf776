import { loadChecklistFile } from './checklist-file.js';
import type { Config } from './config.js';
import { defaultChecklist } from './domain/checklist/default-checklist.js';
import { createInterimAdminReports } from './domain/admin/interim-reports.js';
import type { AdminReports, LaggardReminder } from './domain/admin/ports.js';
import { MAX_ROSTER_FILE_BYTES, createAdminHandler } from './domain/admin/service.js';
import { createConversationService } from './domain/conversation/service.js';
import type { Clock } from './domain/ports.js';
import type { API } from 'vk-io';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { syncConfiguredAdmins } from './db/repositories/admins.js';
import { createRepositories, createUnitOfWork } from './db/repositories/index.js';
import { createPollCursorRepository } from './db/repositories/poll-cursor.js';
import { upsertConfiguredSchool } from './db/repositories/schools.js';
import type { Logger } from './logger.js';
import { createReportRenderer } from './reports/renderer.js';
import { createRosterFileReader } from './reports/roster-file.js';
import { createDocumentFetcher } from './vk/document-fetcher.js';
import { createUserDirectory } from './vk/user-directory.js';
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
  /** Issue 3's summary and laggards list; the interim roster-based ones otherwise. */
  adminReports?: AdminReports;
  /** Issue 3's "remind the laggards now"; until it is connected the button says so. */
  laggardReminder?: LaggardReminder;
}

/** Until issue 3's outbox is connected: "remind the laggards now" answers that it is not available. */
const unconnectedReminder: LaggardReminder = { remindNow: async () => ({ unavailable: true }) };

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
    await syncConfiguredAdmins(database.db, school.id, { school: config.ADMIN_VK_IDS, region: config.REGION_ADMIN_VK_IDS });
    logger.info({ database: database.kind, schoolId: school.id, tasks: checklist.tasks.length }, 'database ready');

    const repos = createRepositories(database.db);
    const clock = options.clock ?? systemClock;
    const conversation = (api: API) =>
      createConversationService({
        uow: createUnitOfWork(database.db),
        checklist,
        clock,
        timeZone: config.TIMEZONE,
        admin: createAdminHandler({
          checklist,
          timeZone: config.TIMEZONE,
          reports: options.adminReports ?? createInterimAdminReports({ checklist, timeZone: config.TIMEZONE }),
          reminder: options.laggardReminder ?? unconnectedReminder,
          renderer: createReportRenderer(),
          files: createRosterFileReader(),
          fetcher: createDocumentFetcher({ maxBytes: MAX_ROSTER_FILE_BYTES }),
          directory: createUserDirectory(api),
          botUrl: `https://vk.me/club${config.VK_GROUP_ID}`,
        }),
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
