import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { OutboxMessage, SchoolSettings } from '../../../src/domain/ports.js';
import { DEFAULT_REMINDER_POLICY } from '../../../src/domain/reminders/policy.js';
import { tallyOf } from '../../../src/domain/standing.js';
import { type DailySummaryDeps, queueDailySummaries } from '../../../src/domain/summary/service.js';
import { standing } from '../../support/standings.js';

/** Tuesday 8 December 2026, 10:00 in Moscow: a working day inside the default window. */
const TUESDAY = new Date('2026-12-08T10:00:00+03:00');
const school = (id: string, overrides: Partial<SchoolSettings> = {}): SchoolSettings => ({ id, name: `Школа ${id}`, deadline: null, reminderPolicy: null, daysOff: [], ...overrides });

/** In-memory ports: every school has the same two teachers; `admins` says who administers what. */
function deps(schools: SchoolSettings[], admins: Record<string, number[]>, enqueue: (messages: readonly OutboxMessage[]) => Promise<string[]>) {
  const calls = { tallied: [] as string[][], saved: [] as string[] };
  const teachers = [standing({ fullName: 'Иванова Мария Петровна' }), standing({ fullName: 'Петров Иван Ильич', startedAt: null })];
  const summaryDeps: DailySummaryDeps = {
    schools: { list: async () => schools, find: async (id) => schools.find((s) => s.id === id) ?? null },
    standings: {
      loadSchool: async () => teachers,
      async tallySchools(ids, checklist) {
        calls.tallied.push([...ids]);
        return new Map(ids.map((id) => [id, teachers.map((t) => tallyOf(checklist, t))]));
      },
    },
    snapshots: {
      latestBefore: async () => new Map(),
      history: async () => [],
      async saveAll(_date, snapshots) {
        calls.saved.push(...snapshots.map((snapshot) => snapshot.schoolId));
      },
    },
    admins: { listForSchools: async (ids) => new Map(ids.filter((id) => admins[id]).map((id) => [id, admins[id]!])) },
    outbox: { enqueue },
    checklist: defaultChecklist,
    timeZone: 'Europe/Moscow',
    defaults: DEFAULT_REMINDER_POLICY,
  };
  return { summaryDeps, calls };
}

describe('queueDailySummaries', () => {
  it('computes every due school in one tally, and reports each school in order with what it queued', async () => {
    const schools = [school('a'), school('closed', { daysOff: ['2026-12-08'] }), school('b'), school('no-admins'), school('c')];
    // The outbox already holds admin 2's summary (a rerun): it is not counted as queued again.
    const enqueued: string[][] = [];
    const { summaryDeps, calls } = deps(schools, { a: [1, 2], b: [3], closed: [4], c: [5] }, async (messages) => {
      enqueued.push(messages.map((m) => m.key));
      return messages.map((m) => m.key).filter((key) => key !== 'summary:2:2026-12-08');
    });
    const results = await queueDailySummaries(summaryDeps, TUESDAY);
    expect(results.map((r) => [r.school.id, r.skipped, r.model?.teachers ?? null, r.messages.map((m) => m.key), r.queued])).toEqual([
      ['a', null, 2, ['summary:1:2026-12-08', 'summary:2:2026-12-08'], 1],
      ['closed', 'not_working_day', null, [], 0],
      ['b', null, 2, ['summary:3:2026-12-08'], 1],
      ['no-admins', 'no_admins', null, [], 0],
      ['c', null, 2, ['summary:5:2026-12-08'], 1],
    ]);
    expect(calls.tallied).toEqual([['a', 'b', 'c']]);
    // One batched write each: the snapshots, then every school's messages.
    expect(calls.saved).toEqual(['a', 'b', 'c']);
    expect(enqueued).toEqual([['summary:1:2026-12-08', 'summary:2:2026-12-08', 'summary:3:2026-12-08', 'summary:5:2026-12-08']]);
  });

  it('fails when the messages cannot be queued, after the snapshots are kept', async () => {
    const { summaryDeps, calls } = deps([school('a'), school('b')], { a: [1], b: [2] }, async () => {
      throw new Error('database went away');
    });
    await expect(queueDailySummaries(summaryDeps, TUESDAY)).rejects.toThrow('database went away');
    // A rerun the same day keeps these snapshots and queues the messages (see the integration tests).
    expect(calls.saved).toEqual(['a', 'b']);
  });

  it('a dry run writes nothing', async () => {
    const { summaryDeps, calls } = deps([school('a')], { a: [1] }, async () => {
      throw new Error('no writes in a dry run');
    });
    const [result] = await queueDailySummaries(summaryDeps, TUESDAY, { dryRun: true });
    expect(result).toMatchObject({ skipped: null, queued: 0, messages: [{ key: 'summary:1:2026-12-08' }] });
    expect(calls.saved).toEqual([]);
  });
});
