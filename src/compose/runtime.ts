/**
 * What every process assembles alike: configuration → database (migrations, the configured school
 * and administrators) → repositories and job dependencies (`openRuntime`), and VK messaging
 * (`createMessaging`). Used by the bot (bot.ts) and by `npm run job` (src/cli/job.ts).
 */
import type { VK } from 'vk-io';
import { loadChecklistFile } from '../checklist-file.js';
import { type Config, reminderPolicyOf } from '../config.js';
import { defaultChecklist } from '../domain/checklist/default-checklist.js';
import type { Checklist } from '../domain/checklist/schema.js';
import type { School } from '../domain/model.js';
import { pageButton } from '../domain/admin/reports.js';
import type { Clock, Notifier, OutboxQueue, OutboxRepository, PosterRenderer, Repositories, SummaryRecipients, UnitOfWork } from '../domain/ports.js';
import type { ReminderJobDeps } from '../domain/reminders/job.js';
import type { DailySummaryDeps } from '../domain/summary/service.js';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { createAdminRepository, syncConfiguredAdmins } from '../db/repositories/admins.js';
import { createRepositories, createUnitOfWork } from '../db/repositories/index.js';
import { createOutboxRepository } from '../db/repositories/outbox.js';
import { createSchoolSettingsRepository } from '../db/repositories/school-settings.js';
import { upsertConfiguredSchool } from '../db/repositories/schools.js';
import { createStandingRepository } from '../db/repositories/standings.js';
import { createUploadedFileRepository } from '../db/repositories/uploaded-files.js';
import { createSummarySnapshotRepository } from '../db/repositories/summary-snapshots.js';
import type { Logger } from '../logger.js';
import { createPosterFiles } from '../outbox/posters.js';
import { withCharts } from '../reports/charting-notifier.js';
import { createChartRenderer } from '../reports/summary-chart.js';
import { type OutboxSender, createOutboxSender } from '../outbox/sender.js';
import { createPosterRenderer } from '../reports/chat-poster.js';
import { type Jobs, createJobs } from '../scheduler/jobs.js';
import { createVkClient } from '../vk/client.js';
import { type RetryPolicy, createVkNotifier } from '../vk/notifier.js';

export const systemClock: Clock = { now: () => new Date() };

/** Everything the bot and the command-line jobs share: configuration, database, repositories, job dependencies. */
export interface Runtime {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  /** The school bootstrapped from SCHOOL_NAME / SCHOOL_JOIN_CODE. */
  school: School;
  checklist: Checklist;
  clock: Clock;
  repos: Repositories;
  uow: UnitOfWork;
  admins: SummaryRecipients;
  outbox: OutboxRepository & OutboxQueue;
  reminderDeps: ReminderJobDeps;
  summaryDeps: DailySummaryDeps;
  /** Closes the database if the runtime opened it. */
  close(): Promise<void>;
}

/** Config → checklist → database, migrations (under an advisory lock) and the configured school and administrators. */
export async function openRuntime(options: { config: Config; logger: Logger; database?: DatabaseHandle; clock?: Clock }): Promise<Runtime> {
  const { config, logger } = options;
  const checklist = config.CHECKLIST_FILE ? loadChecklistFile(config.CHECKLIST_FILE) : defaultChecklist;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR, whenRunning: 'share', role: 'a job', log: (m) => logger.warn(m) }));
  try {
    await database.migrate();
    const school = await upsertConfiguredSchool(database.db, { slug: 'main', name: config.SCHOOL_NAME, joinCode: config.SCHOOL_JOIN_CODE });
    await syncConfiguredAdmins(database.db, school.id, { school: config.ADMIN_VK_IDS, region: config.REGION_ADMIN_VK_IDS });
    logger.info({ database: database.kind, schoolId: school.id, tasks: checklist.tasks.length }, 'database ready');

    const outbox = createOutboxRepository(database.db);
    const admins = createAdminRepository(database.db);
    const common = {
      schools: createSchoolSettingsRepository(database.db),
      standings: createStandingRepository(database.db),
      outbox,
      checklist,
      timeZone: config.TIMEZONE,
      defaults: reminderPolicyOf(config),
    };
    return {
      config,
      logger,
      database,
      school,
      checklist,
      clock: options.clock ?? systemClock,
      repos: createRepositories(database.db),
      uow: createUnitOfWork(database.db),
      admins,
      outbox,
      reminderDeps: common,
      summaryDeps: {
        ...common,
        admins,
        snapshots: createSummarySnapshotRepository(database.db),
        // With a public address the summary offers the web page (the link itself is asked for: it expires).
        render: config.PUBLIC_URL ? { extraButtons: [pageButton] } : undefined,
      },
      close: async () => {
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

export interface Messaging {
  vk: VK;
  notifier: Notifier;
  sender: OutboxSender;
  jobs: Jobs;
}

/** The VK client (community token: apiLimit, execute batching), the notifier, the outbox sender (which renders posters) and the jobs. */
export function createMessaging(runtime: Runtime, options: { retry?: RetryPolicy } = {}): Messaging {
  const { config, logger, repos, clock } = runtime;
  const vk = createVkClient({ token: config.VK_TOKEN, apiBaseUrl: config.VK_API_BASE_URL, apiLimit: config.VK_API_LIMIT });
  const vkNotifier = createVkNotifier({
    api: vk.api,
    upload: vk.upload,
    logger: logger.child({ component: 'notifier' }),
    retry: options.retry,
    onUnreachable: (vkId) => repos.teachers.markUnreachable(vkId, clock.now()),
  });
  const notifier = withCharts(vkNotifier, { charts: createChartRenderer(), logger: logger.child({ component: 'charts' }) });
  // Made on the first poster: a job process that sends none does not load the fonts.
  let renderer: PosterRenderer | undefined;
  const posters = createPosterFiles({
    renderer: {
      render: (request) => {
        renderer ??= createPosterRenderer();
        return renderer.render(request);
      },
    },
    uploaded: createUploadedFileRepository(runtime.database.db),
    logger: logger.child({ component: 'posters' }),
  });
  const sender = createOutboxSender({
    queue: runtime.outbox,
    notifier,
    posters,
    logger: logger.child({ component: 'outbox' }),
    options: { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 },
  });
  const jobs = createJobs({
    reminders: runtime.reminderDeps,
    summary: runtime.summaryDeps,
    sender,
    housekeeping: { events: runtime.repos.events, outbox: runtime.outbox },
    logger,
  });
  return { vk, notifier, sender, jobs };
}
