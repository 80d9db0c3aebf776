import { randomBytes } from 'node:crypto';
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

/** A roster row still waiting for its teacher: active, not erased, no VK id. */
const unclaimed = and(isNull(teachers.vkId), isNull(teachers.erasedAt), eq(teachers.active, true));

/** A new personal code: 10 hex digits (40 random bits); see parseClaimCode. */
export const newClaimCode = (): string => randomBytes(5).toString('hex').toUpperCase();

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
      // Always a new row: a roster line without a VK id is claimed only with its personal code
      // (`claim`), never by a name match, which anyone who knows a teacher's name could make.
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
    async findByClaimCode(code) {
      const [row] = await db.select().from(teachers).where(and(eq(teachers.claimCode, code), unclaimed));
      const [teacher] = await withClasses(db, row ? [row] : []);
      return teacher ?? null;
    },
    async unclaimedNameExists(schoolId, fullName) {
      const [row] = await db
        .select({ id: teachers.id })
        .from(teachers)
        .where(and(eq(teachers.schoolId, schoolId), unclaimed, sql`lower(${teachers.fullName}) = lower(${fullName})`))
        .limit(1);
      return row !== undefined;
    },
    async claim(id, vkId, at) {
      const [row] = await db
        .update(teachers)
        .set({ vkId, claimCode: null, startedAt: sql`coalesce(${teachers.startedAt}, ${at.toISOString()}::timestamptz)`, lastSeenAt: at })
        .where(and(eq(teachers.id, id), unclaimed))
        .returning();
      // Taken between the lookup and now (another message in flight): the transaction rolls back.
      if (!row) throw new Error('roster row was claimed already');
      return (await withClasses(db, [row]))[0]!;
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
