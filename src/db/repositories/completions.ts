import { and, eq, ne } from 'drizzle-orm';
import type { Completion, Evidence } from '../../domain/model.js';
import type { CompletionRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { taskCompletions } from '../schema.js';

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

export function createCompletionRepository(db: Database): CompletionRepository {
  return {
    async listForTeacher(teacherId) {
      const rows = await db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacherId));
      return rows.map(toCompletion);
    },
    async recordDone(teacher, task, className, evidence, at) {
      const key = className ?? NO_CLASS;
      if (key !== NO_CLASS) {
        await db
          .delete(taskCompletions)
          .where(
            and(
              eq(taskCompletions.teacherId, teacher.id),
              eq(taskCompletions.taskCode, task),
              eq(taskCompletions.className, NO_CLASS),
              ne(taskCompletions.status, 'done'),
            ),
          );
      }
      await db
        .insert(taskCompletions)
        .values({ schoolId: teacher.schoolId, teacherId: teacher.id, taskCode: task, className: key, status: 'done', evidence, reason: null, completedAt: at })
        .onConflictDoUpdate({
          target: [taskCompletions.teacherId, taskCompletions.taskCode, taskCompletions.className],
          set: { status: 'done', evidence, reason: null, completedAt: at },
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
