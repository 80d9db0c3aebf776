import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { RosterTeacher } from '../../domain/admin/model.js';
import type { RosterRepository } from '../../domain/admin/ports.js';
import { adminTexts } from '../../domain/admin/texts.js';
import type { Completion, Evidence } from '../../domain/model.js';
import type { Database } from '../client.js';
import { auditLog, classes, conversations, taskCompletions, teachers } from '../schema.js';

/** What an erased teacher's row keeps instead of a name. */
const ERASED_NAME = adminTexts.erasedName;

type TeacherRow = typeof teachers.$inferSelect;

async function load(db: Database, rows: TeacherRow[]): Promise<RosterTeacher[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [classRows, completionRows] = await Promise.all([
    db.select({ teacherId: classes.teacherId, name: classes.name }).from(classes).where(inArray(classes.teacherId, ids)).orderBy(asc(classes.position)),
    db.select().from(taskCompletions).where(inArray(taskCompletions.teacherId, ids)),
  ]);
  return rows.map((row) => ({
    id: row.id,
    schoolId: row.schoolId,
    vkId: row.vkId,
    fullName: row.fullName,
    classes: classRows.filter((c) => c.teacherId === row.id).map((c) => c.name),
    active: row.active,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    unreachableAt: row.unreachableAt,
    leaveUntil: row.leaveUntil,
    completions: completionRows
      .filter((c) => c.teacherId === row.id)
      .map(
        (c): Completion => ({
          task: c.taskCode,
          className: c.className === '' ? null : c.className,
          status: c.status,
          evidence: (c.evidence as Evidence | null) ?? null,
          reason: c.reason,
          at: c.completedAt,
        }),
      ),
  }));
}

async function replaceClasses(db: Database, schoolId: string, teacherId: string, names: readonly string[]): Promise<void> {
  await db.delete(classes).where(eq(classes.teacherId, teacherId));
  if (names.length > 0) await db.insert(classes).values(names.map((name, position) => ({ schoolId, teacherId, name, position })));
}

export function createRosterRepository(db: Database): RosterRepository {
  const inSchool = (schoolId: string) => and(eq(teachers.schoolId, schoolId), isNull(teachers.erasedAt));
  return {
    async list(schoolId) {
      const rows = await db.select().from(teachers).where(inSchool(schoolId)).orderBy(asc(teachers.fullName), asc(teachers.createdAt));
      return load(db, rows);
    },
    async find(schoolId, teacherId) {
      const [row] = await db.select().from(teachers).where(and(inSchool(schoolId), eq(teachers.id, teacherId)));
      return row ? ((await load(db, [row]))[0] ?? null) : null;
    },
    async vkIdsElsewhere(schoolId, vkIds) {
      if (vkIds.length === 0) return new Set();
      const rows = await db
        .select({ vkId: teachers.vkId })
        .from(teachers)
        .where(and(inArray(teachers.vkId, [...vkIds]), ne(teachers.schoolId, schoolId)));
      return new Set(rows.flatMap((r) => (r.vkId === null ? [] : [r.vkId])));
    },
    async insert(schoolId, line) {
      const [row] = await db.insert(teachers).values({ schoolId, vkId: line.vkId, fullName: line.fullName }).returning({ id: teachers.id });
      if (!row) throw new Error('teacher was not inserted');
      await replaceClasses(db, schoolId, row.id, line.classes);
      return row.id;
    },
    async update(teacherId, line) {
      const [row] = await db
        .update(teachers)
        .set({ fullName: line.fullName, vkId: line.vkId, active: true })
        .where(eq(teachers.id, teacherId))
        .returning({ schoolId: teachers.schoolId });
      if (row) await replaceClasses(db, row.schoolId, teacherId, line.classes);
    },
    async setActive(teacherId, active) {
      await db.update(teachers).set({ active }).where(eq(teachers.id, teacherId));
    },
    async setLeave(teacherId, until) {
      await db.update(teachers).set({ leaveUntil: until }).where(eq(teachers.id, teacherId));
    },
    async erase(teacherId, at) {
      const [before] = await db.select({ vkId: teachers.vkId }).from(teachers).where(eq(teachers.id, teacherId));
      await db
        .update(teachers)
        .set({ fullName: ERASED_NAME, vkId: null, active: false, erasedAt: at, lastSeenAt: null, snoozedUntil: null, leaveUntil: null, unreachableAt: null })
        .where(eq(teachers.id, teacherId));
      await db.delete(classes).where(eq(classes.teacherId, teacherId));
      // Completions stay as anonymous counts: which task, when; not the links, photos or reasons.
      const kept = await db.update(taskCompletions).set({ evidence: null, reason: null }).where(eq(taskCompletions.teacherId, teacherId)).returning({ id: taskCompletions.id });
      // The only change ever made to audit entries: the teacher's own VK id and free-text details go.
      await db
        .update(auditLog)
        .set({ details: null, actorVkId: sql`case when ${auditLog.actor} = 'teacher' then null else ${auditLog.actorVkId} end` })
        .where(eq(auditLog.teacherId, teacherId));
      if (before?.vkId != null) await db.delete(conversations).where(eq(conversations.vkId, before.vkId));
      return { completionsKept: kept.length, vkId: before?.vkId ?? null };
    },
  };
}
