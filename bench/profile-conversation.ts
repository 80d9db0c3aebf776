/**
 * Where an update's time goes on Postgres: statements, transactions, row operations and CPU per
 * handled update, from counters around simulated teachers walking the first checklist steps.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/profile-conversation.ts
 *   PROFILE_TEACHERS=200 (default 50), PROFILE_POOL=5 (default: the app's pool size)
 *
 * Writes to the server approximate round trips. Statements are counted as the bot sends them (BEGIN
 * and COMMIT included; the long poll cursor and the scheduler's own work in the same window too).
 * CPU: the Node process (bot, fake VK and simulated teachers together) and the server processes of
 * the bot's own connections.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { startApp } from '../src/compose/bot.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { type ScriptStep, closedLoop } from './conversation.js';
import { mainSchoolId, seedTeachers } from './support.js';

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: the statistics come from a Postgres server');
const TEACHERS = Number(process.env.PROFILE_TEACHERS ?? 50);
const POOL = process.env.PROFILE_POOL ? Number(process.env.PROFILE_POOL) : undefined;
const STEPS: ScriptStep[] = [
  { text: 'Здравствуйте', replies: 2 },
  { text: 'Подтверждаю', payload: { a: 'done', t: 'messengers' }, replies: 1 },
  { text: 'https://sferum.ru/?p=messages&join=ProfileWithTeacher01', replies: 1 },
];
const database = await createTestDatabase();
const statements = new Map<string, number>();
const bot = await openDatabase({
  url: database.url!,
  maxConnections: POOL,
  onQuery: (query) => {
    const kind = query.trim().split(/\s+/, 1)[0]!.toLowerCase();
    statements.set(kind, (statements.get(kind) ?? 0) + 1);
  },
});
// Writes on sockets to the server: postgres.js sends what it has queued in one write, so with
// statements waited for one by one this counts round trips.
const serverPort = Number(new URL(database.url!).port || 5432);
let writes = 0;
const write = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
  if (this.remotePort === serverPort) writes += 1;
  return (write as (...a: unknown[]) => boolean).apply(this, args);
} as typeof write;
const fake = await startFakeVk();
const app = await startApp({ config: { ...testConfig(fake), VK_API_LIMIT: 1000 }, logger: createLogger('silent', { pretty: false }), database: bot, pollWaitSeconds: 1 });
const users = await seedTeachers(database.db, await mainSchoolId(database.db), TEACHERS, 7_000_000);
const name = new URL(database.url!).pathname.slice(1);
type Row = Record<string, number>;
const rows = async (query: ReturnType<typeof sql>) => {
  const result = (await database.db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
};
/** utime + stime of a server process, in ms (clock ticks are 10 ms on Linux). */
const serverCpuMs = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
};
const stats = async () => {
  // Statistics reach the views with a delay; pg_stat_clear_snapshot makes each read fresh.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const [db] = await rows(sql`select xact_commit::int as commits, xact_rollback::int as rollbacks, tup_returned::int as returned, tup_inserted::int as inserted, tup_updated::int as updated, active_time::float8 as active, idle_in_transaction_time::float8 as idle from pg_stat_database where datname = ${name}`);
  const [tables] = await rows(sql`select sum(coalesce(seq_scan,0) + coalesce(idx_scan,0))::int as scans from pg_stat_user_tables`);
  // The bot's connections: every backend of this database except the one asking.
  const backends = await rows(sql`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`);
  const server = backends.reduce((sum, b) => sum + serverCpuMs(b.pid!), 0);
  const cpu = process.cpuUsage();
  const sent = [...statements.values()].reduce((a, b) => a + b, 0);
  return { ...db!, scans: tables!.scans!, server, node: (cpu.user + cpu.system) / 1000, sent, writes } as Row;
};
// Warm-up: every connection of the pool opened, statements prepared (the first step, not counted).
const before = await stats();
const kindsBefore = new Map(statements);
const { seconds } = await closedLoop(fake, users, STEPS);
const after = await stats();
const updates = users.length * STEPS.length;
const per = (key: string, digits = 1) => (((after as Row)[key]! - (before as Row)[key]!) / updates).toFixed(digits);
const kinds = [...statements].map(([kind, n]) => [kind, (n - (kindsBefore.get(kind) ?? 0)) / updates] as const).filter(([, n]) => n > 0);
console.log(`${TEACHERS} teachers × ${STEPS.length} steps, pool ${POOL ?? 'default'}: ${updates} updates in ${seconds.toFixed(2)} s (${(updates / seconds).toFixed(0)}/s)`);
console.log(`per update: ${per('writes')} writes to the server, ${per('sent')} statements sent (${kinds.map(([k, n]) => `${n.toFixed(1)} ${k}`).join(', ')}), ${per('commits')} commits, ${per('scans')} table scans (index or sequential), ${per('inserted')} rows inserted, ${per('updated')} updated, ${per('returned')} tuples returned`);
console.log(`per update: server ${per('active', 2)} ms executing statements, ${per('idle', 2)} ms idle in transaction (waiting for the bot); CPU ${per('server', 2)} ms in the bot's server processes, ${per('node', 2)} ms in Node (bot + fake VK + teachers)`);
await app.stop();
await bot.close();
await fake.close();
await database.destroy();
