import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { SummarySnapshotRepository } from '../../domain/ports.js';
import { parseSnapshot } from '../../domain/summary/model.js';
import type { Database } from '../client.js';
import { summarySnapshots } from '../schema.js';

export function createSummarySnapshotRepository(db: Database): SummarySnapshotRepository {
  return {
    async latestBefore(schoolId, date) {
      const [row] = await db
        .select({ date: sql<string>`${summarySnapshots.date}::text`, data: summarySnapshots.data })
        .from(summarySnapshots)
        .where(and(eq(summarySnapshots.schoolId, schoolId), lt(summarySnapshots.date, date)))
        .orderBy(desc(summarySnapshots.date))
        .limit(1);
      const data = row ? parseSnapshot(row.data) : null;
      return row && data ? { date: row.date, data } : null;
    },
    async save(schoolId, date, data) {
      await db.insert(summarySnapshots).values({ schoolId, date, data }).onConflictDoNothing();
    },
  };
}
