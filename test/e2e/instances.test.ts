import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/db/repositories/index.js';
import { auditLog, processedEvents, schools, taskCompletions } from '../../src/db/schema.js';
import journal from '../../migrations/meta/_journal.json' with { type: 'json' };
import { getJson, postCallback } from '../support/callback.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { type BotInstance, startBotProcess, webhookEnv } from '../support/instances.js';

/**
 * Several bot instances behind VK's Callback API on one database (DATABASE_URL's server, or the
 * tests' embedded one): each instance is a child process running src/main.ts.
 */
const SECRET = 'Ra7vX2kP9qLm4TzW8nBc';
const CONFIRMATION = '9c1b7e3f';
const TEST_TIMEOUT_MS = 240_000;

let fake: FakeVk;
let database: TestDatabase | undefined;
const running: BotInstance[] = [];

beforeEach(async () => {
  fake = await startFakeVk({ groupId: 4242 });
});
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((instance) => instance.stop()));
  await database?.destroy();
  database = undefined;
  await fake.close();
});

/** Starts `count` instances at the same moment; all must come up. */
async function startInstances(count: number, db: TestDatabase): Promise<BotInstance[]> {
  const env = webhookEnv(fake, SECRET, CONFIRMATION);
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => startBotProcess(`bot-${i + 1}`, { ...env, DATABASE_URL: db.url })),
  );
  for (const result of results) if (result.status === 'fulfilled') running.push(result.value);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return running.slice();
}

/** mulberry32: a seeded generator, so a failing order can be replayed with TEST_SEED. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function migrationRows(db: TestDatabase): Promise<number> {
  const result = await db.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0]?.n ?? 0;
}

describe('bot instances behind the Callback API on one database', () => {
  it(
    'four instances starting at once on a fresh database all come up, and the migrations run once',
    async () => {
      database = await createTestDatabase({ migrate: false });
      const started = Date.now();
      const instances = await startInstances(4, database);
      const seconds = (Date.now() - started) / 1000;
      for (const instance of instances) {
        expect(await getJson(`${instance.baseUrl}/readyz`)).toEqual({ status: 200, body: { ready: true, checks: { started: true, database: true, migrations: true } } });
      }
      expect(await migrationRows(database)).toBe(journal.entries.length);
      console.info(`${instances.length} processes started together on a fresh database: all ready in ${seconds.toFixed(1)} s, ${journal.entries.length} migrations applied once`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'three instances take every event once and reply once per message, whatever the order and duplication',
    async () => {
      const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

      database = await createTestDatabase({ migrate: false });
      const instances = await startInstances(3, database);
      const db = database.db;

      // Teachers the administrator imported: each one's first message starts the checklist.
      const [school] = await db.select({ id: schools.id }).from(schools).where(eq(schools.slug, 'main'));
      const repos = createRepositories(db);
      const teachers = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const vkId = 300_000 + i;
          const teacher = await repos.teachers.create({ schoolId: school!.id, vkId, fullName: 'Алиева Марьям Магомедовна', classes: [], startedAt: null });
          return { vkId, id: teacher.id };
        }),
      );

      const stats = { deliveries: 0, notOk: [] as string[] };
      const copiesInFlight: Promise<void>[] = [];
      const eventIds: string[] = [];

      /** Like VK after a failure: deliver again until `ok` (behind a balancer, maybe to another instance). */
      async function deliverUntilOk(first: BotInstance, body: object): Promise<void> {
        let instance = first;
        for (let attempt = 1; ; attempt += 1) {
          const answer = await postCallback(`${instance.baseUrl}/vk/callback`, body);
          stats.deliveries += 1;
          if (answer.status === 200 && answer.body === 'ok') return;
          stats.notOk.push(`${instance.name}: ${answer.status} ${answer.body}`);
          if (attempt >= 5) throw new Error(`event not accepted after ${attempt} deliveries: ${stats.notOk.join('; ')}`);
          instance = pick(instances);
        }
      }

      /**
       * One event reaches every instance, and one of them twice, each copy after a random delay.
       * The sender moves on once any copy is accepted; the other copies are still on their way.
       */
      async function deliver(body: object): Promise<void> {
        const copies = [...instances, pick(instances)].map(async (instance) => {
          await sleep(random() * 40);
          await deliverUntilOk(instance, body);
        });
        copiesInFlight.push(...copies);
        await Promise.any(copies);
      }

      const started = Date.now();
      await Promise.all(
        teachers.map(async (teacher) => {
          await sleep(random() * 100);
          for (const text of ['Здравствуйте', 'да', 'прогресс']) {
            const { eventId, update } = fake.createMessageUpdate(teacher.vkId, text);
            eventIds.push(eventId);
            await deliver({ ...update, secret: SECRET });
          }
        }),
      );
      await Promise.all(copiesInFlight);
      const acceptedIn = (Date.now() - started) / 1000;
      for (const teacher of teachers) await fake.waitForMessages(teacher.vkId, 4, 30_000);
      // Stopping drains every reply still being sent: after this nothing more can arrive.
      const logs = instances.map((instance) => instance.logCounts);
      await Promise.all(running.splice(0).map((instance) => instance.stop()));

      // Each event was recorded once and took effect once.
      const recorded = await db.select({ id: processedEvents.eventId }).from(processedEvents).where(inArray(processedEvents.eventId, eventIds));
      expect(recorded).toHaveLength(eventIds.length);
      const ids = teachers.map((t) => t.id);
      const audits = await db.select({ teacherId: auditLog.teacherId, action: auditLog.action, task: auditLog.taskCode }).from(auditLog).where(inArray(auditLog.teacherId, ids));
      const completions = await db
        .select({ teacherId: taskCompletions.teacherId })
        .from(taskCompletions)
        .where(and(inArray(taskCompletions.teacherId, ids), eq(taskCompletions.taskCode, 'messengers')));
      for (const teacher of teachers) {
        const own = audits.filter((a) => a.teacherId === teacher.id);
        expect(own.map((a) => `${a.action}:${a.task ?? ''}`).sort()).toEqual(['started:', 'task_done:messengers']);
        expect(completions.filter((c) => c.teacherId === teacher.id)).toHaveLength(1);
      }

      // Each teacher got the replies to three messages exactly once: greeting and first task, the
      // next task (without classes the chats, the poster and the parents' figures do not apply), the
      // progress (the first two may arrive in either order across instances).
      for (const teacher of teachers) {
        const replies = fake.messagesTo(teacher.vkId).map((m) => m.message);
        expect(replies).toHaveLength(4);
        expect(replies.filter((r) => r.includes('Здравствуйте, Марьям Магомедовна'))).toHaveLength(1);
        expect(replies.filter((r) => r.includes('Задание 1 из 6'))).toHaveLength(1);
        expect(replies.filter((r) => r.includes('Задание 5 из 6'))).toHaveLength(1);
        expect(replies.filter((r) => r.includes('Ваш прогресс: 4 из 6.'))).toHaveLength(1);
      }
      // No reply was even attempted twice (VK would have dropped it by random_id, hiding the bug).
      expect(fake.resent).toEqual([]);
      expect(stats.notOk).toEqual([]);
      // The processes' own logs agree: every event handled by exactly one of them.
      const handled = logs.reduce((sum, counts) => sum + (counts.get('update handled') ?? 0), 0);
      expect(handled).toBe(eventIds.length);

      const perInstance = logs.length
        ? `; handled/duplicate per instance: ${logs.map((l) => `${l.get('update handled') ?? 0}/${l.get('duplicate update ignored') ?? 0}`).join(', ')}`
        : '';
      console.info(
        `seed ${seed}: ${teachers.length} teachers × 3 messages = ${eventIds.length} events, ${stats.deliveries} deliveries to ${instances.length} processes ` +
          `accepted in ${acceptedIn.toFixed(1)} s; ${recorded.length} events recorded once, ${fake.sent.length} replies, 0 repeated${perInstance}`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
