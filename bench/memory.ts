/**
 * Memory of the bot as it runs in production: the real entry point in a process of its own (the
 * fake VK and the simulated teachers stay in this one), on Postgres with 40,000 teachers. Peak
 * and current RSS come from /proc (VmHWM, VmRSS). The bot runs twice, compiled (`node dist/main.js`,
 * as the Docker image runs it) and through tsx (`npm start`); then the daily jobs run as
 * `node dist/cli/job.js` over the same 40,000 teachers.
 *
 *   DATABASE_URL=… npm run bench -- memory        (needs Postgres: two processes share the database)
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { JOIN_CODE } from '../test/support/harness.js';
import { type MainProcess, startMain } from '../test/support/main-process.js';
import { seedManyTeachers } from '../test/support/seed.js';
import { closedLoop } from './conversation.js';
import { mainSchoolId, printTable, seedTeachers } from './support.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const scale = Number(process.env.BENCH_SCALE ?? 1);
const TEACHERS = Math.max(100, Math.round(40_000 * scale));
const WALKERS = Math.max(10, Math.round(100 * scale));
/** A working Tuesday inside the default send window: every seeded teacher is due a reminder. */
const TUESDAY = '2026-12-08T10:00:00+03:00';

/** VmRSS and VmHWM (the peak) of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

export async function benchMemory(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('memory: skipped without DATABASE_URL (the bot runs in a process of its own; PGlite cannot be shared).');
    return;
  }
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit', cwd: root });
  const database = await createTestDatabase();
  const rows: Record<string, string | number>[] = [];
  try {
    let nextVkId = 1_000_000;
    for (const mode of ['compiled', 'tsx'] as const) {
      const fake = await startFakeVk({ rateLimitPerSecond: 20, groupId: 90 });
      const env = {
        VK_TOKEN: fake.token,
        VK_GROUP_ID: String(fake.groupId),
        VK_API_BASE_URL: fake.apiBaseUrl,
        DATABASE_URL: database.url!,
        SCHOOL_NAME: 'МКОУ «СОШ №4»',
        SCHOOL_JOIN_CODE: JOIN_CODE,
        PORT: '0',
        LOG_LEVEL: 'warn',
      };
      const bot: MainProcess = startMain({ ...env, LOG_LEVEL: 'info' }, mode === 'compiled' ? { compiled: `${root}/dist` } : {});
      try {
        await bot.waitForLine((line) => line.msg === 'bot started');
        const pid = bot.child.pid!;
        const schoolId = await mainSchoolId(database.db);
        if (mode === 'compiled') await seedManyTeachers(database.db, schoolId, TEACHERS, 5_000_000);
        await sleep(2000);
        const idle = memoryOf(pid);
        const walkers = await seedTeachers(database.db, schoolId, WALKERS, nextVkId);
        nextVkId += WALKERS;
        const walk = await closedLoop(fake, walkers);
        const loaded = memoryOf(pid);
        rows.push({
          process: `bot, ${mode === 'compiled' ? 'node dist/main.js' : 'tsx src/main.ts'}`,
          work: `${TEACHERS} teachers in the database; ${WALKERS} walk the checklist (${walk.updates} updates, ${walk.replies} replies, posters included)`,
          'RSS idle, MB': idle.rss,
          'RSS after, MB': loaded.rss,
          'peak RSS, MB': loaded.peak,
        });
      } finally {
        await bot.stop();
        await fake.close();
      }
    }

    for (const job of ['summary', 'reminders'] as const) {
      const fake = await startFakeVk({ rateLimitPerSecond: 20, groupId: 91 });
      try {
        const child = spawn(process.execPath, [`${root}/dist/cli/job.js`, job, '--at', TUESDAY], {
          cwd: root,
          env: { PATH: process.env.PATH, VK_TOKEN: fake.token, VK_GROUP_ID: String(fake.groupId), VK_API_BASE_URL: fake.apiBaseUrl, DATABASE_URL: database.url!, SCHOOL_NAME: 'МКОУ «СОШ №4»', SCHOOL_JOIN_CODE: JOIN_CODE, LOG_LEVEL: 'warn', ADMIN_VK_IDS: '42' },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        let peak = 0;
        const started = performance.now();
        const sampler = setInterval(() => {
          try {
            // A process that has exited but not been reaped has no memory lines: NaN, skipped.
            const { peak: now } = memoryOf(child.pid!);
            if (Number.isFinite(now)) peak = Math.max(peak, now);
          } catch {
            // The process is gone between two samples.
          }
        }, 50);
        const [code] = await once(child, 'exit');
        clearInterval(sampler);
        if (code !== 0) throw new Error(`job ${job} exited with ${String(code)}`);
        const sent = fake.sent.length;
        rows.push({
          process: `job ${job}, node dist/cli/job.js`,
          work: `${TEACHERS + WALKERS * 2} teachers; ${sent} messages sent in ${((performance.now() - started) / 1000).toFixed(1)} s`,
          'RSS idle, MB': '',
          'RSS after, MB': '',
          'peak RSS, MB': peak,
        });
      } finally {
        await fake.close();
      }
    }
  } finally {
    await database.destroy();
  }
  printTable('Memory of the bot in its own process (Postgres; fake VK and simulated teachers in the bench process)', rows);
}
