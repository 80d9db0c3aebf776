import { randomInt } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Reply } from '../../domain/model.js';
import type { ClaimedMessage, OutboxQueue, OutboxRepository, OutboxStatus } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { outbox } from '../schema.js';

/** Rows per INSERT: well under Postgres' 65,535 bind parameters at 7 columns a row. */
const INSERT_CHUNK = 1000;
/** random_id must be a positive int32; parts of one message use randomId + index. */
const MAX_RANDOM_ID = 2 ** 31 - 1 - 100;

/** What the `message` column holds: the parts of one message, sent in order. */
interface StoredMessage {
  parts: Reply[];
}

export function createOutboxRepository(db: Database): OutboxRepository & OutboxQueue {
  return {
    async enqueue(messages) {
      const inserted: string[] = [];
      for (let start = 0; start < messages.length; start += INSERT_CHUNK) {
        const chunk = messages.slice(start, start + INSERT_CHUNK);
        const rows = await db
          .insert(outbox)
          .values(
            chunk.map((m) => ({
              schoolId: m.schoolId,
              key: m.key,
              kind: m.kind,
              recipientVkId: m.recipientVkId,
              teacherId: m.teacherId,
              message: { parts: m.parts } satisfies StoredMessage,
              randomId: randomInt(1, MAX_RANDOM_ID),
            })),
          )
          .onConflictDoNothing({ target: outbox.key })
          .returning({ key: outbox.key });
        for (const row of rows) inserted.push(row.key);
      }
      return inserted;
    },

    async claim({ limit, leaseMs }) {
      const rows = await db
        .update(outbox)
        .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, attempts: sql`${outbox.attempts} + 1` })
        .where(
          sql`${outbox.id} in (
            select id from ${outbox}
            where status = 'pending' and available_at <= now() and (lease_until is null or lease_until <= now())
            order by id
            limit ${limit}
            for update skip locked)`,
        )
        .returning();
      return rows
        .sort((a, b) => a.id - b.id)
        .map(
          (row): ClaimedMessage => ({
            id: row.id,
            key: row.key,
            kind: row.kind,
            recipientVkId: row.recipientVkId,
            teacherId: row.teacherId,
            parts: (row.message as StoredMessage).parts,
            randomId: row.randomId,
            attempts: row.attempts,
          }),
        );
    },

    async markSent(ids) {
      if (ids.length === 0) return;
      await db.update(outbox).set({ status: 'sent', sentAt: sql`now()`, leaseUntil: null, lastError: null }).where(inArray(outbox.id, [...ids]));
    },
    async markUnreachable(id, error) {
      await db.update(outbox).set({ status: 'unreachable', leaseUntil: null, lastError: error }).where(eq(outbox.id, id));
    },
    async markRetry(id, error, delayMs) {
      await db
        .update(outbox)
        .set({ status: 'pending', leaseUntil: null, lastError: error, availableAt: sql`now() + ${delayMs} * interval '1 millisecond'` })
        .where(eq(outbox.id, id));
    },
    async markFailed(id, error) {
      await db.update(outbox).set({ status: 'failed', leaseUntil: null, lastError: error }).where(eq(outbox.id, id));
    },
    async prune(days) {
      const rows = await db
        .delete(outbox)
        .where(and(ne(outbox.status, 'pending'), sql`coalesce(${outbox.sentAt}, ${outbox.createdAt}) < now() - ${days} * interval '1 day'`))
        .returning({ id: outbox.id });
      return rows.length;
    },
    async counts() {
      const rows = await db.select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
      const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, unreachable: 0 };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },
  };
}
