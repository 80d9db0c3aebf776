/**
 * Memory of the bot as it runs in production: the real entry point in a process of its own (the
 * fake VK and the simulated teachers stay in this one), with 40,000 teachers, on each database:
 * Postgres (DATABASE_URL, when set; the server is not the bot's) and the embedded default (no
 * DATABASE_URL: the bot starts PostgreSQL from DATA_DIR, and the server's processes are its
 * children). The footprint is the whole process tree, the bot and every process it started:
 * the sum of their PSS (shared pages, such as the server's shared buffers, split among the
 * processes that map them, so nothing is counted twice), sampled every 100 ms for the peak. The
 * bot process's own RSS and peak (VmRSS, VmHWM) are printed beside it. The bot runs compiled
 * (`node dist/main.js`, as the Docker image runs it) and through tsx (`npm start`); then the daily
 * jobs run as `node dist/cli/job.js` over the same teachers (on the embedded default, with no bot
 * running, so each job starts the server itself).
 *
 *   npm run bench -- memory        (DATABASE_URL=… adds the Postgres pass)
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
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

/** A process and all its descendants, from /proc's parent links. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ")".
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** The sum of PSS over a process tree, in MB, and how many processes it has. */
function treeMemory(pid: number): { pss: number; processes: number } {
  let kb = 0;
  let processes = 0;
  for (const member of processTree(pid)) {
    try {
      kb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${member}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      processes++;
    } catch {
      // Exited meanwhile.
    }
  }
  return { pss: Math.round(kb / 1024), processes };
}

/** Samples a tree's PSS every 100 ms until stopped; returns the highest. */
function treePeak(pid: number): { stop(): number } {
  let peak = treeMemory(pid).pss;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeMemory(pid).pss);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeMemory(pid).pss);
    },
  };
}

interface Target {
  label: 'Postgres' | 'embedded';
  /** What the bot and the jobs get in their environment. */
  env: Record<string, string>;
  /** A client for seeding: on the embedded default, one more process sharing the bot's server. */
  open(): Promise<DatabaseHandle>;
  destroy(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const database = await createTestDatabase();
  return {
    label: 'Postgres',
    env: { DATABASE_URL: database.url },
    open: async () => ({ ...database, close: async () => {} }),
    destroy: () => database.destroy(),
  };
}

function embeddedTarget(): Target {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  return {
    label: 'embedded',
    env: { DATA_DIR: dataDir },
    open: () => openDatabase({ dataDir, whenRunning: 'share', role: 'the memory bench' }),
    destroy: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export async function benchMemory(): Promise<void> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit', cwd: root });
  const rows: Record<string, string | number>[] = [];
  for (const target of [...(process.env.DATABASE_URL ? [await postgresTarget()] : []), embeddedTarget()]) {
    try {
      await benchTarget(target, rows);
    } finally {
      await target.destroy();
    }
  }
  printTable('Memory of the bot in its own process, with every process it started (fake VK and simulated teachers in the bench process)', rows);
}

async function benchTarget(target: Target, rows: Record<string, string | number>[]): Promise<void> {
  let nextVkId = 1_000_000;
  const seed = async (work: (database: DatabaseHandle) => Promise<void>) => {
    // Closed before anything is measured: on the embedded default its connection is a server process in the bot's tree.
    const database = await target.open();
    try {
      await work(database);
    } finally {
      await database.close();
    }
  };
  for (const mode of ['compiled', 'tsx'] as const) {
    const fake = await startFakeVk({ rateLimitPerSecond: 20, groupId: 90 });
    const env = {
      VK_TOKEN: fake.token,
      VK_GROUP_ID: String(fake.groupId),
      VK_API_BASE_URL: fake.apiBaseUrl,
      SCHOOL_NAME: 'МКОУ «СОШ №4»',
      SCHOOL_JOIN_CODE: JOIN_CODE,
      PORT: '0',
      ...target.env,
    };
    const started = performance.now();
    const bot: MainProcess = startMain({ ...env, LOG_LEVEL: 'info' }, mode === 'compiled' ? { compiled: `${root}/dist` } : {});
    try {
      await bot.waitForLine((line) => line.msg === 'bot started');
      const startSeconds = (performance.now() - started) / 1000;
      const pid = bot.child.pid!;
      if (mode === 'compiled') await seed(async ({ db }) => seedManyTeachers(db, await mainSchoolId(db), TEACHERS, 5_000_000));
      let walkers: number[] = [];
      await seed(async ({ db }) => {
        walkers = await seedTeachers(db, await mainSchoolId(db), WALKERS, nextVkId);
      });
      nextVkId += WALKERS;
      await sleep(2000);
      const idle = memoryOf(pid);
      const idleTree = treeMemory(pid);
      const peak = treePeak(pid);
      const walk = await closedLoop(fake, walkers);
      const treeMax = peak.stop();
      const loaded = memoryOf(pid);
      rows.push({
        database: target.label,
        process: mode === 'compiled' ? 'bot, node dist/main.js' : 'bot, tsx src/main.ts',
        work: `${TEACHERS} teachers; ${WALKERS} walk the checklist (${walk.updates} updates, ${walk.replies} replies)`,
        'start, s': startSeconds.toFixed(1),
        processes: idleTree.processes,
        'tree idle, MB': idleTree.pss,
        'tree peak, MB': treeMax,
        'bot RSS idle, MB': idle.rss,
        'bot peak RSS, MB': loaded.peak,
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
        env: { PATH: process.env.PATH, VK_TOKEN: fake.token, VK_GROUP_ID: String(fake.groupId), VK_API_BASE_URL: fake.apiBaseUrl, SCHOOL_NAME: 'МКОУ «СОШ №4»', SCHOOL_JOIN_CODE: JOIN_CODE, LOG_LEVEL: 'warn', ADMIN_VK_IDS: '42', ...target.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      let peak = 0;
      const started = performance.now();
      const sampler = setInterval(() => {
        // A process that has exited but not been reaped has no memory lines: NaN, skipped.
        const { pss } = treeMemory(child.pid!);
        if (Number.isFinite(pss)) peak = Math.max(peak, pss);
      }, 100);
      const [code] = await once(child, 'exit');
      clearInterval(sampler);
      if (code !== 0) throw new Error(`job ${job} exited with ${String(code)}`);
      rows.push({
        database: target.label,
        process: `job ${job}, node dist/cli/job.js`,
        work: `${TEACHERS + WALKERS * 2} teachers; ${fake.sent.length} messages sent in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        'start, s': '',
        processes: '',
        'tree idle, MB': '',
        'tree peak, MB': peak,
        'bot RSS idle, MB': '',
        'bot peak RSS, MB': '',
      });
    } finally {
      await fake.close();
    }
  }
}
