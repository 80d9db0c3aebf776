import { type SQL, and, eq, ne, sql } from 'drizzle-orm';
import type { Completion, Evidence } from '../../domain/model.js';
import type { CompletionRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { taskCompletions, teachers } from '../schema.js';

/** Teacher-level answers are stored with class_name '' so the unique key covers them too. */
const NO_CLASS = '';

/** A stored answer as the domain sees it. */
export function toCompletion(row: typeof taskCompletions.$inferSelect): Completion {
  return {
    task: row.taskCode,
    className: row.className === NO_CLASS ? null : row.className,
    status: row.status,
    evidence: (row.evidence as Evidence | null) ?? null,
    reason: row.reason,
    at: row.completedAt,
  };
}

/** An answer as `completionJson` builds it in SQL: short keys keep a large school's aggregate small. */
export interface CompletionJson {
  t: string;
  c: string;
  s: 'done' | 'not_applicable';
  r: string | null;
  at: string;
  /** Only when asked for. */
  e?: Evidence | null;
}

/**
 * A task_completions row as a json object, for json_agg. Reminders and summaries leave the evidence
 * out but for reports (`'reports'`: a few numbers, the parents reached).
 */
export function completionJson(options: { evidence: boolean | 'reports' }): SQL {
  const evidence =
    options.evidence === 'reports'
      ? sql`, 'e', case when ${taskCompletions.evidence}->>'kind' = 'report' then ${taskCompletions.evidence} end`
      : options.evidence
        ? sql`, 'e', ${taskCompletions.evidence}`
        : sql``;
  return sql`json_build_object('t', ${taskCompletions.taskCode}, 'c', ${taskCompletions.className}, 's', ${taskCompletions.status}, 'r', ${taskCompletions.reason}, 'at', ${taskCompletions.completedAt}${evidence})`;
}

export function fromCompletionJson(answer: CompletionJson): Completion {
  return {
    task: answer.t,
    className: answer.c === NO_CLASS ? null : answer.c,
    status: answer.s,
    evidence: answer.e ?? null,
    reason: answer.r,
    at: new Date(answer.at),
  };
}

export function createCompletionRepository(db: Database): CompletionRepository {
  return {
    async recordDone(teacher, task, className, evidence, at) {
      const key = className ?? NO_CLASS;
      // An answer for a class lifts the task's teacher-level mark in the same statement: the two
      // touch different rows, so sharing one snapshot changes nothing.
      const lift = db.$with('lifted').as(
        db
          .delete(taskCompletions)
          .where(
            and(
              eq(taskCompletions.teacherId, teacher.id),
              eq(taskCompletions.taskCode, task),
              eq(taskCompletions.className, NO_CLASS),
              ne(taskCompletions.status, 'done'),
            ),
          )
          .returning({ id: taskCompletions.id }),
      );
      await (key === NO_CLASS ? db : db.with(lift))
        .insert(taskCompletions)
        .values({ schoolId: teacher.schoolId, teacherId: teacher.id, taskCode: task, className: key, status: 'done', evidence, reason: null, completedAt: at })
        .onConflictDoUpdate({
          target: [taskCompletions.teacherId, taskCompletions.taskCode, taskCompletions.className],
          set: { status: 'done', evidence, reason: null, completedAt: at },
        });
    },
    async linkOwners(schoolId, links) {
      if (links.length === 0) return [];
      const tc = taskCompletions;
      const rows = await db
        .select({ teacherId: tc.teacherId, className: tc.className, evidence: tc.evidence })
        .from(tc)
        .innerJoin(teachers, and(eq(teachers.id, tc.teacherId), eq(teachers.active, true)))
        .where(
          and(
            eq(tc.schoolId, schoolId),
            eq(tc.status, 'done'),
            sql`${tc.evidence}->>'kind' = 'links'`,
            sql`exists (select 1 from jsonb_each_text(${tc.evidence}->'links') as chat where chat.value in (${sql.join(links.map((link) => sql`${link}`), sql`, `)}))`,
          ),
        );
      return rows.flatMap((row) => {
        const given = Object.values((row.evidence as Extract<Evidence, { kind: 'links' }>).links);
        const className = row.className === NO_CLASS ? null : row.className;
        return links.filter((link) => given.includes(link)).map((link) => ({ link, teacherId: row.teacherId, className }));
      });
    },
    async recordNotApplicable(teacher, task, reason, at) {
      await db
        .insert(taskCompletions)
        .values({ schoolId: teacher.schoolId, teacherId: teacher.id, taskCode: task, className: NO_CLASS, status: 'not_applicable', evidence: null, reason, completedAt: at })
        .onConflictDoUpdate({
          target: [taskCompletions.teacherId, taskCompletions.taskCode, taskCompletions.className],
          set: { status: 'not_applicable', evidence: null, reason, completedAt: at },
        });
    },
  };
}
