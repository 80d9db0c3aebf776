import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRepository } from '../../src/db/repositories/admins.js';
import { loadInChunks } from '../../src/db/repositories/chunks.js';
import { createStandingRepository } from '../../src/db/repositories/standings.js';
import { createSummarySnapshotRepository } from '../../src/db/repositories/summary-snapshots.js';
import { admins, classes, schools, summarySnapshots, taskCompletions, teachers } from '../../src/db/schema.js';
import { type Checklist, checklistSchema } from '../../src/domain/checklist/schema.js';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { tallyOf } from '../../src/domain/standing.js';
import { buildSummary, summarizeTallies } from '../../src/domain/summary/model.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

/** The default checklist reshaped: «parents» asked per teacher, not per class, «messengers» moved last. */
const reshaped: Checklist = checklistSchema.parse({
  ...defaultChecklist,
  tasks: [
    ...defaultChecklist.tasks.filter((task) => task.code !== 'messengers').map((task) => (task.code === 'parents' ? { ...task, perClass: false } : task)),
    defaultChecklist.tasks.find((task) => task.code === 'messengers'),
  ],
});

const CLASS_NAMES = ['5А', '6Б', '7В', '8Г'];
const NAMES = ['Иванова Мария Петровна', 'Петров Иван Ильич', 'Алиева Патимат Магомедовна', 'Сидоров Алексей Андреевич', 'Ёлкина Анна Сергеевна'];
const NOW = new Date('2026-12-08T10:00:00+03:00');

/** A deterministic pseudo-random sequence (mulberry32): the same varied fixture on every run. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]! };
}

let database: TestDatabase;
const schoolIds: string[] = [];

/**
 * Three schools of teachers in every state, with answers of every kind: task-level done and "not
 * applicable", per-class answers for the teacher's classes and for classes they no longer have,
 * per-class "not applicable" rows, answers to tasks no checklist has, inactive teachers, and a few
 * rows filed under another school.
 */
async function seedVariedSchools(): Promise<void> {
  const rnd = random(64_1);
  const inserted = await database.db
    .insert(schools)
    .values([1, 2, 3].map((n) => ({ slug: `varied-${n}`, name: `Школа ${n}`, joinCode: `VARIED${n}`, deadline: '2026-12-01' })))
    .returning({ id: schools.id });
  schoolIds.push(...inserted.map((row) => row.id));
  let vkId = 500_000;
  const nextVkId = (): number => {
    vkId += 1;
    return vkId;
  };
  for (const schoolId of schoolIds) {
    const rows = await database.db
      .insert(teachers)
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          schoolId,
          vkId: rnd.chance(0.1) ? null : nextVkId(),
          fullName: rnd.pick(NAMES),
          active: !rnd.chance(0.05),
          startedAt: rnd.chance(0.15) ? null : new Date('2026-11-25T10:00:00+03:00'),
          finishedAt: rnd.chance(0.3) ? rnd.pick([new Date('2026-12-06T10:00:00+03:00'), new Date('2026-12-07T18:00:00+03:00')]) : null,
          unreachableAt: rnd.chance(0.1) ? new Date('2026-12-03T10:00:00+03:00') : null,
          leaveUntil: rnd.chance(0.1) ? '2026-12-20' : null,
          erasedAt: rnd.chance(0.05) ? new Date('2026-12-04T10:00:00+03:00') : null,
          // Equal creation times for some, so the order falls back to the id.
          createdAt: new Date(Date.UTC(2026, 10, 20 + (i % 15), 7)),
        })),
      )
      .returning({ id: teachers.id });
    const classRows: (typeof classes.$inferInsert)[] = [];
    const answerRows: (typeof taskCompletions.$inferInsert)[] = [];
    for (const { id: teacherId } of rows) {
      const own = CLASS_NAMES.filter(() => rnd.chance(0.4));
      own.forEach((name, position) => {
        classRows.push({ schoolId: rnd.chance(0.02) ? schoolIds[0]! : schoolId, teacherId, name, position });
      });
      // A quarter answered everything, for themselves and for each of their classes.
      const diligent = rnd.chance(0.25);
      for (const code of [...defaultChecklist.tasks.map((task) => task.code), 'retired_task']) {
        const answer = (className: string, status: 'done' | 'not_applicable') =>
          answerRows.push({
            schoolId: rnd.chance(0.02) ? schoolIds[1]! : schoolId,
            teacherId,
            taskCode: code,
            className,
            status,
            reason: status === 'done' ? null : 'нет такого',
            // Parents reached, now and then not numbers (as a school's own checklist might store them).
            evidence:
              code === 'parents' && status === 'done'
                ? { kind: 'report', values: { parents_total: 30, parents_joined: rnd.chance(0.1) ? '12' : rnd.pick([0, 7, 19, 30]) } }
                : null,
            completedAt: new Date('2026-12-02T10:00:00+03:00'),
          });
        const kind = diligent ? 'all' : rnd.pick(['none', 'none', 'task_done', 'task_na', 'classes', 'classes']);
        if (kind === 'all') for (const name of ['', ...own]) answer(name, 'done');
        if (kind === 'task_done') answer('', 'done');
        if (kind === 'task_na') answer('', 'not_applicable');
        if (kind === 'classes') {
          // Some of their classes, sometimes a class they no longer have, sometimes "not applicable" per class.
          for (const name of [...own, '11Я']) if (rnd.chance(0.7)) answer(name, rnd.chance(0.1) ? 'not_applicable' : 'done');
          if (rnd.chance(0.2)) answer('', rnd.pick(['done', 'not_applicable'] as const));
        }
      }
    }
    if (classRows.length > 0) await database.db.insert(classes).values(classRows);
    if (answerRows.length > 0) await database.db.insert(taskCompletions).values(answerRows);
  }
  // Instants with microseconds, as now() writes them: a Date keeps the milliseconds.
  await database.db.execute(sql`
    update teachers set created_at = created_at + interval '0.999999 s', finished_at = finished_at + interval '0.000999 s', unreachable_at = unreachable_at + interval '0.5005 s'
    where vk_id % 3 = 0`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedVariedSchools();
});
afterAll(() => database.destroy());

describe('task statuses counted in SQL (tallySchools)', () => {
  it.each([
    ['the default checklist', defaultChecklist],
    ['a reshaped checklist', reshaped],
  ])('equal what computeProgress derives from every loaded answer, teacher by teacher, with %s', async (_name, checklist) => {
    const standings = createStandingRepository(database.db);
    const tallies = await standings.tallySchools(schoolIds.slice(0, 2), checklist);
    expect([...tallies.keys()].sort()).toEqual(schoolIds.slice(0, 2).sort());
    for (const schoolId of schoolIds.slice(0, 2)) {
      const expected = (await standings.loadSchool(schoolId)).map((standing) => tallyOf(checklist, standing));
      expect(expected.length).toBeGreaterThan(100);
      expect(tallies.get(schoolId)).toEqual(expected);
    }
    // Every status occurs, so the comparison covers each rule; so do figures of classes, in class order.
    const statuses = new Set([...tallies.values()].flat().flatMap((tally) => tally.statuses));
    expect([...statuses].sort()).toEqual(['done', 'not_applicable', 'open']);
    const figures = [...tallies.values()].flat().map((tally) => tally.parents);
    expect(figures.filter((reports) => reports.length > 1).length).toBeGreaterThan(checklist === defaultChecklist ? 5 : -1);
    expect(figures.flat().every((report) => (report.className === null) === (checklist !== defaultChecklist))).toBe(true);
  });

  it('give the same summary model as buildSummary over loaded standings, with a previous snapshot', async () => {
    const standings = createStandingRepository(database.db);
    const [schoolId] = schoolIds;
    const school = { id: schoolId!, name: 'Школа 1' };
    const previous = { date: '2026-12-07', data: { at: '2026-12-07T09:00:00+03:00', teachers: 100, started: 80, finished: 10, tasks: { messengers: 30, qr: 5 } } };
    const common = { school, checklist: defaultChecklist, deadline: '2026-12-01', now: NOW, timeZone: 'Europe/Moscow', previous };
    const fromAnswers = buildSummary({ ...common, standings: await standings.loadSchool(schoolId!) });
    const fromTallies = summarizeTallies({ ...common, teachers: (await standings.tallySchools([schoolId!], defaultChecklist)).get(schoolId!)! });
    expect(fromTallies).toEqual(fromAnswers);
    expect(fromAnswers.laggards.length).toBeGreaterThan(10);
    expect(fromAnswers.changes?.newlyFinished.length).toBeGreaterThan(0);
  });

  it('leave out schools without active teachers', async () => {
    const empty = await database.db.insert(schools).values({ slug: 'empty', name: 'Пустая', joinCode: 'EMPTY1' }).returning({ id: schools.id });
    const tallies = await createStandingRepository(database.db).tallySchools([empty[0]!.id, schoolIds[2]!], defaultChecklist);
    expect([...tallies.keys()]).toEqual([schoolIds[2]]);
  });
});

describe('looking up many schools at once', () => {
  it("finds each school's latest snapshot before the date, if it parses", async () => {
    const [a, b, c] = schoolIds as [string, string, string];
    const data = (teachersCount: number) => ({ at: '2026-12-01T09:00:00+03:00', teachers: teachersCount, started: 0, finished: 0, tasks: {} });
    await database.db.insert(summarySnapshots).values([
      { schoolId: a, date: '2026-12-04', data: data(4) },
      { schoolId: a, date: '2026-12-07', data: data(7) },
      { schoolId: a, date: '2026-12-08', data: data(8) },
      { schoolId: b, date: '2026-12-03', data: data(3) },
      // The latest is from another version: nothing is compared, not even with an older one.
      { schoolId: b, date: '2026-12-05', data: { stale: true } },
    ]);
    const latest = await createSummarySnapshotRepository(database.db).latestBefore([a, b, c], '2026-12-08');
    expect(Object.fromEntries([...latest].map(([id, snapshot]) => [id, [snapshot.date, snapshot.data.teachers]]))).toEqual({ [a]: ['2026-12-07', 7] });
  });

  it("lists each school's own administrators, oldest first", async () => {
    const [a, b, c] = schoolIds as [string, string, string];
    await database.db.insert(admins).values([
      { vkId: 71, schoolId: a, role: 'school', createdAt: new Date('2026-11-02T10:00:00Z') },
      { vkId: 72, schoolId: a, role: 'school', createdAt: new Date('2026-11-01T10:00:00Z') },
      { vkId: 73, schoolId: b, role: 'school' },
      { vkId: 74, schoolId: null, role: 'region' },
    ]);
    const bySchool = await createAdminRepository(database.db).listForSchools([a, b, c]);
    expect(Object.fromEntries(bySchool)).toEqual({ [a]: [72, 71], [b]: [73] });
  });
});

describe('loadInChunks', () => {
  it('loads a thousand schools at a time and keeps the rows in order', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `school-${i}`);
    const sizes: number[] = [];
    const rows = await loadInChunks(ids, async (chunk) => {
      sizes.push(chunk.length);
      return chunk.map((id) => `${id}:row`);
    });
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(rows).toEqual(ids.map((id) => `${id}:row`));
    expect(await loadInChunks([], async () => ['never'])).toEqual([]);
  });
});
