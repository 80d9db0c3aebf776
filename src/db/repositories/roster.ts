import { and, asc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { RosterTeacher } from '../../domain/admin/model.js';
import type { RosterRepository } from '../../domain/ports.js';
import { adminTexts } from '../../domain/admin/texts.js';
import type { Completion } from '../../domain/model.js';
import { toCompletion } from './completions.js';
import { actorPseudonym } from './audit.js';
import { newClaimCode, withClasses } from './teachers.js';
import type { Database } from '../client.js';
import { auditLog, classes, conversations, outbox, taskCompletions, teachers } from '../schema.js';

/** What an erased teacher's row keeps instead of a name. */
const ERASED_NAME = adminTexts.erasedName;

type TeacherRow = typeof teachers.$inferSelect;

async function load(db: Database, rows: TeacherRow[]): Promise<RosterTeacher[]> {
  if (rows.length === 0) return [];
  const [withClassList, completionRows] = await Promise.all([
    withClasses(db, rows),
    db.select().from(taskCompletions).where(inArray(taskCompletions.teacherId, rows.map((r) => r.id))),
  ]);
  const completionsOf = new Map<string, Completion[]>();
  for (const row of completionRows) completionsOf.set(row.teacherId, [...(completionsOf.get(row.teacherId) ?? []), toCompletion(row)]);
  return rows.map((row, index) => ({
    id: row.id,
    schoolId: row.schoolId,
    vkId: row.vkId,
    claimCode: row.claimCode,
    fullName: row.fullName,
    classes: withClassList[index]!.classes,
    active: row.active,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    unreachableAt: row.unreachableAt,
    leaveUntil: row.leaveUntil,
    completions: completionsOf.get(row.id) ?? [],
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
      const [row] = await db
        .insert(teachers)
        .values({ schoolId, vkId: line.vkId, fullName: line.fullName, claimCode: line.vkId === null ? newClaimCode() : null })
        .returning({ id: teachers.id });
      if (!row) throw new Error('teacher was not inserted');
      await replaceClasses(db, schoolId, row.id, line.classes);
      return row.id;
    },
    async update(teacherId, line) {
      const [row] = await db
        .update(teachers)
        // A row given a VK id needs no code; one whose id was taken away gets one (or keeps its own).
        .set({ fullName: line.fullName, vkId: line.vkId, active: true, claimCode: line.vkId === null ? sql`coalesce(${teachers.claimCode}, ${newClaimCode()})` : null })
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
        .set({ fullName: ERASED_NAME, vkId: null, claimCode: null, active: false, erasedAt: at, lastSeenAt: null, snoozedUntil: null, leaveUntil: null, unreachableAt: null })
        .where(eq(teachers.id, teacherId));
      await db.delete(classes).where(eq(classes.teacherId, teacherId));
      // Completions stay as anonymous counts: which task, when; not the links, photos or reasons.
      const kept = await db.update(taskCompletions).set({ evidence: null, reason: null }).where(eq(taskCompletions.teacherId, teacherId)).returning({ id: taskCompletions.id });
      // The only change ever made to audit entries: free-text details go, and where the teacher
      // acted, their VK id is replaced by a pseudonym (who did what stays a record; the id does not).
      await db
        .update(auditLog)
        .set({
          details: null,
          actorRef: sql`case when ${auditLog.actor} = 'teacher' and ${auditLog.actorVkId} is not null then ${actorPseudonym(sql`${auditLog.schoolId}`, sql`${auditLog.actorVkId}`)} else ${auditLog.actorRef} end`,
          actorVkId: sql`case when ${auditLog.actor} = 'teacher' then null else ${auditLog.actorVkId} end`,
        })
        .where(eq(auditLog.teacherId, teacherId));
      if (before?.vkId != null) await db.delete(conversations).where(eq(conversations.vkId, before.vkId));
      // Messages to this teacher (reminders with their name, replies): pending ones are cancelled,
      // and every one keeps only its kind, key and dates: no text, no VK id (0 stands for none).
      await db
        .update(outbox)
        .set({
          status: sql`case when ${outbox.status} = 'pending' then 'failed' else ${outbox.status} end`,
          lastError: sql`case when ${outbox.status} = 'pending' then 'erased' else ${outbox.lastError} end`,
          recipientVkId: 0,
          message: { text: ERASED_NAME },
          leaseUntil: null,
        })
        .where(or(eq(outbox.teacherId, teacherId), before?.vkId != null ? eq(outbox.recipientVkId, before.vkId) : undefined));
      return { completionsKept: kept.length, vkId: before?.vkId ?? null };
    },
  };
}
