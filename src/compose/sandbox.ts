/** The sandbox's composition: the fake VK (src/fake-vk), the bot (bot.ts) against it, and the chat page (src/sandbox). */
import { join } from 'node:path';
import { type App, startApp } from './bot.js';
import { type Config, parseConfig, parseSandboxSettings } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { upsertConfiguredSchool } from '../db/repositories/schools.js';
import { createTeacherRepository } from '../db/repositories/teachers.js';
import type { Logger } from '../logger.js';
import { ROSTER_TEACHER, SANDBOX_ADMIN_VK_ID, builtInPersonas } from '../sandbox/personas.js';
import { type FakeVk, startFakeVk } from '../fake-vk/index.js';
import { type SandboxJobs, type SandboxWeb, createSandboxWeb } from '../sandbox/web.js';

export type { SandboxJobs } from '../sandbox/web.js';

/** The emulated community; its long poll cursor is stored under this id like a real one's. */
export const SANDBOX_GROUP_ID = 1;
export const SANDBOX_SCHOOL_NAME = 'Песочница: МКОУ «СОШ №4»';
export const SANDBOX_JOIN_CODE = 'SANDBOX-2026';

export interface Sandbox {
  /** The chat page, e.g. http://127.0.0.1:3000 */
  url: string;
  config: Config;
  app: App;
  emulator: FakeVk;
  /** Stops the bot (finishing what is in flight), then the emulator (writing its state), then the database; once. */
  stop(): Promise<void>;
}

export interface SandboxOptions {
  /** The environment as main read it; VK_TOKEN is not set (that is why this runs). */
  env: Record<string, string | undefined>;
  logger: Logger;
  /** The scheduler's jobs for the page's "run now" buttons; without it the buttons are hidden. */
  jobs?: (app: App) => SandboxJobs;
}

/**
 * `npm start` without a VK token: a local VK emulator (the one the end-to-end tests use) on
 * 127.0.0.1:SANDBOX_PORT, the real bot connected to it through vk-io over HTTP by the same
 * `startApp` as in production, and a VK-like chat page on the same port. Everything it keeps
 * (the embedded database, the emulator's state) lives in DATA_DIR/sandbox, so a restart continues the chats.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { env, logger } = options;
  const settings = parseSandboxSettings(env);
  const dir = join(settings.DATA_DIR, 'sandbox');
  const school = { name: env.SCHOOL_NAME?.trim() || SANDBOX_SCHOOL_NAME, joinCode: env.SCHOOL_JOIN_CODE?.trim() || SANDBOX_JOIN_CODE };

  let jobs: SandboxJobs | undefined;
  let web: SandboxWeb | undefined;
  const emulator = await startFakeVk({
    groupId: SANDBOX_GROUP_ID,
    port: settings.SANDBOX_PORT,
    stateDir: join(dir, 'vk'),
    // Like VK: a poll is held until something happens; old updates are forgotten after a while.
    longPollWaitCapSeconds: 25,
    longPollHistoryLimit: 1000,
    // `web` is set right after this resolves, before any request can be routed (that needs an I/O turn).
    onOtherRequest: (req, res, url) => web!.handle(req, res, url),
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${settings.SANDBOX_PORT} on 127.0.0.1 is taken: stop what uses it or set SANDBOX_PORT to another port`, { cause: error });
    }
    throw error;
  });
  let app: App | undefined;
  web = createSandboxWeb({ emulator, school, jobs: () => jobs, botPort: () => app?.http.port, logger });
  logger.info(
    { url: emulator.url, dataDir: dir },
    `Sandbox: VK_TOKEN is not set, so the bot talks to a local VK emulator. Open ${emulator.url} to chat with it`,
  );

  let database: DatabaseHandle | undefined;
  try {
    for (const persona of builtInPersonas) emulator.users.set(persona.vkId, { first_name: persona.firstName, last_name: persona.lastName });

    const config = parseConfig({
      ...env,
      VK_TOKEN: emulator.token,
      VK_GROUP_ID: String(emulator.groupId),
      VK_API_BASE_URL: emulator.apiBaseUrl,
      SCHOOL_NAME: school.name,
      SCHOOL_JOIN_CODE: school.joinCode,
      ADMIN_VK_IDS: [env.ADMIN_VK_IDS ?? '', String(SANDBOX_ADMIN_VK_ID)].filter((ids) => ids.trim() !== '').join(','),
      // The emulator delivers through the long poll; the health endpoints take any free port unless set.
      VK_UPDATES: 'longpoll',
      PORT: env.PORT || '0',
      // The administrators' page is reached through the chat page's address (src/sandbox/web.ts forwards it).
      PUBLIC_URL: emulator.url,
      // A trial runs at any hour: the school's working days and send window are open all week.
      REMINDER_WORKING_DAYS: env.REMINDER_WORKING_DAYS || '1-7',
      REMINDER_WINDOW: env.REMINDER_WINDOW || '00:00-23:59',
      DATA_DIR: dir,
      // Never a server's database (startMode does not run the sandbox with DATABASE_URL set).
      DATABASE_URL: undefined,
    });
    // An embedded database apart from the real bot's data in DATA_DIR: trying the sandbox never touches it.
    database = await openDatabase({ dataDir: dir, whenRunning: 'refuse', role: 'the sandbox' });
    await database.migrate();
    const { id: schoolId } = await upsertConfiguredSchool(database.db, { slug: 'main', name: config.SCHOOL_NAME, joinCode: config.SCHOOL_JOIN_CODE });
    await seedRoster(database, schoolId);

    // The emulator serves documents over http on loopback: named here, as tests do.
    const started = await startApp({ config, logger, database, documentOrigins: [new URL(emulator.url).origin] });
    app = started;
    jobs = options.jobs?.(started);
    logger.info({ url: emulator.url, joinCode: config.SCHOOL_JOIN_CODE }, 'sandbox ready');
    const opened = database;
    let stopped: Promise<void> | undefined;
    return {
      url: emulator.url,
      config,
      app: started,
      emulator,
      stop() {
        stopped ??= (async () => {
          await started.stop();
          await emulator.close();
          await opened.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await emulator.close();
    await database?.close();
    throw error;
  }
}

/** One teacher is on the school's list already, as after a roster import: the bot knows her by name. */
async function seedRoster(database: DatabaseHandle, schoolId: string): Promise<void> {
  const teachers = createTeacherRepository(database.db);
  if (await teachers.findByVkId(ROSTER_TEACHER.vkId)) return;
  await teachers.create({ schoolId, vkId: ROSTER_TEACHER.vkId, fullName: ROSTER_TEACHER.fullName, classes: [...ROSTER_TEACHER.classes], startedAt: null });
}
