import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { SchoolTaskCode, SchoolTaskEvidence } from '../../domain/admin/model.js';
import type { SchoolAdminRepository } from '../../domain/ports.js';
import type { Reach, ReachFields } from '../../domain/parents.js';
import type { Database } from '../client.js';
import { classes, schoolHolidays, schoolTasks, schools, taskCompletions, teachers } from '../schema.js';

/**
 * Every school's parents reached, summed in SQL as parentsReports reads a teacher's answers: the
 * figures of active teachers' current classes (or their teacher-level figures).
 */
async function parentsBySchool(db: Database, reach: ReachFields): Promise<Map<string, Reach>> {
  const tc = taskCompletions;
  const figure = (key: string) => sql`${tc.evidence}->'values'->${key}`;
  const rows = await db
    .select({
      schoolId: tc.schoolId,
      joined: sql<number>`coalesce(sum((${figure(reach.joined)})::int), 0)::int`,
      total: sql<number>`coalesce(sum((${figure(reach.total)})::int), 0)::int`,
    })
    .from(tc)
    .innerJoin(teachers, and(eq(teachers.id, tc.teacherId), eq(teachers.active, true), isNull(teachers.erasedAt)))
    .leftJoin(classes, and(eq(classes.teacherId, tc.teacherId), eq(classes.name, tc.className)))
    .where(
      and(
        eq(tc.taskCode, reach.task),
        eq(tc.status, 'done'),
        sql`${tc.evidence}->>'kind' = 'report'`,
        sql`jsonb_typeof(${figure(reach.joined)}) = 'number' and jsonb_typeof(${figure(reach.total)}) = 'number'`,
        reach.perClass ? sql`${classes.id} is not null` : sql`${tc.className} = ''`,
      ),
    )
    .groupBy(tc.schoolId);
  return new Map(rows.map((row) => [row.schoolId, { joined: row.joined, total: row.total }]));
}

export function createSchoolAdminRepository(db: Database): SchoolAdminRepository {
  return {
    async get(schoolId) {
      const [school] = await db.select().from(schools).where(eq(schools.id, schoolId));
      if (!school) return null;
      const holidays = await db.select({ date: schoolHolidays.date }).from(schoolHolidays).where(eq(schoolHolidays.schoolId, schoolId)).orderBy(asc(schoolHolidays.date));
      const tasks = await db.select().from(schoolTasks).where(eq(schoolTasks.schoolId, schoolId));
      return {
        id: school.id,
        name: school.name,
        joinCode: school.joinCode,
        deadline: school.deadline,
        eoInstructions: school.eoInstructions,
        holidays: holidays.map((h) => h.date),
        tasks: tasks
          .filter((task) => task.taskCode === 'local_act' || task.taskCode === 'school_link')
          .map((task) => ({
            code: task.taskCode as SchoolTaskCode,
            evidence: task.evidence as SchoolTaskEvidence,
            at: task.completedAt,
            byVkId: task.completedByVkId,
          })),
      };
    },
    async overview(reach) {
      const active = and(eq(teachers.active, true), isNull(teachers.erasedAt));
      const rows = await db
        .select({
          id: schools.id,
          name: schools.name,
          teachers: sql<number>`count(${teachers.id})::int`,
          started: sql<number>`count(${teachers.startedAt})::int`,
          finished: sql<number>`count(${teachers.finishedAt})::int`,
        })
        .from(schools)
        .leftJoin(teachers, and(eq(teachers.schoolId, schools.id), active))
        .groupBy(schools.id, schools.name)
        .orderBy(asc(schools.name));
      const parents = reach ? await parentsBySchool(db, reach) : new Map<string, Reach>();
      return rows.map((row) => ({ ...row, parents: reach ? (parents.get(row.id) ?? { joined: 0, total: 0 }) : null, parentsDelta: null }));
    },
    async setDeadline(schoolId, date) {
      await db.update(schools).set({ deadline: date }).where(eq(schools.id, schoolId));
    },
    async setEoInstructions(schoolId, text) {
      await db.update(schools).set({ eoInstructions: text }).where(eq(schools.id, schoolId));
    },
    async setHolidays(schoolId, dates) {
      await db.delete(schoolHolidays).where(eq(schoolHolidays.schoolId, schoolId));
      if (dates.length > 0) await db.insert(schoolHolidays).values(dates.map((date) => ({ schoolId, date })));
    },
    async rotateJoinCode(schoolId, code, at) {
      const [taken] = await db
        .select({ id: schools.id })
        .from(schools)
        .where(and(sql`lower(${schools.joinCode}) = lower(${code})`, ne(schools.id, schoolId)));
      if (taken) return false;
      await db.update(schools).set({ joinCode: code, joinCodeRotatedAt: at }).where(eq(schools.id, schoolId));
      return true;
    },
    async recordTask(schoolId, code, evidence, at, byVkId) {
      await db
        .insert(schoolTasks)
        .values({ schoolId, taskCode: code, evidence, completedAt: at, completedByVkId: byVkId })
        .onConflictDoUpdate({ target: [schoolTasks.schoolId, schoolTasks.taskCode], set: { evidence, completedAt: at, completedByVkId: byVkId } });
    },
  };
}
