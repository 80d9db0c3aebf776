/**
 * The administrator's daily summary at scale: 1,600 schools with 40,000 teachers between them
 * (seeded in bulk with INSERT … SELECT generate_series, one administrator each), then every
 * school's summary model computed as the daily job does (composeSummaries: every teacher's task
 * statuses counted in one query, every previous snapshot in another, then the pure
 * summarizeTallies), one school at a time as on demand (composeSummary), the whole job
 * (queueDailySummaries: models, snapshots, outbox rows), and one school holding all 40,000 alone,
 * also through the former path (loadSchool's answers + buildSummary) for comparison. The embedded server, and
 * Postgres too when DATABASE_URL is set.
 *
 *   npm run bench -- summary [--schools 1600] [--teachers 40000] [--runs 3]   (BENCH_SCALE scales the defaults)
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildSummary, summarizeTallies } from '../src/domain/summary/model.js';
import { composeSummaries, composeSummary, queueDailySummaries } from '../src/domain/summary/service.js';
import { createLogger } from '../src/logger.js';
import { openRuntime } from '../src/compose/runtime.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { seedManyTeachers } from '../test/support/seed.js';
import { forEachDatabase, median, printTable, quantile, rssMb, scaled, trackPeakRss } from './support.js';

const NOW = new Date('2026-12-08T16:00:00+03:00');

/**
 * `schools` schools of `teachers / schools` teachers each, one class each, with a varied mix of
 * answers (by teacher number: most confirmed the first task, fewer each further one).
 */
async function seedSchools(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], schools: number, teachers: number): Promise<void> {
  const perSchool = Math.ceil(teachers / schools);
  await db.execute(sql`
    insert into schools (slug, name, join_code, deadline)
    select 'bench-' || n, 'МКОУ «СОШ №' || n || '»', 'BENCH' || n, '2026-12-25'
    from generate_series(1, ${schools}) as n`);
  await db.execute(sql`
    insert into teachers (school_id, vk_id, full_name, started_at, created_at)
    select s.id, 20000000 + (substr(s.slug, 7)::int - 1) * ${perSchool} + k, 'Учитель ' || s.slug || '-' || k,
           case when k % 10 = 0 then null else now() - interval '7 days' end, now() - interval '8 days'
    from schools s cross join generate_series(1, ${perSchool}) as k
    where s.slug like 'bench-%' and (substr(s.slug, 7)::int - 1) * ${perSchool} + k <= ${teachers}`);
  await db.execute(sql`
    insert into classes (school_id, teacher_id, name, position)
    select t.school_id, t.id, ((t.vk_id % 11) + 1) || 'А', 0 from teachers t join schools s on s.id = t.school_id where s.slug like 'bench-%'`);
  // Task i (0..5) is done by teachers whose vk_id % 10 > i + 2: 70 %, 60 %, … 20 %.
  await db.execute(sql`
    insert into task_completions (school_id, teacher_id, task_code, class_name, status, evidence, completed_at)
    select t.school_id, t.id, task.code, case when task.per_class then c.name else '' end, 'done', '{"kind":"confirm"}'::jsonb, now() - interval '2 days'
    from teachers t
    join schools s on s.id = t.school_id and s.slug like 'bench-%'
    join classes c on c.teacher_id = t.id
    cross join (values (0, 'messengers', false), (1, 'chats', true), (2, 'qr', true), (3, 'parents', false), (4, 'only_sferum', false), (5, 'eo_link', false)) as task(i, code, per_class)
    where t.started_at is not null and t.vk_id % 10 > task.i + 2`);
  await db.execute(sql`
    insert into admins (vk_id, school_id, role)
    select 10000000 + substr(s.slug, 7)::int, s.id, 'school' from schools s where s.slug like 'bench-%'`);
  await db.execute(sql`analyze`);
}

export async function benchSummary(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { schools: { type: 'string', default: String(scaled(1600)) }, teachers: { type: 'string', default: String(scaled(40_000)) }, runs: { type: 'string', default: '3' } },
    strict: false,
  });
  const schools = Number(values.schools);
  const teachers = Number(values.teachers);
  const runs = Number(values.runs);
  const rows: Record<string, string | number>[] = [];
  const memory: Record<string, string | number>[] = [];

  await forEachDatabase(async (label) => {
    const database = await createTestDatabase();
    const fake = await startFakeVk();
    const logger = createLogger('warn', { pretty: false, stderr: true });
    const runtime = await openRuntime({ config: testConfig(fake, { LOG_LEVEL: 'warn' }), logger, database });
    const peak = trackPeakRss();
    try {
      const seedStart = performance.now();
      await seedSchools(database.db, schools, teachers);
      console.log(`Seeded ${schools} schools / ${teachers} teachers in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${label}).`);
      const list = (await runtime.summaryDeps.schools.list()).filter((s) => s.id !== runtime.school.id);
      const rssLoaded = rssMb();
      /** A table row: the median total of `runs`, the slowest when given, the per-school spread when measured. */
      const row = (scenario: string, runs: number, totalMs: number, maxMs?: number, perSchool: number[] = []) => ({
        scenario,
        db: label,
        runs,
        'median total ms': Math.round(totalMs),
        'per school p50 ms': perSchool.length > 0 ? quantile(perSchool, 0.5) : '',
        'p99 ms': perSchool.length > 0 ? quantile(perSchool, 0.99) : '',
        'max ms': maxMs === undefined ? '' : Math.round(maxMs),
      });

      // Every school's model at once, as the daily job computes them.
      const totals: number[] = [];
      for (let run = 1; run <= runs; run += 1) {
        const started = performance.now();
        const models = await composeSummaries(runtime.summaryDeps, list, NOW);
        totals.push(performance.now() - started);
        const counted = models.reduce((sum, model) => sum + model.teachers, 0);
        if (counted !== teachers) throw new Error(`the summaries counted ${counted} teachers; ${teachers} were seeded`);
      }
      rows.push(row(`${list.length} schools, ${teachers} teachers: all summaries at once (daily job)`, runs, median(totals), Math.max(...totals)));

      // One school after another, as an administrator's "summary on demand" computes each.
      const oneByOne: number[] = [];
      let perSchool: number[] = [];
      for (let run = 1; run <= runs; run += 1) {
        const times: number[] = [];
        const started = performance.now();
        for (const school of list) {
          const t0 = performance.now();
          await composeSummary(runtime.summaryDeps, school, NOW);
          times.push(performance.now() - t0);
        }
        oneByOne.push(performance.now() - started);
        if (run === 1) perSchool = times.sort((a, b) => a - b);
      }
      rows.push(row(`${list.length} schools, ${teachers} teachers: one school at a time`, runs, median(oneByOne), perSchool.at(-1)!, perSchool));

      // The whole job once: models, then each school's snapshot and its administrator's outbox row.
      const jobStart = performance.now();
      const results = await queueDailySummaries(runtime.summaryDeps, NOW);
      const jobMs = performance.now() - jobStart;
      const queued = results.reduce((sum, result) => sum + result.queued, 0);
      if (queued !== list.length) throw new Error(`the job queued ${queued} summaries for ${list.length} schools`);
      rows.push(row(`daily job: ${queued} summaries queued (models, snapshots, outbox)`, 1, jobMs));

      // One school with all the teachers: the heaviest single query and model.
      await seedManyTeachers(database.db, runtime.school.id, teachers, 90_000_000);
      await database.db.execute(sql`analyze`);
      const main = (await runtime.summaryDeps.schools.find(runtime.school.id))!;
      const { checklist, timeZone } = runtime.summaryDeps;
      const loads: number[] = [];
      const builds: number[] = [];
      const whole: number[] = [];
      for (let run = 1; run <= runs; run += 1) {
        const t0 = performance.now();
        const tallies = (await runtime.summaryDeps.standings.tallySchools([main.id], checklist)).get(main.id) ?? [];
        const t1 = performance.now();
        const model = summarizeTallies({ school: main, checklist, teachers: tallies, deadline: main.deadline, now: NOW, timeZone, previous: null });
        const t2 = performance.now();
        if (model.teachers !== teachers) throw new Error(`one-school summary counted ${model.teachers}`);
        const t3 = performance.now();
        await composeSummary(runtime.summaryDeps, main, NOW);
        whole.push(performance.now() - t3);
        loads.push(t1 - t0);
        builds.push(t2 - t1);
      }
      rows.push(row(`1 school of ${teachers} teachers (load ${Math.round(median(loads))} ms + build ${Math.round(median(builds))} ms)`, runs, median(whole), Math.max(...whole)));
      const peakComputing = peak.stop();

      // The former path, for comparison (it is what reminders still load): every answer, then buildSummary.
      const formerPeak = trackPeakRss();
      const formerLoads: number[] = [];
      const formerBuilds: number[] = [];
      for (let run = 1; run <= runs; run += 1) {
        const t0 = performance.now();
        const standings = await runtime.summaryDeps.standings.loadSchool(main.id);
        const t1 = performance.now();
        buildSummary({ school: main, checklist, standings, deadline: main.deadline, now: NOW, timeZone, previous: null });
        formerBuilds.push(performance.now() - t1);
        formerLoads.push(t1 - t0);
      }
      rows.push(
        row(`1 school of ${teachers} teachers, former path (loadSchool ${Math.round(median(formerLoads))} ms + buildSummary ${Math.round(median(formerBuilds))} ms)`, runs, median(formerLoads) + median(formerBuilds)),
      );
      memory.push({
        db: label,
        'RSS after seeding, MB': rssLoaded,
        'RSS peak while computing, MB': peakComputing,
        'RSS peak, former path, MB': formerPeak.stop(),
        'RSS after, MB': rssMb(),
      });
    } finally {
      peak.stop();
      await runtime.close();
      await fake.close();
      await database.destroy();
    }
  });
  printTable(`Daily summary: ${schools} schools, ${teachers} teachers (median of ${runs} runs)`, rows);
  printTable('Summary bench memory (bot runtime and database client in one process)', memory);
}
