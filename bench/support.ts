import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.js';
import { schools } from '../src/db/schema.js';
import type { FakeVk, SentMessage } from '../test/support/fake-vk.js';

/** BENCH_SCALE=0.1 shrinks every benchmark's default sizes (a smoke test of the benches themselves). */
export const scale = Number(process.env.BENCH_SCALE ?? 1);
export const scaled = (n: number): number => Math.max(1, Math.round(n * scale));

/** Value at quantile q (0–1) of an ascending-sorted list, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => quantile([...values].sort((a, b) => a - b), 0.5);

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const cell = (value: string | number) => (typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : value);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c] ?? ''))));
}

/**
 * Follows the fake's outbox of sent messages incrementally (O(new messages)), so thousands of
 * simulated users can wait for replies without rescanning the whole history.
 */
export function createReplyTracker(fake: FakeVk) {
  let index = 0;
  const received = new Map<number, SentMessage[]>();
  const waiters = new Map<number, { count: number; resolve: (m: SentMessage) => void }[]>();
  const timer = setInterval(() => {
    for (; index < fake.sent.length; index += 1) {
      const message = fake.sent[index]!;
      const list = received.get(message.peerId) ?? [];
      list.push(message);
      received.set(message.peerId, list);
      const count = list.length;
      const pending = waiters.get(message.peerId);
      if (!pending) continue;
      for (const waiter of pending.filter((w) => w.count <= count)) waiter.resolve(message);
      waiters.set(message.peerId, pending.filter((w) => w.count > count));
    }
  }, 2);
  return {
    count: (peerId: number) => received.get(peerId)?.length ?? 0,
    /** Resolves with the message that brought the peer's total to `count`. */
    waitFor(peerId: number, count: number): Promise<SentMessage> {
      const arrived = received.get(peerId)?.[count - 1];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => {
        const list = waiters.get(peerId) ?? [];
        list.push({ count, resolve });
        waiters.set(peerId, list);
      });
    },
    stop: () => clearInterval(timer),
  };
}

/** Inserts `count` rostered teachers with one class each, in bulk; returns their VK ids. */
export async function seedTeachers(db: Database, schoolId: string, count: number, firstVkId: number): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; offset < count; offset += 5000) {
    const size = Math.min(5000, count - offset);
    const rows = Array.from({ length: size }, (_, i) => ({ id: randomUUID(), vkId: firstVkId + offset + i }));
    const values = sql.join(
      rows.map((r) => sql`(${r.id}::uuid, ${schoolId}::uuid, ${r.vkId}, ${`Учитель ${r.vkId} Тестович`})`),
      sql`, `,
    );
    await db.execute(sql`insert into teachers (id, school_id, vk_id, full_name) values ${values}`);
    const classes = sql.join(
      rows.map((r, i) => sql`(${schoolId}::uuid, ${r.id}::uuid, ${`${(i % 11) + 1}А`}, 0)`),
      sql`, `,
    );
    await db.execute(sql`insert into classes (school_id, teacher_id, name, position) values ${classes}`);
    ids.push(...rows.map((r) => r.vkId));
  }
  return ids;
}

/** The school the app bootstraps from configuration at start-up. */
export async function mainSchoolId(db: Database): Promise<string> {
  const [school] = await db.select({ id: schools.id }).from(schools).where(eq(schools.slug, 'main'));
  if (!school) throw new Error('start the app once before seeding: the school is created at start-up');
  return school.id;
}

/**
 * A throw-away PostgreSQL server of our own (initdb in a temporary folder, its own port), so a drill
 * can restart it without touching the machine's shared server. Runs the server as the `postgres`
 * user when started as root (PostgreSQL refuses to run as root).
 */
export async function startPrivatePostgres(): Promise<{ url: string; restart(): void; stop(): void }> {
  const { execFileSync } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const { mkdtempSync, chownSync, readdirSync } = await import('node:fs');
  const { tmpdir, userInfo } = await import('node:os');
  const { join } = await import('node:path');
  const versions = readdirSync('/usr/lib/postgresql');
  const bin = join('/usr/lib/postgresql', versions.sort().at(-1)!, 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'drill-pg-'));
  const asRoot = userInfo().uid === 0;
  const pgUser = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : undefined;
  if (asRoot) chownSync(dir, pgUser!, Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, tool), asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, { stdio: 'ignore' });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', options, '-w', '-l', join(dir, 'log'), 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => run('pg_ctl', ['-D', data, '-o', options, '-w', '-m', 'fast', '-l', join(dir, 'log'), 'restart']),
    stop: () => run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']),
  };
}

export const rssMb = (): number => Math.round(process.memoryUsage().rss / 1024 / 1024);

/** Samples RSS every 100 ms until stopped; `stop()` returns the peak in MB (and may be called again). */
export function trackPeakRss(): { stop(): number } {
  let peak = rssMb();
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssMb());
      return peak;
    },
  };
}

export type BenchDatabase = 'postgres' | 'embedded';

/** The databases a benchmark runs on, in order: Postgres when DATABASE_URL is set, then the embedded server. */
export const databases = (): BenchDatabase[] => (process.env.DATABASE_URL ? ['postgres', 'embedded'] : ['embedded']);

let only: BenchDatabase | null = null;

/**
 * Makes this process one pass on one database (bench/run.ts `--db`, in the child it starts per
 * pass): forEachDatabase runs only that one, and for the embedded one DATABASE_URL is cleared, since
 * createTestDatabase reads it.
 */
export function runOnlyOn(database: BenchDatabase): void {
  if (database === 'postgres' && !process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL');
  if (database === 'embedded') delete process.env.DATABASE_URL;
  only = database;
}

/**
 * Runs `work` on each database of `databases()`, Postgres first (createTestDatabase reads
 * DATABASE_URL, so it is hidden during the embedded pass), or only on the one `runOnlyOn` chose.
 */
export async function forEachDatabase(work: (label: 'embedded' | 'Postgres') => Promise<void>): Promise<void> {
  const savedUrl = process.env.DATABASE_URL;
  for (const database of only ? [only] : databases()) {
    if (database === 'postgres') {
      await work('Postgres');
      continue;
    }
    delete process.env.DATABASE_URL;
    try {
      await work('embedded');
    } finally {
      if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    }
  }
}
