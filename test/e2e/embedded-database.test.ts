import { inArray } from 'drizzle-orm';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { schools, teachers } from '../../src/db/schema.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, texts } from '../support/harness.js';
import { startJobProcess } from '../support/job-process.js';
import { type MainProcess, startMain } from '../support/main-process.js';
import { seedTeachers } from '../support/seed.js';
import { scratchDir } from '../support/scratch.js';

/**
 * `npm start` on the embedded default (no DATABASE_URL) with a second process on its DATA_DIR:
 * `npm run job -- reminders` shares the running bot's server; a second `npm start` refuses at
 * once naming the bot; a bot killed with SIGKILL leaves its server behind, and the next start
 * takes it over with nothing lost.
 */

/** A working Tuesday inside the default send window: every seeded teacher is due a reminder. */
const TUESDAY = '2026-12-08T10:00:00+03:00';
const TEACHERS = [5101, 5102, 5103];

let dataDir: string;
let fake: FakeVk;
const bots: MainProcess[] = [];

beforeAll(async () => {
  dataDir = scratchDir('embedded-default-');
  fake = await startFakeVk({ groupId: 310 });
});
afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  VK_TOKEN: fake.token,
  VK_GROUP_ID: String(fake.groupId),
  VK_API_BASE_URL: fake.apiBaseUrl,
  SCHOOL_NAME: 'МКОУ «СОШ №4»',
  SCHOOL_JOIN_CODE: JOIN_CODE,
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'info',
});

async function startBot(): Promise<MainProcess> {
  const bot = startMain(env());
  bots.push(bot);
  await bot.waitForLine((line) => line.msg === 'bot started');
  return bot;
}

/** `npm run job -- reminders` on the same DATA_DIR: the embedded default, as an operator would run it. */
async function remindersJob() {
  const job = startJobProcess(['reminders', '--at', TUESDAY], { fake, env: { DATA_DIR: dataDir } });
  return job.exited;
}

const remindersTo = (vkId: number) => fake.messagesTo(vkId).filter((m) => m.message.includes('Напоминаю о заданиях'));

describe('the embedded default and a second process on its DATA_DIR', { timeout: 120_000 }, () => {
  it('a job shares the running bot’s database: reminders delivered once, the bot unharmed', async () => {
    const bot = await startBot();
    // This test process is one more sharing client, like the job.
    const shared: DatabaseHandle = await openDatabase({ dataDir, whenRunning: 'share', role: 'the test' });
    try {
      const [school] = await shared.db.select().from(schools);
      await seedTeachers(
        shared.db,
        school!.id,
        TEACHERS.map((vkId) => ({ fullName: `Учитель ${vkId}`, vkId })),
      );
    } finally {
      await shared.close();
    }

    const first = await remindersJob();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 due, 3 newly queued');
    const second = await remindersJob();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 newly queued');
    for (const vkId of TEACHERS) expect(remindersTo(vkId)).toHaveLength(1);

    // The bot still answers, from the same database.
    expect(texts(await new VkUser(fake, 5999).say('Здравствуйте'))).toContain('код школы');
    expect(bot.child.exitCode).toBeNull();
  });

  it('a second npm start refuses at once, naming the running bot', async () => {
    const [running] = bots;
    const second = startMain(env());
    bots.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`Start-up failed: The embedded database in ${dataDir} is in use by the bot (process ${running!.child.pid}`);
    expect(running!.child.exitCode).toBeNull();
  });

  it('a bot killed with SIGKILL leaves its server behind; the next start takes it over and nothing is lost or sent twice', async () => {
    const [killed] = bots;
    killed!.child.kill('SIGKILL');
    await killed!.exited;
    const orphan = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow();

    const bot = await startBot();
    expect(() => process.kill(orphan, 0)).toThrow();
    const again = await remindersJob();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 newly queued');
    for (const vkId of TEACHERS) expect(remindersTo(vkId)).toHaveLength(1);
    const shared = await openDatabase({ dataDir, whenRunning: 'share', role: 'the test' });
    try {
      expect((await shared.db.select().from(teachers).where(inArray(teachers.vkId, TEACHERS))).map((t) => t.vkId).sort()).toEqual(TEACHERS);
    } finally {
      await shared.close();
    }

    expect(await bot.stop()).toBe(0);
    // The bot stopped its server on the way out.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
