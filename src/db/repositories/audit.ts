import { type SQL, and, asc, desc, eq, sql } from 'drizzle-orm';
import type { AuditRecord } from '../../domain/admin/model.js';
import type { AuditReader, AuditRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { auditLog, teachers } from '../schema.js';

/**
 * A pseudonym of an actor's VK id in a school: the same id always gives the same pseudonym there,
 * so an erased teacher's entries stay linkable and the operator can check a suspected id against
 * them, but the id itself is no longer stored.
 */
export const actorPseudonym = (schoolId: SQL | string, vkId: SQL | number): SQL =>
  sql`'vk#' || left(encode(sha256(convert_to(${schoolId}::text || ':' || ${vkId}::text, 'UTF8')), 'hex'), 16)`;

/** Append-only by construction: this repository has no update or delete (erasure is the one exception, in roster.ts). */
export function createAuditRepository(db: Database): AuditRepository {
  return {
    async append(entry) {
      await db.insert(auditLog).values({
        schoolId: entry.schoolId,
        teacherId: entry.teacherId,
        actor: entry.actor,
        actorVkId: entry.pseudonymous ? null : entry.actorVkId,
        actorRef: entry.pseudonymous && entry.actorVkId !== null ? actorPseudonym(entry.schoolId, entry.actorVkId) : null,
        action: entry.action,
        taskCode: entry.taskCode ?? null,
        className: entry.className ?? null,
        details: entry.details ?? null,
        createdAt: entry.at,
      });
    },
  };
}

const columns = {
  at: auditLog.createdAt,
  actor: auditLog.actor,
  actorVkId: auditLog.actorVkId,
  actorRef: auditLog.actorRef,
  teacherId: auditLog.teacherId,
  teacherName: teachers.fullName,
  erasedAt: teachers.erasedAt,
  action: auditLog.action,
  taskCode: auditLog.taskCode,
  className: auditLog.className,
  details: auditLog.details,
};

type Row = { [K in keyof typeof columns]: unknown } & { at: Date; erasedAt: Date | null; teacherName: string | null };

const toRecord = (row: Row): AuditRecord => ({
  at: row.at,
  actor: row.actor as AuditRecord['actor'],
  actorVkId: row.actorVkId as number | null,
  actorRef: row.actorRef as string | null,
  teacherId: row.teacherId as string | null,
  teacherName: row.erasedAt === null ? row.teacherName : null,
  action: row.action as string,
  taskCode: row.taskCode as string | null,
  className: row.className as string | null,
  details: (row.details as Record<string, unknown> | null) ?? null,
});

export function createAuditReader(db: Database): AuditReader {
  const base = () => db.select(columns).from(auditLog).leftJoin(teachers, eq(teachers.id, auditLog.teacherId));
  return {
    async forTeacher(schoolId, teacherId, limit) {
      const rows = await base()
        .where(and(eq(auditLog.schoolId, schoolId), eq(auditLog.teacherId, teacherId)))
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(limit);
      return rows.map(toRecord).reverse();
    },
    async forSchool(schoolId) {
      const rows = await base().where(eq(auditLog.schoolId, schoolId)).orderBy(asc(auditLog.createdAt), asc(auditLog.id));
      return rows.map(toRecord);
    },
  };
}
