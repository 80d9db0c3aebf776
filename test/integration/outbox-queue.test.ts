import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxKind, OutboxMessage } from '../../src/domain/ports.js';
import { createOutboxRepository } from '../../src/db/repositories/outbox.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { outbox } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

let database: TestDatabase;
let repo: ReturnType<typeof createOutboxRepository>;
let schoolId: string;
let nextVkId = 50_000;

beforeAll(async () => {
  database = await createTestDatabase();
  repo = createOutboxRepository(database.db);
  schoolId = (await upsertConfiguredSchool(database.db, { slug: 'main', name: 'Школа', joinCode: 'CODE-1' })).id;
});
afterAll(() => database.destroy());

const message = (recipientVkId: number, kind: OutboxKind, key: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  schoolId,
  key,
  kind,
  recipientVkId,
  teacherId: null,
  parts: [{ text: key }],
  ...extra,
});

const claimKeys = async (keys?: string[]) => (await repo.claim({ limit: 100, leaseMs: 60_000, ...(keys ? { keys } : {}) })).map((m) => m.key);

describe('the outbox queue', () => {
  it("keeps one person's messages in order, letting a text reply overtake a file only", async () => {
    const vkId = ++nextVkId;
    await repo.enqueue([message(vkId, 'reply', 'order:a'), message(vkId, 'file', 'order:file'), message(vkId, 'reply', 'order:b'), message(vkId, 'reminder', 'order:reminder')]);
    const claimed = await repo.claim({ limit: 100, leaseMs: 60_000, keys: ['order:a', 'order:file', 'order:b', 'order:reminder'] });
    // The first text is in flight: everything after it waits.
    expect(claimed.map((m) => m.key)).toEqual(['order:a']);
    await repo.markSent(claimed.map((m) => m.id));
    // The next text may overtake the file still waiting; the reminder waits for both.
    const next = await repo.claim({ limit: 100, leaseMs: 60_000, keys: ['order:file', 'order:b', 'order:reminder'] });
    expect(next.map((m) => m.key)).toEqual(['order:b', 'order:file']);
    expect(await claimKeys(['order:reminder'])).toEqual([]);
    // A failed try sends the file back to wait: still nothing overtakes it but text.
    await repo.markRetry(next[1]!.id, '10', 60_000);
    await repo.markSent([next[0]!.id]);
    expect(await claimKeys(['order:reminder'])).toEqual([]);
    await repo.markFailed(next[1]!.id, '10');
    expect(await claimKeys(['order:reminder'])).toEqual(['order:reminder']);
  });

  it('takes text replies first, then files, then reminders and summaries, whoever they are for', async () => {
    const [a, b, c] = [++nextVkId, ++nextVkId, ++nextVkId];
    await repo.enqueue([message(a, 'summary', 'prio:summary'), message(b, 'reminder', 'prio:reminder'), message(c, 'file', 'prio:file')]);
    await repo.enqueue([message(a + 1000, 'reply', 'prio:reply')]);
    const keys = ['prio:summary', 'prio:reminder', 'prio:file', 'prio:reply'];
    const first = await repo.claim({ limit: 2, leaseMs: 60_000, keys });
    expect(first.map((m) => m.key)).toEqual(['prio:reply', 'prio:file']);
    expect(await claimKeys(keys)).toEqual(['prio:summary', 'prio:reminder']);
  });

  it('deletes a reply once sent, keeps a reminder as sent; file bytes round-trip and go once settled', async () => {
    const vkId = ++nextVkId;
    const content = new Uint8Array([0, 1, 2, 250, 255]);
    const file = { kind: 'document' as const, filename: 'export.xlsx', content };
    await repo.enqueue([
      message(vkId, 'file', 'files:export', { parts: [{ text: 'Выгрузка', files: [file] }] }),
      message(vkId + 1, 'reminder', 'files:reminder', { parts: [{ text: 'Напоминание', files: [file] }] }),
    ]);
    const claimed = await repo.claim({ limit: 10, leaseMs: 60_000, keys: ['files:export', 'files:reminder'] });
    expect(claimed.map((m) => m.parts[0]?.files?.[0]?.content)).toEqual([content, content]);
    expect(claimed[0]!.parts[0]).toMatchObject({ text: 'Выгрузка', files: [{ kind: 'document', filename: 'export.xlsx' }] });
    await repo.markSent(claimed.map((m) => m.id));
    expect(await database.db.select().from(outbox).where(eq(outbox.key, 'files:export'))).toEqual([]);
    const [kept] = await database.db.select().from(outbox).where(eq(outbox.key, 'files:reminder'));
    expect(kept).toMatchObject({ status: 'sent' });
    expect(kept!.message).toEqual({ parts: [{ text: 'Напоминание' }] });
  });
});
