import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { botInstances } from '../schema.js';

/** A row not refreshed for this long belongs to a process that died without saying goodbye. */
const FORGET_AFTER = sql`interval '1 day'`;

/**
 * This process's row in `bot_instances`. Every time is the database's `now()`, never the
 * process's clock, so instances whose clocks disagree still agree on who is alive.
 */
export function createInstanceRegistry(db: Database, instance: { id: string; groupId: number; label: string; staleAfterMs: number }) {
  const { id, groupId, label, staleAfterMs } = instance;
  const staleBefore = sql`now() - make_interval(secs => ${staleAfterMs / 1000})`;
  return {
    /** Marks this instance alive and returns how many instances of the community are alive, itself included. */
    async heartbeat(): Promise<number> {
      await db
        .insert(botInstances)
        .values({ id, groupId, label })
        .onConflictDoUpdate({ target: botInstances.id, set: { seenAt: sql`now()` } });
      await db.delete(botInstances).where(lt(botInstances.seenAt, sql`now() - ${FORGET_AFTER}`));
      const [row] = await db
        .select({ live: sql<number>`count(*)::int` })
        .from(botInstances)
        .where(and(eq(botInstances.groupId, groupId), gt(botInstances.seenAt, staleBefore)));
      return Math.max(1, row?.live ?? 1);
    },
    /** Removes this instance, so the others take over its share at their next heartbeat. */
    async leave(): Promise<void> {
      await db.delete(botInstances).where(eq(botInstances.id, id));
    },
  };
}
