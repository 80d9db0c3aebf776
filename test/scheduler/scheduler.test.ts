import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { Jobs } from '../../src/scheduler/jobs.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';

const logger = createLogger('silent', { pretty: false });
const EVERY_SECOND = '* * * * * *';
const idle = { sent: 0, unreachable: 0, retried: 0, failed: 0 };

describe('the scheduler', () => {
  it('ticks each job with the clock\'s now, never overlapping a job with itself, survives a failing job, and stops after the tick in progress', async () => {
    const now = new Date('2026-12-08T10:00:00+03:00');
    const reminderTicks: Date[] = [];
    let running = 0;
    let maxRunning = 0;
    let summaryTicks = 0;
    let drains = 0;
    let housekeeping = 0;
    const jobs: Jobs = {
      async reminders(at) {
        reminderTicks.push(at);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        // Longer than the cron period: the next ticks must be skipped, not stacked.
        await sleep(1600);
        running -= 1;
        return { schools: [], delivery: idle };
      },
      async summary() {
        summaryTicks += 1;
        throw new Error('database down');
      },
      async drain() {
        drains += 1;
        return idle;
      },
      async housekeeping() {
        housekeeping += 1;
        return { events: 0, outbox: 0 };
      },
    };
    const scheduler = createScheduler({
      jobs,
      clock: { now: () => now },
      logger,
      options: { reminderCron: EVERY_SECOND, summaryCron: EVERY_SECOND, outboxCron: EVERY_SECOND, housekeepingCron: EVERY_SECOND, timeZone: 'Europe/Moscow' },
    });
    scheduler.start();
    await expect.poll(() => summaryTicks, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => reminderTicks.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await scheduler.stop();

    expect(running).toBe(0);
    expect(maxRunning).toBe(1);
    expect(reminderTicks.every((at) => at === now)).toBe(true);
    expect(drains).toBeGreaterThanOrEqual(2);
    expect(housekeeping).toBeGreaterThanOrEqual(2);
    const after = { reminders: reminderTicks.length, summary: summaryTicks, drains, housekeeping };
    await sleep(1500);
    expect({ reminders: reminderTicks.length, summary: summaryTicks, drains, housekeeping }).toEqual(after);
  });
});
