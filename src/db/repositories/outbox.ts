import { randomInt } from 'node:crypto';
import { and, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { OutgoingFile, Reply } from '../../domain/model.js';
import type { ClaimedMessage, OutboxKind, OutboxQueue, OutboxRepository, OutboxStatus } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { outbox } from '../schema.js';

/** Rows per INSERT: well under Postgres' 65,535 bind parameters at 8 columns a row. */
const INSERT_CHUNK = 1000;
/** random_id must be a positive int32; parts of one message use randomId + index. */
const MAX_RANDOM_ID = 2 ** 31 - 1 - 100;

/**
 * What the `message` column holds: the parts of one message, sent in order, without their files'
 * bytes; those are in `files` (by part index, base64), dropped once the message is settled.
 */
interface StoredMessage {
  parts: Reply[];
  files?: Record<number, StoredFile[]>;
}

interface StoredFile extends Omit<OutgoingFile, 'content'> {
  base64: string;
}

/** Lower goes first (see OutboxKind). */
const PRIORITY: Record<OutboxKind, number> = { reply: 0, file: 1, reminder: 2, summary: 2, notice: 2 };
/** Kinds whose rows are deleted once sent: a reply is not kept (its update's id already stops a second one). */
const DELETED_WHEN_SENT: OutboxKind[] = ['reply', 'file'];

function toStored(parts: readonly Reply[]): StoredMessage {
  const files: Record<number, StoredFile[]> = {};
  const stored = parts.map((part, index) => {
    if (!part.files?.length) return part;
    const { files: own, ...rest } = part;
    files[index] = own.map(({ content, ...file }) => ({ ...file, base64: Buffer.from(content).toString('base64') }));
    return rest;
  });
  return Object.keys(files).length > 0 ? { parts: stored, files } : { parts: stored };
}

function fromStored(message: StoredMessage): Reply[] {
  return message.parts.map((part, index) => {
    const files = message.files?.[index];
    if (!files) return part;
    return { ...part, files: files.map(({ base64, ...file }) => ({ ...file, content: new Uint8Array(Buffer.from(base64, 'base64')) })) };
  });
}

/** The stored message without its files' bytes (a settled message keeps no file). */
const withoutFiles = sql`${outbox.message} - 'files'`;

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
              priority: PRIORITY[m.kind],
              message: toStored(m.parts),
              randomId: randomInt(1, MAX_RANDOM_ID),
            })),
          )
          .onConflictDoNothing({ target: outbox.key })
          .returning({ key: outbox.key });
        for (const row of rows) inserted.push(row.key);
      }
      return inserted;
    },

    async claim({ limit, leaseMs, keys, replyGraceMs }) {
      if (keys?.length === 0) return [];
      // One person's messages go in order: a row waits while an earlier one to the same person is
      // unsent (in flight, or waiting for a retry), unless that one is of a lower priority: a text
      // reply may overtake a file, nothing overtakes a text reply.
      const rows = await db
        .update(outbox)
        .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, attempts: sql`${outbox.attempts} + 1` })
        .where(
          sql`${outbox.id} in (
            select o.id from ${outbox} o
            where o.status = 'pending' and o.available_at <= now() and (o.lease_until is null or o.lease_until <= now())
              ${keys ? sql`and o.key in ${keys}` : sql``}
              ${replyGraceMs ? sql`and not (o.kind in ('reply', 'file') and o.attempts = 0 and o.created_at > now() - ${replyGraceMs} * interval '1 millisecond')` : sql``}
              and not exists (
                select 1 from ${outbox} e
                where e.status = 'pending' and e.recipient_vk_id = o.recipient_vk_id and e.id < o.id and e.priority <= o.priority)
            order by o.priority, o.id
            limit ${limit}
            for update skip locked)`,
        )
        .returning();
      return rows
        .sort((a, b) => a.priority - b.priority || a.id - b.id)
        .map(
          (row): ClaimedMessage => ({
            id: row.id,
            key: row.key,
            kind: row.kind,
            recipientVkId: row.recipientVkId,
            teacherId: row.teacherId,
            parts: fromStored(row.message as StoredMessage),
            randomId: row.randomId,
            attempts: row.attempts,
          }),
        );
    },

    async markSent(ids) {
      if (ids.length === 0) return;
      // Disjoint rows: the two statements may run side by side.
      await Promise.all([
        db.delete(outbox).where(and(inArray(outbox.id, [...ids]), inArray(outbox.kind, DELETED_WHEN_SENT))),
        db
          .update(outbox)
          .set({ status: 'sent', sentAt: sql`now()`, leaseUntil: null, lastError: null, message: withoutFiles })
          .where(and(inArray(outbox.id, [...ids]), notInArray(outbox.kind, DELETED_WHEN_SENT))),
      ]);
    },
    async markUnreachable(id, error) {
      await db.update(outbox).set({ status: 'unreachable', leaseUntil: null, lastError: error, message: withoutFiles }).where(eq(outbox.id, id));
    },
    async markRetry(id, error, delayMs) {
      await db
        .update(outbox)
        .set({ status: 'pending', leaseUntil: null, lastError: error, availableAt: sql`now() + ${delayMs} * interval '1 millisecond'` })
        .where(eq(outbox.id, id));
    },
    async markFailed(id, error) {
      await db.update(outbox).set({ status: 'failed', leaseUntil: null, lastError: error, message: withoutFiles }).where(eq(outbox.id, id));
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
