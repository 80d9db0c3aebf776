import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { classes, schools, taskCompletions, teachers } from '../../src/db/schema.js';

/** Task codes of the default checklist, in order. */
export const ALL_TASKS = ['messengers', 'chats', 'qr', 'parents', 'only_sferum', 'eo_link'] as const;

export interface TeacherSeed {
  fullName: string;
  vkId: number | null;
  classes?: string[];
  /** Default: started a week before 2026-12-08. */
  startedAt?: Date | null;
  /** Task codes done (per-class tasks for every class). */
  done?: readonly string[];
  finishedAt?: Date | null;
  leaveUntil?: string | null;
  snoozedUntil?: Date | null;
  unreachableAt?: Date | null;
  createdAt?: Date;
}

const PER_CLASS = new Set(['chats', 'qr', 'parents']);
/** A done parents report: all 25 parents of each class in its chats. */
const PARENTS_REPORT = { kind: 'report', values: { meeting_date: '2026-12-01', parents_total: 25, parents_joined: 25 } };

/**
 * Inserts teachers with classes and answers in bulk (three statements, whatever the count);
 * returns their ids in order.
 */
export async function seedTeachers(db: Database, schoolId: string, seeds: readonly TeacherSeed[]): Promise<string[]> {
  if (seeds.length === 0) return [];
  const rows = await db
    .insert(teachers)
    .values(
      seeds.map((seed) => ({
        schoolId,
        vkId: seed.vkId,
        fullName: seed.fullName,
        startedAt: seed.startedAt === undefined ? new Date('2026-12-01T10:00:00+03:00') : seed.startedAt,
        finishedAt: seed.finishedAt ?? null,
        leaveUntil: seed.leaveUntil ?? null,
        snoozedUntil: seed.snoozedUntil ?? null,
        unreachableAt: seed.unreachableAt ?? null,
        createdAt: seed.createdAt ?? new Date('2026-11-20T10:00:00+03:00'),
      })),
    )
    .returning({ id: teachers.id });
  const ids = rows.map((row) => row.id);
  const classRows = seeds.flatMap((seed, i) => (seed.classes ?? ['5А']).map((name, position) => ({ schoolId, teacherId: ids[i]!, name, position })));
  if (classRows.length > 0) await db.insert(classes).values(classRows);
  const answers = seeds.flatMap((seed, i) =>
    (seed.done ?? []).flatMap((task) =>
      (PER_CLASS.has(task) ? (seed.classes ?? ['5А']) : ['']).map((className) => ({
        schoolId,
        teacherId: ids[i]!,
        taskCode: task,
        className,
        status: 'done' as const,
        evidence: task === 'parents' ? PARENTS_REPORT : { kind: 'confirm' },
        completedAt: new Date('2026-12-02T10:00:00+03:00'),
      })),
    ),
  );
  if (answers.length > 0) await db.insert(taskCompletions).values(answers);
  return ids;
}

export async function setDeadline(db: Database, schoolId: string, deadline: string | null): Promise<void> {
  await db.update(schools).set({ deadline }).where(eq(schools.id, schoolId));
}

/**
 * `count` teachers with open tasks in one INSERT … SELECT generate_series: what a large school
 * (or the benchmark) needs, without a round trip per teacher. VK ids are firstVkId, firstVkId + 1, …
 */
export async function seedManyTeachers(db: Database, schoolId: string, count: number, firstVkId: number): Promise<void> {
  await db.execute(sql`
    insert into teachers (school_id, vk_id, full_name, started_at, created_at)
    select ${schoolId}::uuid, ${firstVkId}::bigint + n, 'Учитель Номер ' || n, now() - interval '7 days', now() - interval '8 days'
    from generate_series(0, ${count - 1}) as n`);
  await db.execute(sql`
    insert into classes (school_id, teacher_id, name, position)
    select school_id, id, '5А', 0 from teachers where school_id = ${schoolId}::uuid`);
  await db.execute(sql`
    insert into task_completions (school_id, teacher_id, task_code, class_name, status, evidence, completed_at)
    select school_id, id, 'messengers', '', 'done', '{"kind":"confirm"}'::jsonb, now() from teachers where school_id = ${schoolId}::uuid`);
}
