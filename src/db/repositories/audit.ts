import type { AuditRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { auditLog } from '../schema.js';

/** Append-only by construction: this repository has no update or delete. */
export function createAuditRepository(db: Database): AuditRepository {
  return {
    async append(entry) {
      await db.insert(auditLog).values({
        schoolId: entry.schoolId,
        teacherId: entry.teacherId,
        actor: entry.actor,
        actorVkId: entry.actorVkId,
        action: entry.action,
        taskCode: entry.taskCode ?? null,
        className: entry.className ?? null,
        details: entry.details ?? null,
        createdAt: entry.at,
      });
    },
  };
}
