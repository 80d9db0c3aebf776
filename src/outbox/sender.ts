import type { ClaimedMessage, Delivery, Notifier, OutboxQueue } from '../domain/ports.js';
import type { Logger } from '../logger.js';

export interface SenderOptions {
  /** How long a claim holds a row; must exceed the time one batch takes to send. */
  leaseMs: number;
  /** Rows per claim. A batch is sent at once, so vk-io packs it into `execute` calls of 25. */
  batchSize?: number;
  /** Claim-send-mark loops running side by side, so the database work of one overlaps the sending of another. */
  workers?: number;
  /** Claims of one message before it is given up as failed. */
  maxAttempts?: number;
  /** Back-off before the next claim after a transient failure, by attempts so far. */
  backoffMs?: (attempts: number) => number;
}

export interface DrainStats {
  sent: number;
  unreachable: number;
  retried: number;
  failed: number;
}

export interface OutboxSender {
  /**
   * Sends every message that is due, then resolves. Calls while a drain runs join it (and make it
   * look once more), so a tick and a button press never run two drains in one process.
   */
  drain(): Promise<DrainStats>;
  /** Stops claiming and waits for the batches in flight (shutdown). */
  stop(): Promise<void>;
}

/** 1, 4, 16, 60, 60 … minutes: the notifier already retried quickly; this waits out longer trouble. */
export const defaultBackoffMs = (attempts: number): number => Math.min(60, 4 ** Math.max(0, attempts - 1)) * 60_000;

/**
 * Sends the outbox. Exactly-once toward the teacher rests on three things: the unique key made
 * the row once; SKIP LOCKED and the lease let one sender at a time hold it; and the row's stored
 * `random_id` makes VK drop the resend that follows a crash between sending and marking.
 */
export function createOutboxSender(deps: { queue: OutboxQueue; notifier: Notifier; logger: Logger; options: SenderOptions }): OutboxSender {
  const { queue, notifier, logger } = deps;
  const { leaseMs, batchSize = 100, workers = 2, maxAttempts = 5, backoffMs = defaultBackoffMs } = deps.options;
  let running: Promise<DrainStats> | null = null;
  let again = false;
  let stopped = false;

  async function deliver(message: ClaimedMessage): Promise<Delivery> {
    for (const [index, part] of message.parts.entries()) {
      const randomId = ((message.randomId + index - 1) % (2 ** 31 - 1)) + 1;
      const delivery = await notifier.send(message.recipientVkId, part, `${message.key}#${index}`, { randomId });
      if (delivery.status !== 'sent') return delivery;
    }
    return { status: 'sent' };
  }

  async function worker(stats: DrainStats): Promise<void> {
    while (!stopped) {
      const batch = await queue.claim({ limit: batchSize, leaseMs });
      if (batch.length === 0) return;
      const outcomes = await Promise.all(batch.map(async (message) => ({ message, delivery: await deliver(message) })));
      const sent: number[] = [];
      for (const { message, delivery } of outcomes) {
        const log = logger.child({ outboxId: message.id, kind: message.kind, attempts: message.attempts });
        if (delivery.status === 'sent') {
          sent.push(message.id);
        } else if (delivery.status === 'unreachable') {
          stats.unreachable += 1;
          await queue.markUnreachable(message.id, '901');
        } else if (delivery.retryable && message.attempts < maxAttempts) {
          stats.retried += 1;
          const delayMs = backoffMs(message.attempts);
          log.warn({ error: delivery.error, delayMs }, 'outbox message will be retried');
          await queue.markRetry(message.id, delivery.error, delayMs);
        } else {
          stats.failed += 1;
          log.error({ error: delivery.error }, 'outbox message failed');
          await queue.markFailed(message.id, delivery.error);
        }
      }
      await queue.markSent(sent);
      stats.sent += sent.length;
    }
  }

  async function run(): Promise<DrainStats> {
    const stats: DrainStats = { sent: 0, unreachable: 0, retried: 0, failed: 0 };
    do {
      again = false;
      // allSettled: a worker that fails (database down) must not leave the others running unobserved.
      const outcomes = await Promise.allSettled(Array.from({ length: workers }, () => worker(stats)));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
    } while (again && !stopped);
    if (stats.sent + stats.unreachable + stats.retried + stats.failed > 0) logger.info(stats, 'outbox drained');
    return stats;
  }

  return {
    drain() {
      if (stopped) return Promise.resolve({ sent: 0, unreachable: 0, retried: 0, failed: 0 });
      if (running) {
        again = true;
        return running;
      }
      running = run().finally(() => {
        running = null;
      });
      return running;
    },
    async stop() {
      stopped = true;
      await running?.catch(() => {});
    },
  };
}
