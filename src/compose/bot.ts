/**
 * The composition root of the bot process: what `npm start` runs with a VK token, what the sandbox
 * runs against the fake VK, and what the end-to-end tests start. The shared parts come from runtime.ts.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { API } from 'vk-io';
import type { Config } from '../config.js';
import { reminderPolicyOf } from '../config.js';
import { createAdminReports } from '../domain/admin/reports.js';
import { MAX_ROSTER_FILE_BYTES, createAdminHandler } from '../domain/admin/service.js';
import { type ConversationService, createConversationService } from '../domain/conversation/service.js';
import type { Clock } from '../domain/ports.js';
import { createLaggardReminder } from '../domain/reminders/manual.js';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { createInstanceRegistry } from '../db/repositories/instances.js';
import { createPollCursorRepository } from '../db/repositories/poll-cursor.js';
import { createAdminLinks, derivedLinkSecret } from '../http/admin-link.js';
import { routeAdminPage } from '../http/admin-page.js';
import { sendText } from '../http/io.js';
import { type HttpServer, type ReadinessChecks, type RequestHandler, startHttpServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import { createReportRenderer } from '../reports/renderer.js';
import { createRosterFileReader } from '../reports/roster-file.js';
import { createMessaging, openRuntime } from './runtime.js';
import type { Jobs } from '../scheduler/jobs.js';
import { type Scheduler, createScheduler } from '../scheduler/scheduler.js';
import { type VkBot, createVkBot } from '../vk/bot.js';
import { createCallbackHandler } from '../vk/callback.js';
import { createDocumentFetcher } from '../vk/document-fetcher.js';
import type { RetryPolicy } from '../vk/notifier.js';
import { createUserDirectory } from '../vk/user-directory.js';

export interface App {
  database: DatabaseHandle;
  bot: VkBot;
  http: HttpServer;
  /** The reminder and summary jobs (cron calls them; so can tests and the sandbox). */
  jobs: Jobs;
  schoolId: string;
  /**
   * Stops the scheduler, then takes no more updates (readiness turns false, the HTTP server closes
   * once the requests in progress are answered), finishes the updates in flight and the outbox
   * sends, then closes the database (if the app opened it).
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
  /** How often the outbox is drained (retries, a crashed process's messages). */
  outboxIntervalMs?: number;
  /** False: no cron ticks (tests drive the jobs through `app.jobs`). */
  scheduler?: boolean;
  /**
   * Origins of a local fake VK whose documents may be downloaded besides VK's own https hosts
   * (tests, the sandbox). Deliberately not configuration: production cannot widen the allow-list.
   */
  documentOrigins?: readonly string[];
}

/** A readiness probe gets an answer within this time even when the database hangs. */
const READINESS_TIMEOUT_MS = 2000;
const DEFAULT_API_SHARE_INTERVAL_MS = 5000;
/** How often the outbox is looked at for messages not sent when they were queued: a cheap indexed query. */
const DEFAULT_OUTBOX_INTERVAL_MS = 1000;

/**
 * Composition: database → HTTP server (health from the first moment) → runtime (migrations, the
 * configured school and administrators) → messaging (VK client, notifier, outbox sender, jobs) →
 * services → VK transport → scheduler. Returns once the bot is taking updates: polling in
 * long-poll mode, answering the Callback API endpoint in webhook mode.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR, whenRunning: 'refuse', role: 'the bot', log: (m) => logger.warn(m) }));
  /** True from the moment the bot takes updates until it starts stopping. */
  let started = false;

  async function readiness(): Promise<ReadinessChecks> {
    const databaseUp = await within(READINESS_TIMEOUT_MS, database.ping());
    const migrations = databaseUp && (await within(READINESS_TIMEOUT_MS, database.migrationsApplied()));
    return { started, database: databaseUp, migrations };
  }

  let http: HttpServer | undefined;
  let scheduler: Scheduler | undefined;
  try {
    http = await startHttpServer({ host: config.HTTP_HOST, port: config.PORT, logger: logger.child({ component: 'http' }), readiness });
    // The Callback API route exists from the first moment: until the bot takes updates (and again
    // while it stops) VK is told 503, deliver again later, never 404 (which VK reads as a wrong URL).
    let callback: RequestHandler | undefined;
    if (config.VK_UPDATES === 'webhook') {
      http.route('POST', '/vk/callback', async (req, res) => (started && callback ? callback(req, res) : sendText(res, 503, 'not ready')));
    }
    const runtime = await openRuntime({ config, logger, database, clock: options.clock });
    const { uow, checklist, clock, school } = runtime;
    const { vk, notifier, sender, jobs } = createMessaging(runtime, { retry: options.retry });

    const reportRenderer = createReportRenderer();
    // The administrators' web page, when administrators can reach this server (PUBLIC_URL).
    const pageLinks = config.PUBLIC_URL
      ? createAdminLinks({ secret: config.ADMIN_PAGE_SECRET ?? derivedLinkSecret(config.VK_TOKEN), publicUrl: config.PUBLIC_URL, ttlMinutes: config.ADMIN_PAGE_LINK_MINUTES })
      : null;
    if (pageLinks) {
      routeAdminPage(http, {
        links: pageLinks,
        repos: runtime.repos,
        checklist,
        timeZone: config.TIMEZONE,
        clock,
        renderer: reportRenderer,
        homeSchoolId: school.id,
        logger: logger.child({ component: 'admin-page' }),
      });
    }
    const conversation = (api: API): ConversationService => {
      const service = createConversationService({
        uow,
        checklist,
        clock,
        timeZone: config.TIMEZONE,
        admin: createAdminHandler({
          checklist,
          timeZone: config.TIMEZONE,
          reports: createAdminReports({ checklist, timeZone: config.TIMEZONE, pageButton: pageLinks !== null }),
          reminder: createLaggardReminder({ checklist, timeZone: config.TIMEZONE, defaults: reminderPolicyOf(config) }),
          renderer: reportRenderer,
          files: createRosterFileReader(),
          fetcher: createDocumentFetcher({ maxBytes: MAX_ROSTER_FILE_BYTES, extraOrigins: options.documentOrigins }),
          directory: createUserDirectory(api),
          botUrl: `https://vk.me/club${config.VK_GROUP_ID}`,
          pageLinks,
        }),
      });
      return {
        async handle(message) {
          const handled = await service.handle(message);
          // "Remind the laggards now" queued reminders in its transaction: send them now it has committed.
          if (handled.facts.admin && handled.facts.effects.includes('remind')) {
            sender.drain().catch((error: unknown) => logger.error({ err: error }, 'outbox drain failed'));
          }
          return handled;
        },
      };
    };

    const apiShareIntervalMs = options.apiShareIntervalMs ?? DEFAULT_API_SHARE_INTERVAL_MS;
    const bot = createVkBot({
      vk,
      notifier,
      outbox: sender,
      options: {
        groupId: config.VK_GROUP_ID,
        apiLimit: config.VK_API_LIMIT,
        updates: config.VK_UPDATES,
        pollWaitSeconds: options.pollWaitSeconds,
        apiShareIntervalMs,
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
    });

    if (config.VK_UPDATES === 'webhook') {
      callback = createCallbackHandler({
        groupId: config.VK_GROUP_ID,
        secret: config.VK_CALLBACK_SECRET,
        confirmationCode: config.VK_CONFIRMATION_CODE,
        dispatcher: bot.dispatcher,
        logger: logger.child({ component: 'callback' }),
      });
    }
    await bot.start();
    // Replies are sent as each update commits; this picks up retries and what a crash left behind.
    sender.start(options.outboxIntervalMs ?? DEFAULT_OUTBOX_INTERVAL_MS);
    if (options.scheduler !== false) {
      scheduler = createScheduler({
        jobs,
        clock,
        logger: logger.child({ component: 'scheduler' }),
        options: { reminderCron: config.REMINDER_CRON, summaryCron: config.SUMMARY_CRON, timeZone: config.TIMEZONE },
      });
      scheduler.start();
    }
    started = true;
    const server = http;
    let stopped: Promise<void> | undefined;
    return {
      database,
      bot,
      http: server,
      jobs,
      schoolId: school.id,
      stop() {
        stopped ??= (async () => {
          started = false;
          await scheduler?.stop();
          await server.close();
          await bot.stop();
          await sender.stop();
          if (ownsDatabase) await database.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await scheduler?.stop();
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
