import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { createInstanceRegistry } from './db/repositories/instances.js';
import { createPollCursorRepository } from './db/repositories/poll-cursor.js';
import { upsertConfiguredSchool } from './db/repositories/schools.js';
import { type HttpServer, type ReadinessChecks, answer, startHttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { createPosterRenderer } from './reports/chat-poster.js';
import { createReportRenderer } from './reports/renderer.js';
import { createRosterFileReader } from './reports/roster-file.js';
import { createDocumentFetcher } from './vk/document-fetcher.js';
import { createUserDirectory } from './vk/user-directory.js';
import { type VkBot, createVkBot } from './vk/bot.js';
import { createCallbackHandler } from './vk/callback.js';
import type { RetryPolicy } from './vk/notifier.js';

export interface App {
  database: DatabaseHandle;
  bot: VkBot;
  http: HttpServer;
  schoolId: string;
  /**
   * Stops taking updates (readiness turns false, the HTTP server closes once the requests in
   * progress are answered), finishes the updates in flight, then closes the database (if the app opened it).
   */
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** An already open database (tests); the app then leaves closing it to the caller. */
  database?: DatabaseHandle;
  clock?: Clock;
  pollWaitSeconds?: number;
  apiShareIntervalMs?: number;
  retry?: RetryPolicy;
  /** Retries of a failed update transaction in long-poll mode (a database restart, say). */
  handleRetry?: RetryPolicy;
  /** Issue 3's summary and laggards list; the interim roster-based ones otherwise. */
  adminReports?: AdminReports;
  /** Issue 3's "remind the laggards now"; until it is connected the button says so. */
  laggardReminder?: LaggardReminder;
}

/** Until issue 3's outbox is connected: "remind the laggards now" answers that it is not available. */
const unconnectedReminder: LaggardReminder = { remindNow: async () => ({ unavailable: true }) };

const systemClock: Clock = { now: () => new Date() };
/** A readiness probe gets an answer within this time even when the database hangs. */
const READINESS_TIMEOUT_MS = 2000;
const DEFAULT_API_SHARE_INTERVAL_MS = 5000;

/**
 * Composition: config → checklist → database → HTTP server (health from the first moment) →
 * migrations → services → VK transport. Returns once the bot is taking updates: polling in
 * long-poll mode, answering the Callback API endpoint in webhook mode.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const checklist = config.CHECKLIST_FILE ? loadChecklistFile(config.CHECKLIST_FILE) : defaultChecklist;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ?? (await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR }));
  /** True from the moment the bot takes updates until it starts stopping. */
  let started = false;

  async function readiness(): Promise<ReadinessChecks> {
    const databaseUp = await within(READINESS_TIMEOUT_MS, database.ping());
    const migrations = databaseUp && (await within(READINESS_TIMEOUT_MS, database.migrationsApplied()));
    return { started, database: databaseUp, migrations };
  }

  let http: HttpServer | undefined;
  try {
    http = await startHttpServer({ host: config.HTTP_HOST, port: config.PORT, logger: logger.child({ component: 'http' }), readiness });
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
        posters: createPosterRenderer(),
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
    const apiShareIntervalMs = options.apiShareIntervalMs ?? DEFAULT_API_SHARE_INTERVAL_MS;
    const bot = createVkBot({
      options: {
        token: config.VK_TOKEN,
        groupId: config.VK_GROUP_ID,
        apiBaseUrl: config.VK_API_BASE_URL,
        apiLimit: config.VK_API_LIMIT,
        updates: config.VK_UPDATES,
        pollWaitSeconds: options.pollWaitSeconds,
        apiShareIntervalMs,
        retry: options.retry,
        handleRetry: options.handleRetry,
      },
      logger,
      conversation,
      cursor: createPollCursorRepository(database.db, config.VK_GROUP_ID),
      registry: createInstanceRegistry(database.db, {
        id: randomUUID(),
        groupId: config.VK_GROUP_ID,
        label: `${hostname()}:${process.pid}`,
        staleAfterMs: 3 * apiShareIntervalMs,
      }),
      onUnreachable: (vkId) => repos.teachers.markUnreachable(vkId, clock.now()),
    });

    if (config.VK_UPDATES === 'webhook') {
      const callback = createCallbackHandler({
        groupId: config.VK_GROUP_ID,
        secret: config.VK_CALLBACK_SECRET,
        confirmationCode: config.VK_CONFIRMATION_CODE,
        dispatcher: bot.dispatcher,
        logger: logger.child({ component: 'callback' }),
      });
      // Before start and while stopping, VK is told to deliver again (to this or another instance).
      http.route('POST', '/vk/callback', async (req, res) => (started ? callback(req, res) : answer(res, 503, 'not ready')));
    }
    await bot.start();
    started = true;
    const server = http;
    let stopped: Promise<void> | undefined;
    return {
      database,
      bot,
      http: server,
      schoolId: school.id,
      stop() {
        stopped ??= (async () => {
          started = false;
          await server.close();
          await bot.stop();
          if (ownsDatabase) await database.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await http?.close();
    if (ownsDatabase) await database.close();
    throw error;
  }
}

/** The check's result, or false when it fails or takes longer than `ms`. */
async function within(ms: number, check: Promise<boolean>): Promise<boolean> {
  const abort = new AbortController();
  try {
    return await Promise.race([check.catch(() => false), sleep(ms, false, { signal: abort.signal })]);
  } finally {
    abort.abort();
  }
}
