/**
 * Where an update's time goes on Postgres: transactions and row operations per handled update,
 * from pg_stat_database / pg_stat_user_tables deltas around 50 teachers walking the checklist.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/profile-conversation.ts
 */
import { sql } from 'drizzle-orm';
import { startApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { createReplyTracker, mainSchoolId, seedTeachers } from './support.js';

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: the statistics come from a Postgres server');
const STEPS = [
  { text: 'Здравствуйте', replies: 2 },
  { text: 'Подтверждаю', payload: { a: 'done', t: 'messengers' }, replies: 1 },
  { text: 'https://sferum.ru/?p=messages&join=ProfileWithTeacher01', replies: 1 },
];
const database = await createTestDatabase();
const fake = await startFakeVk();
const app = await startApp({ config: { ...testConfig(fake), VK_API_LIMIT: 1000 }, logger: createLogger('silent', { pretty: false }), database, pollWaitSeconds: 1 });
const users = await seedTeachers(database.db, await mainSchoolId(database.db), 50, 7_000_000);
const name = new URL(database.url!).pathname.slice(1);
type Row = Record<string, number>;
const rows = async (query: ReturnType<typeof sql>) => {
  const result = (await database.db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
};
const stats = async () => {
  // Statistics reach the views with a delay; pg_stat_clear_snapshot makes each read fresh.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const [db] = await rows(sql`select xact_commit::int as commits, xact_rollback::int as rollbacks, tup_returned::int as returned, tup_inserted::int as inserted, tup_updated::int as updated from pg_stat_database where datname = ${name}`);
  const [tables] = await rows(sql`select sum(coalesce(seq_scan,0) + coalesce(idx_scan,0))::int as scans from pg_stat_user_tables`);
  return { ...db!, scans: tables!.scans! } as Row;
};
const before = await stats();
const tracker = createReplyTracker(fake);
const started = performance.now();
await Promise.all(
  users.map(async (vkId) => {
    let expected = 0;
    for (const step of STEPS) {
      expected += step.replies;
      fake.sendMessage(vkId, step.text, { payload: step.payload });
      await tracker.waitFor(vkId, expected);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
tracker.stop();
const after = await stats();
const updates = users.length * STEPS.length;
const per = (key: string) => (((after as Row)[key]! - (before as Row)[key]!) / updates).toFixed(1);
console.log(`${updates} updates in ${seconds.toFixed(2)} s (${(updates / seconds).toFixed(0)}/s); per update: ${per('commits')} commits (each statement outside a transaction counts as one; includes these stat reads), ${per('scans')} table scans (index or sequential), ${per('inserted')} rows inserted, ${per('updated')} updated, ${per('returned')} tuples returned`);
await app.stop();
await fake.close();
await database.destroy();
