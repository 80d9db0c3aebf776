import { and, asc, eq, sql } from 'drizzle-orm';
import type { StandingRepository } from '../../domain/ports.js';
import type { TeacherStanding } from '../../domain/standing.js';
import type { Database } from '../client.js';
import { classes, outbox, taskCompletions, teachers } from '../schema.js';
import { type CompletionJson, completionJson, fromCompletionJson } from './completions.js';

/**
 * A school's standings in one query: teachers joined with their classes, answers and latest
 * reminder, each aggregated per teacher in SQL (grouped subqueries, hash-joined: no N+1, and no
 * correlated subquery over the outbox). Evidence is left out: reminders and summaries never need it.
 */
export function createStandingRepository(db: Database): StandingRepository {
  return {
    async loadSchool(schoolId) {
      const classAgg = db
        .select({
          teacherId: classes.teacherId,
          names: sql<string[]>`json_agg(${classes.name} order by ${classes.position}, ${classes.name})`.as('names'),
        })
        .from(classes)
        .where(eq(classes.schoolId, schoolId))
        .groupBy(classes.teacherId)
        .as('class_agg');
      const answerAgg = db
        .select({
          teacherId: taskCompletions.teacherId,
          answers: sql<CompletionJson[]>`json_agg(${completionJson({ evidence: false })})`.as('answers'),
        })
        .from(taskCompletions)
        .where(eq(taskCompletions.schoolId, schoolId))
        .groupBy(taskCompletions.teacherId)
        .as('answer_agg');
      // Reminder keys are `reminder:{teacher}:{YYYY-MM-DD}`: ISO dates compare as text.
      const reminderAgg = db
        .select({ teacherId: outbox.teacherId, last: sql<string>`max(split_part(${outbox.key}, ':', 3))`.as('last_reminder') })
        .from(outbox)
        .where(and(eq(outbox.schoolId, schoolId), eq(outbox.kind, 'reminder')))
        .groupBy(outbox.teacherId)
        .as('reminder_agg');

      const rows = await db
        .select({
          teacher: teachers,
          // date columns come back as strings from postgres.js but as Dates from PGlite: ask for text.
          leaveUntil: sql<string | null>`${teachers.leaveUntil}::text`,
          classNames: classAgg.names,
          answers: answerAgg.answers,
          lastReminderOn: reminderAgg.last,
        })
        .from(teachers)
        .leftJoin(classAgg, eq(classAgg.teacherId, teachers.id))
        .leftJoin(answerAgg, eq(answerAgg.teacherId, teachers.id))
        .leftJoin(reminderAgg, eq(reminderAgg.teacherId, teachers.id))
        .where(and(eq(teachers.schoolId, schoolId), eq(teachers.active, true)))
        .orderBy(asc(teachers.createdAt), asc(teachers.id));

      return rows.map(
        ({ teacher, leaveUntil, classNames, answers, lastReminderOn }): TeacherStanding => ({
          id: teacher.id,
          vkId: teacher.vkId,
          fullName: teacher.fullName,
          classes: classNames ?? [],
          addedAt: teacher.createdAt,
          startedAt: teacher.startedAt,
          finishedAt: teacher.finishedAt,
          unreachableAt: teacher.unreachableAt,
          snoozedUntil: teacher.snoozedUntil,
          leaveUntil,
          erased: teacher.erasedAt !== null,
          completions: (answers ?? []).map(fromCompletionJson),
          lastReminderOn: lastReminderOn ?? null,
        }),
      );
    },
  };
}
