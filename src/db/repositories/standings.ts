import { type SQL, type SQLWrapper, and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Checklist } from '../../domain/checklist/schema.js';
import type { StandingRepository } from '../../domain/ports.js';
import { reachFields } from '../../domain/parents.js';
import type { TaskStatus } from '../../domain/progress.js';
import type { TeacherStanding, TeacherTally } from '../../domain/standing.js';
import type { Database } from '../client.js';
import { classes, outbox, taskCompletions, teachers } from '../schema.js';
import { loadInChunks } from './chunks.js';
import { type CompletionJson, completionJson, fromCompletionJson } from './completions.js';

/**
 * A school's standings in one query: teachers joined with their classes, answers and latest
 * reminder, each aggregated per teacher in SQL (grouped subqueries, hash-joined: no N+1, and no
 * correlated subquery over the outbox). Evidence is left out but for reports (the parents reached).
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
          answers: sql<CompletionJson[]>`json_agg(${completionJson({ evidence: 'reports' })})`.as('answers'),
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
    tallySchools: (schoolIds, checklist) => tallySchools(db, schoolIds, checklist),
  };
}

const STATUS_OF: Record<string, TaskStatus> = { d: 'done', n: 'not_applicable', o: 'open' };

/** A teacher as tallySchools' json_build_array writes it: id, VK id, name, four instants, leave, erased, status letters, parents' figures. */
type TallyJson = [string, number | null, string, number, number | null, number | null, number | null, string | null, boolean, string, ParentsJson[] | null];
/** Class ('' at teacher level), joined, total. */
type ParentsJson = [string, number, number];

/**
 * Each active teacher's task statuses as computeProgress derives them from answers without their
 * evidence (what loadSchool gives: a poster answer is never outdated then), computed in SQL: one
 * pass over the schools' answers grouped by teacher, a few counts per task, then one letter per
 * task (d done, n not applicable, o open). The rules mirror computeProgress; a test compares the
 * two on varied schools and checklists.
 */
async function tallySchools(db: Database, schoolIds: readonly string[], checklist: Checklist): Promise<Map<string, TeacherTally[]>> {
  const rows = await loadInChunks(schoolIds, async (chunk) => {
    const tc = taskCompletions;
    const classCount = db
      .select({ schoolId: classes.schoolId, teacherId: classes.teacherId, count: sql<number>`count(*)`.as('class_count') })
      .from(classes)
      .where(inArray(classes.schoolId, chunk))
      .groupBy(classes.schoolId, classes.teacherId)
      .as('class_count');
    // Per teacher and task: a task-level "not applicable", a task-level "done", and how many of the
    // teacher's classes have a done answer (the answer's class must still be one of theirs).
    const counts: Record<string, SQL.Aliased> = {};
    checklist.tasks.forEach((task, i) => {
      counts[`na${i}`] = sql`bool_or(${tc.taskCode} = ${task.code} and ${tc.className} = '' and ${tc.status} = 'not_applicable')`.as(`na${i}`);
      counts[`done${i}`] = task.perClass
        ? sql`count(${classes.id}) filter (where ${tc.taskCode} = ${task.code})`.as(`done${i}`)
        : sql`bool_or(${tc.taskCode} = ${task.code} and ${tc.className} = '' and ${tc.status} = 'done')`.as(`done${i}`);
    });
    const answers = db
      .select({ schoolId: tc.schoolId, teacherId: tc.teacherId, ...counts })
      .from(tc)
      // inArray repeated on classes: Postgres then hashes these schools' classes only, not every school's.
      .leftJoin(
        classes,
        and(inArray(classes.schoolId, chunk), eq(classes.schoolId, tc.schoolId), eq(classes.teacherId, tc.teacherId), eq(classes.name, tc.className), sql`${tc.className} <> ''`, eq(tc.status, 'done')),
      )
      .where(inArray(tc.schoolId, chunk))
      .groupBy(tc.schoolId, tc.teacherId)
      .as('answers');
    const column = (name: string) => (answers as unknown as Record<string, SQL.Aliased>)[name]!;
    // Parents reached: the figures of every current class in class order (or the teacher-level ones), as parentsReports reads them.
    const fields = reachFields(checklist);
    const figure = (key: string) => sql`${tc.evidence}->'values'->${key}`;
    const parents = db
      .select({
        schoolId: tc.schoolId,
        teacherId: tc.teacherId,
        figures: sql<ParentsJson[]>`json_agg(json_build_array(${tc.className}, (${figure(fields?.joined ?? '')})::int, (${figure(fields?.total ?? '')})::int) order by ${classes.position})`.as('figures'),
      })
      .from(tc)
      .leftJoin(classes, and(inArray(classes.schoolId, chunk), eq(classes.schoolId, tc.schoolId), eq(classes.teacherId, tc.teacherId), eq(classes.name, tc.className)))
      .where(
        and(
          inArray(tc.schoolId, chunk),
          eq(tc.taskCode, fields?.task ?? ''),
          eq(tc.status, 'done'),
          sql`${tc.evidence}->>'kind' = 'report'`,
          sql`jsonb_typeof(${figure(fields?.joined ?? '')}) = 'number' and jsonb_typeof(${figure(fields?.total ?? '')}) = 'number'`,
          fields?.perClass ? sql`${classes.id} is not null` : sql`${tc.className} = ''`,
        ),
      )
      .groupBy(tc.schoolId, tc.teacherId)
      .as('parents');
    const classTotal = sql`coalesce(${classCount.count}, 0)`;
    const letters = checklist.tasks.map((task, i) => {
      const notApplicable = sql`coalesce(${column(`na${i}`)}, false)`;
      if (!task.perClass) return sql`case when ${notApplicable} then 'n' when coalesce(${column(`done${i}`)}, false) then 'd' else 'o' end`;
      // A poster of chats the teacher marked not applicable is not applicable too.
      const step = task.step;
      const source = step.kind === 'poster' ? checklist.tasks.findIndex((t) => t.code === step.links) : -1;
      const sourceNotApplicable = source < 0 ? sql`false` : sql`coalesce(${column(`na${source}`)}, false)`;
      return sql`case when ${notApplicable} or ${classTotal} = 0 or ${sourceNotApplicable} then 'n' when ${column(`done${i}`)} = ${classTotal} then 'd' else 'o' end`;
    });
    // One row per school, its teachers as one JSON array of arrays: 40,000 teachers parse in one
    // JSON.parse instead of 40,000 rows of ten columns each. Instants as epoch milliseconds
    // (truncated, as a Date from the timestamp's text would be).
    const ms = (column: SQLWrapper) => sql`floor(extract(epoch from ${column}) * 1000)`;
    return db
      .select({
        schoolId: teachers.schoolId,
        teachers: sql<TallyJson[]>`json_agg(json_build_array(${teachers.id}, ${teachers.vkId}, ${teachers.fullName}, ${ms(teachers.createdAt)}, ${ms(teachers.startedAt)}, ${ms(teachers.finishedAt)}, ${ms(teachers.unreachableAt)}, ${teachers.leaveUntil}, ${teachers.erasedAt} is not null, concat(${sql.join(letters, sql`, `)}), ${parents.figures}) order by ${teachers.createdAt}, ${teachers.id})`,
      })
      .from(teachers)
      .leftJoin(classCount, and(eq(classCount.schoolId, teachers.schoolId), eq(classCount.teacherId, teachers.id)))
      .leftJoin(answers, and(eq(answers.schoolId, teachers.schoolId), eq(answers.teacherId, teachers.id)))
      .leftJoin(parents, and(eq(parents.schoolId, teachers.schoolId), eq(parents.teacherId, teachers.id)))
      .where(and(inArray(teachers.schoolId, chunk), eq(teachers.active, true)))
      .groupBy(teachers.schoolId);
  });

  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return new Map(
    rows.map((row) => [
      row.schoolId,
      row.teachers.map(([id, vkId, fullName, addedAt, startedAt, finishedAt, unreachableAt, leaveUntil, erased, letters, figures]): TeacherTally => {
        const statuses: TaskStatus[] = [];
        for (const letter of letters) statuses.push(STATUS_OF[letter]!);
        const parents = (figures ?? []).map(([className, joined, total]) => ({ className: className === '' ? null : className, joined, total }));
        return { id, vkId, fullName, addedAt: new Date(addedAt), startedAt: date(startedAt), finishedAt: date(finishedAt), unreachableAt: date(unreachableAt), leaveUntil, erased, statuses, parents };
      }),
    ]),
  );
}
