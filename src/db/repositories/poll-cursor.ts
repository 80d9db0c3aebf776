import { eq, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { pollCursors } from '../schema.js';

export function createPollCursorRepository(db: Database, groupId: number) {
  return {
    async load(): Promise<string | null> {
      const [row] = await db.select({ ts: pollCursors.ts }).from(pollCursors).where(eq(pollCursors.groupId, groupId));
      return row?.ts ?? null;
    },
    async save(ts: string): Promise<void> {
      await db
        .insert(pollCursors)
        .values({ groupId, ts })
        .onConflictDoUpdate({ target: pollCursors.groupId, set: { ts, updatedAt: sql`now()` } });
    },
  };
}
