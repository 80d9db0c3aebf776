import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queueDueReminders } from '../src/domain/reminders/job.js';
import { createLogger } from '../src/logger.js';
import { createMessaging, openRuntime } from '../src/compose/runtime.js';
import { table } from '../src/cli/report.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { seedManyTeachers } from '../test/support/seed.js';
import { forEachDatabase, scaled, trackPeakRss } from './support.js';

/** VK's ceiling for one community token: 20 requests/s × 25 calls per execute. */
const CEILING = 20 * 25;
const TUESDAY = new Date('2026-12-08T10:00:00+03:00');
const FIRST_VK_ID = 1_000_000;

/**
 * 10,000 teachers with open tasks, reminded through the real outbox, sender and vk-io client,
 * against the fake VK enforcing 20 requests/s. Prints messages/s and the share of the 500/s ceiling.
 */
export async function benchReminders(argv: string[]): Promise<void> {
  const values = options(argv);
  const sizes = values.teachers === undefined ? DEFAULT_SIZES : [[Number(values.teachers), Number(values.runs ?? 3)]];
  for (const [teachers, runs] of sizes) await forEachDatabase(() => benchRemindersOn(teachers!, Number(values.runs ?? runs)));
}

/** By default 10,000 teachers (3 runs) and 40,000 (1 run: 80 s of sending at the ceiling), on each database; BENCH_SCALE shrinks them. */
const DEFAULT_SIZES = [
  [scaled(10_000), 3],
  [scaled(40_000), 1],
];

const options = (argv: string[]) => parseArgs({ args: argv, options: { teachers: { type: 'string' }, runs: { type: 'string' } }, strict: false }).values;

/** bench/run.ts runs each size in a process of its own: the options of each. */
export function reminderPasses(argv: string[]): string[][] {
  const values = options(argv);
  if (values.teachers !== undefined) return [argv];
  return DEFAULT_SIZES.map(([teachers, runs]) => [...argv, '--teachers', String(teachers), '--runs', String(values.runs ?? runs)]);
}

async function benchRemindersOn(teachers: number, runs: number): Promise<void> {
  const database = await createTestDatabase();
  const peak = trackPeakRss();
  const logger = createLogger('warn', { pretty: false, stderr: true });
  const rows: string[][] = [];
  const rates: number[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      // A fresh fake per run: its random_id memory would drop the second run's messages.
      const fake = await startFakeVk({ rateLimitPerSecond: 20 });
      try {
        const runtime = await openRuntime({ config: testConfig(fake, { LOG_LEVEL: 'warn' }), logger, database });
        if (run === 1) {
          const started = performance.now();
          await seedManyTeachers(database.db, runtime.school.id, teachers, FIRST_VK_ID);
          console.log(`Seeded ${teachers} teachers in ${((performance.now() - started) / 1000).toFixed(1)} s (${database.kind}).`);
        }
        await database.db.execute(sql`truncate outbox`);
        const { sender } = createMessaging(runtime);

        const planStart = performance.now();
        const [school] = await queueDueReminders(runtime.reminderDeps, TUESDAY);
        const planSeconds = (performance.now() - planStart) / 1000;
        const sendStart = performance.now();
        const stats = await sender.drain();
        const sendSeconds = (performance.now() - sendStart) / 1000;

        const delivered = new Set(fake.sent.map((m) => m.peerId));
        if (school?.queued !== teachers || stats.sent !== teachers || fake.sent.length !== teachers || delivered.size !== teachers) {
          throw new Error(`run ${run}: queued ${school?.queued}, sent ${stats.sent}, VK got ${fake.sent.length} for ${delivered.size} teachers; expected ${teachers} each`);
        }
        const api = fake.requestLog.filter((entry) => entry.method === 'execute' || entry.method === 'messages.send');
        const rate = teachers / sendSeconds;
        rates.push(rate);
        rows.push([
          String(run),
          `${planSeconds.toFixed(2)} s`,
          `${sendSeconds.toFixed(2)} s`,
          rate.toFixed(0),
          `${((rate / CEILING) * 100).toFixed(0)}%`,
          String(api.length),
          (teachers / api.filter((entry) => entry.errorCode === undefined).length).toFixed(1),
          String(api.filter((entry) => entry.errorCode === 6).length),
        ]);
        await runtime.close();
      } finally {
        await fake.close();
      }
    }
  } finally {
    await database.destroy();
  }
  const peakRss = peak.stop();
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(`\nReminder fan-out: ${teachers} teachers, fake VK enforcing 20 requests/s, ${database.kind}, ${runs} run(s)`);
  console.log(table(['Run', 'Plan + queue', 'Send', 'Messages/s', 'Of 500/s', 'Requests', 'Messages/request', 'Error 6'], rows));
  console.log(`\nMedian: ${median.toFixed(0)} messages/s = ${((median / CEILING) * 100).toFixed(0)}% of the ${CEILING} messages/s ceiling (20 requests × 25 calls per execute). Peak RSS ${peakRss} MB.`);
}
