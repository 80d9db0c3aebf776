import { eq, lt, sql } from 'drizzle-orm';
import type { EventRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { processedEvents } from '../schema.js';

export function createEventRepository(db: Database): EventRepository {
  return {
    async claim(eventId) {
      // Atomic: a concurrent duplicate blocks on the primary key until this transaction ends,
      // then inserts nothing. A check-then-insert would let both through.
      const rows = await db.insert(processedEvents).values({ eventId }).onConflictDoNothing().returning({ eventId: processedEvents.eventId });
      return rows.length === 1;
    },
    async seen(eventId) {
      const rows = await db.select({ eventId: processedEvents.eventId }).from(processedEvents).where(eq(processedEvents.eventId, eventId));
      return rows.length > 0;
    },
    async prune(days) {
      const rows = await db
        .delete(processedEvents)
        .where(lt(processedEvents.processedAt, sql`now() - ${days} * interval '1 day'`))
        .returning({ eventId: processedEvents.eventId });
      return rows.length;
    },
  };
}
