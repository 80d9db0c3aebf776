/**
 * The administrator's daily summary at scale: 1,600 schools with 40,000 teachers between them
 * (seeded in bulk with INSERT … SELECT generate_series), then every school's summary model computed
 * as the daily job does (composeSummary: one standings query, then the pure buildSummary), plus one
 * school holding all 40,000 alone. PGlite, and Postgres too when DATABASE_URL is set.
 *
 *   npm run bench -- summary [--schools 1600] [--teachers 40000] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildSummary } from '../src/domain/summary/model.js';
import { composeSummary } from '../src/domain/summary/service.js';
import { createLogger } from '../src/logger.js';
import { openRuntime } from '../src/runtime.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { seedManyTeachers } from '../test/support/seed.js';
import { forEachDatabase, median, printTable, quantile, rssMb, trackPeakRss } from './support.js';

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
  await db.execute(sql`analyze`);
}

export async function benchSummary(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { schools: { type: 'string', default: '1600' }, teachers: { type: 'string', default: '40000' }, runs: { type: 'string', default: '3' } },
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

      // Every school's model, one after another as the daily job computes them.
      const totals: number[] = [];
      let perSchool: number[] = [];
      let counted = 0;
      for (let run = 1; run <= runs; run += 1) {
        const times: number[] = [];
        let teachersSeen = 0;
        const started = performance.now();
        for (const school of list) {
          const t0 = performance.now();
          const model = await composeSummary(runtime.summaryDeps, school, NOW);
          times.push(performance.now() - t0);
          teachersSeen += model.teachers;
        }
        totals.push(performance.now() - started);
        if (run === 1) {
          perSchool = times.sort((a, b) => a - b);
          counted = teachersSeen;
        }
      }
      if (counted !== teachers) throw new Error(`the summaries counted ${counted} teachers; ${teachers} were seeded`);
      rows.push({
        scenario: `${list.length} schools, ${teachers} teachers: all summaries`,
        db: label,
        runs,
        'median total ms': Math.round(median(totals)),
        'per school p50 ms': quantile(perSchool, 0.5),
        'p99 ms': quantile(perSchool, 0.99),
        'max ms': perSchool.at(-1)!,
      });

      // One school with all the teachers: the heaviest single query and model.
      await seedManyTeachers(database.db, runtime.school.id, teachers, 90_000_000);
      await database.db.execute(sql`analyze`);
      const main = (await runtime.summaryDeps.schools.find(runtime.school.id))!;
      const loads: number[] = [];
      const builds: number[] = [];
      const whole: number[] = [];
      for (let run = 1; run <= runs; run += 1) {
        const t0 = performance.now();
        const standings = await runtime.summaryDeps.standings.loadSchool(main.id);
        const t1 = performance.now();
        const model = buildSummary({ school: main, checklist: runtime.summaryDeps.checklist, standings, deadline: main.deadline, now: NOW, timeZone: runtime.summaryDeps.timeZone, previous: null });
        const t2 = performance.now();
        if (model.teachers !== teachers) throw new Error(`one-school summary counted ${model.teachers}`);
        const t3 = performance.now();
        await composeSummary(runtime.summaryDeps, main, NOW);
        whole.push(performance.now() - t3);
        loads.push(t1 - t0);
        builds.push(t2 - t1);
      }
      rows.push({
        scenario: `1 school of ${teachers} teachers (load ${Math.round(median(loads))} ms + build ${Math.round(median(builds))} ms)`,
        db: label,
        runs,
        'median total ms': Math.round(median(whole)),
        'per school p50 ms': '',
        'p99 ms': '',
        'max ms': Math.round(Math.max(...whole)),
      });
      memory.push({ db: label, 'RSS after seeding, MB': rssLoaded, 'RSS peak while computing, MB': peak.stop(), 'RSS after, MB': rssMb() });
    } finally {
      peak.stop();
      await runtime.close();
      await fake.close();
      await database.destroy();
    }
  });
  printTable(`Daily summary: ${schools} schools, ${teachers} teachers (median of ${runs} runs)`, rows);
  printTable('Summary bench memory (bot runtime and database client in one process; PGlite also holds the database in it)', memory);
}
