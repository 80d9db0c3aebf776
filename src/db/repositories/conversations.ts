import { eq, sql } from 'drizzle-orm';
import { initialState, parseState } from '../../domain/conversation/state.js';
import type { ConversationRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { conversations } from '../schema.js';

export function createConversationRepository(db: Database): ConversationRepository {
  return {
    async lock(vkId) {
      await db.insert(conversations).values({ vkId, state: initialState }).onConflictDoNothing();
      const [row] = await db.select({ state: conversations.state }).from(conversations).where(eq(conversations.vkId, vkId)).for('update');
      return parseState(row?.state);
    },
    async save(vkId, schoolId, state) {
      await db
        .update(conversations)
        .set({ state, schoolId, updatedAt: sql`now()` })
        .where(eq(conversations.vkId, vkId));
    },
  };
}
