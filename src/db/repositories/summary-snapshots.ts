import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { SummarySnapshotRepository } from '../../domain/ports.js';
import { type SummarySnapshot, parseSnapshot } from '../../domain/summary/model.js';
import type { Database } from '../client.js';
import { summarySnapshots } from '../schema.js';
import { loadInChunks } from './chunks.js';

/** Three parameters a row: far below PostgreSQL's 65,535 per statement. */
const ROWS_PER_INSERT = 1000;

export function createSummarySnapshotRepository(db: Database): SummarySnapshotRepository {
  return {
    async latestBefore(schoolIds, date) {
      const rows = await loadInChunks(schoolIds, (chunk) =>
        db
          .selectDistinctOn([summarySnapshots.schoolId], { schoolId: summarySnapshots.schoolId, date: sql<string>`${summarySnapshots.date}::text`, data: summarySnapshots.data })
          .from(summarySnapshots)
          .where(and(inArray(summarySnapshots.schoolId, chunk), lt(summarySnapshots.date, date)))
          .orderBy(asc(summarySnapshots.schoolId), desc(summarySnapshots.date)),
      );
      const latest = new Map<string, { date: string; data: SummarySnapshot }>();
      for (const row of rows) {
        // The latest one only: an older snapshot is no baseline for "since the last summary".
        const data = parseSnapshot(row.data);
        if (data) latest.set(row.schoolId, { date: row.date, data });
      }
      return latest;
    },
    async history(schoolId) {
      const rows = await db
        .select({ date: sql<string>`${summarySnapshots.date}::text`, data: summarySnapshots.data })
        .from(summarySnapshots)
        .where(eq(summarySnapshots.schoolId, schoolId))
        .orderBy(asc(summarySnapshots.date));
      return rows.flatMap((row) => {
        const data = parseSnapshot(row.data);
        return data ? [{ date: row.date, data }] : [];
      });
    },
    async saveAll(date, snapshots) {
      for (let start = 0; start < snapshots.length; start += ROWS_PER_INSERT) {
        const chunk = snapshots.slice(start, start + ROWS_PER_INSERT);
        await db.insert(summarySnapshots).values(chunk.map(({ schoolId, data }) => ({ schoolId, date, data }))).onConflictDoNothing();
      }
    },
  };
}
