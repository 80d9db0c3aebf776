import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Teacher } from '../../domain/model.js';
import type { TeacherRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { classes, teachers } from '../schema.js';

type TeacherRow = typeof teachers.$inferSelect;

/** Loads the classes of the given teacher rows and returns domain teachers. */
export async function withClasses(db: Database, rows: TeacherRow[]): Promise<Teacher[]> {
  if (rows.length === 0) return [];
  const classRows = await db
    .select({ teacherId: classes.teacherId, name: classes.name })
    .from(classes)
    .where(
      inArray(
        classes.teacherId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(classes.position));
  return rows.map((row) => ({
    id: row.id,
    schoolId: row.schoolId,
    vkId: row.vkId,
    fullName: row.fullName,
    classes: classRows.filter((c) => c.teacherId === row.id).map((c) => c.name),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  }));
}

export function createTeacherRepository(db: Database): TeacherRepository {
  return {
    async findByVkId(vkId) {
      const rows = await db
        .select()
        .from(teachers)
        .where(and(eq(teachers.vkId, vkId), eq(teachers.active, true)));
      const [teacher] = await withClasses(db, rows);
      return teacher ?? null;
    },
    async create(input) {
      // A roster line imported without a VK id is this teacher if the name matches: claim it
      // rather than create a second row for the same person.
      const [claimed] = await db
        .update(teachers)
        .set({ vkId: input.vkId, startedAt: input.startedAt, lastSeenAt: input.startedAt })
        .where(
          and(
            eq(teachers.schoolId, input.schoolId),
            isNull(teachers.vkId),
            isNull(teachers.erasedAt),
            eq(teachers.active, true),
            sql`lower(${teachers.fullName}) = lower(${input.fullName})`,
            sql`${teachers.id} = (select t.id from ${teachers} t where t.school_id = ${input.schoolId} and t.vk_id is null and t.erased_at is null and t.active and lower(t.full_name) = lower(${input.fullName}) order by t.created_at limit 1)`,
          ),
        )
        .returning();
      if (claimed) {
        await db.delete(classes).where(eq(classes.teacherId, claimed.id));
        if (input.classes.length > 0) {
          await db.insert(classes).values(input.classes.map((name, position) => ({ schoolId: input.schoolId, teacherId: claimed.id, name, position })));
        }
        return { ...(await withClasses(db, [claimed]))[0]!, classes: input.classes };
      }
      const [row] = await db
        .insert(teachers)
        .values({ schoolId: input.schoolId, vkId: input.vkId, fullName: input.fullName, startedAt: input.startedAt, lastSeenAt: input.startedAt })
        .returning();
      if (!row) throw new Error('teacher was not created');
      if (input.classes.length > 0) {
        await db
          .insert(classes)
          .values(input.classes.map((name, position) => ({ schoolId: input.schoolId, teacherId: row.id, name, position })));
      }
      return { ...(await withClasses(db, [row]))[0]!, classes: input.classes };
    },
    async markFinished(id, at) {
      await db
        .update(teachers)
        .set({ finishedAt: at })
        .where(and(eq(teachers.id, id), isNull(teachers.finishedAt)));
    },
    async markUnreachable(vkId, at) {
      await db.update(teachers).set({ unreachableAt: at }).where(eq(teachers.vkId, vkId));
    },
    async snooze(id, until) {
      await db.update(teachers).set({ snoozedUntil: until }).where(eq(teachers.id, id));
    },
    async setLeave(id, until) {
      await db.update(teachers).set({ leaveUntil: until }).where(eq(teachers.id, id));
    },
  };
}
