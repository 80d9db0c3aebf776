import type { ClaimedMessage, Delivery, Notifier, OutboxKind, OutboxQueue } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { PosterFiles } from './posters.js';

export interface SenderOptions {
  /** How long a claim holds a row; must exceed the time one batch takes to send. */
  leaseMs: number;
  /** Rows per claim. A batch is sent at once, so vk-io packs it into `execute` calls of 25. */
  batchSize?: number;
  /** Claim-send-mark loops running side by side, so the database work of one overlaps the sending of another. */
  workers?: number;
  /** Claims of one message before it is given up as failed (default: by kind, see `defaultMaxAttempts`). */
  maxAttempts?: number;
  /** Back-off before the next claim after a transient failure, by attempts so far and kind. */
  backoffMs?: (attempts: number, kind: OutboxKind) => number;
  /**
   * A drain leaves a reply alone for this long after it was queued: the update that queued it is
   * sending it (`sendNow`), message by message. Taken by a drain, it would wait for a whole batch,
   * posters included, and the person's next reply would wait behind it. Past this, the process
   * that queued it is presumed dead.
   */
  replyGraceMs?: number;
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
  /**
   * Sends these messages (an update's replies, just committed) right away, each as soon as nothing
   * sent earlier to the same person is waiting; resolves once they are settled or left to a drain
   * (held by another sender, or waiting behind an unsent message). Never rejects.
   */
  sendNow(keys: readonly string[]): Promise<void>;
  /** Drains every `intervalMs` from now on (and at once): retries, and what a crashed process left. */
  start(intervalMs: number): void;
  /** Stops claiming and waits for the batches in flight (shutdown). */
  stop(): Promise<void>;
}

/**
 * Reminders and summaries: 1, 4, 16, 60, 60 … minutes (the notifier already retried quickly; this
 * waits out longer trouble). Replies: 2, 4, 8, 16, 30, 30 … seconds, for a teacher is waiting.
 */
export const defaultBackoffMs = (attempts: number, kind: OutboxKind = 'reminder'): number =>
  isReply(kind) ? Math.min(30, 2 ** Math.max(1, attempts)) * 1000 : Math.min(60, 4 ** Math.max(0, attempts - 1)) * 60_000;

/** Replies are tried for about five minutes (with the notifier's own retries), reminders for about two hours. */
export const defaultMaxAttempts = (kind: OutboxKind): number => (isReply(kind) ? 12 : 5);

function isReply(kind: OutboxKind): boolean {
  return kind === 'reply' || kind === 'file';
}

/**
 * Sends the outbox. Exactly-once toward the person rests on three things: the unique key made
 * the row once; SKIP LOCKED and the lease let one sender at a time hold it; and the row's stored
 * `random_id` makes VK drop the resend that follows a crash between sending and marking.
 *
 * A message with a poster is rendered here, just before it is sent (or its earlier upload reused).
 */
export function createOutboxSender(deps: { queue: OutboxQueue; notifier: Notifier; logger: Logger; options: SenderOptions; posters?: PosterFiles }): OutboxSender {
  const { queue, notifier, logger, posters } = deps;
  const { leaseMs, batchSize = 100, workers = 2, backoffMs = defaultBackoffMs, replyGraceMs = 3000 } = deps.options;
  const maxAttempts = (kind: OutboxKind) => deps.options.maxAttempts ?? defaultMaxAttempts(kind);
  let running: Promise<DrainStats> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sending = new Set<Promise<void>>();

  async function deliver(message: ClaimedMessage): Promise<Delivery> {
    const lastAttempt = message.attempts >= maxAttempts(message.kind);
    for (const [index, part] of message.parts.entries()) {
      const randomId = ((message.randomId + index - 1) % (2 ** 31 - 1)) + 1;
      const key = `${message.key}#${index}`;
      const prepared = part.poster && posters ? await posters.prepare(message.recipientVkId, part) : { reply: part };
      let delivery = await notifier.send(message.recipientVkId, prepared.reply, key, { randomId });
      // The last try of a file that VK kept failing: the person is at least told, under the same random_id.
      if (delivery.status === 'failed' && lastAttempt && part.withoutFiles) {
        delivery = await notifier.send(message.recipientVkId, part.withoutFiles, key, { randomId });
      }
      if (delivery.status !== 'sent') return delivery;
      if (prepared.hash && delivery.uploaded?.length) {
        // Only a shortcut for next time: a failure to store it must not make the message count as unsent.
        await posters!.remember(prepared.hash, delivery.uploaded).catch((error: unknown) => logger.warn({ err: error }, 'uploaded poster not remembered'));
      }
    }
    return { status: 'sent' };
  }

  /** Marks one message as its delivery went. */
  async function settle(message: ClaimedMessage, delivery: Delivery, stats: DrainStats): Promise<void> {
    const log = logger.child({ outboxId: message.id, kind: message.kind, attempts: message.attempts });
    if (delivery.status === 'sent') {
      stats.sent += 1;
      await queue.markSent([message.id]);
    } else if (delivery.status === 'unreachable') {
      stats.unreachable += 1;
      await queue.markUnreachable(message.id, '901');
    } else if (delivery.retryable && message.attempts < maxAttempts(message.kind)) {
      stats.retried += 1;
      const delayMs = backoffMs(message.attempts, message.kind);
      log.warn({ error: delivery.error, delayMs }, 'outbox message will be retried');
      await queue.markRetry(message.id, delivery.error, delayMs);
    } else {
      stats.failed += 1;
      log.error({ error: delivery.error }, 'outbox message failed');
      await queue.markFailed(message.id, delivery.error);
    }
  }

  async function worker(stats: DrainStats): Promise<void> {
    while (!stopped) {
      const batch = await queue.claim({ limit: batchSize, leaseMs, replyGraceMs });
      if (batch.length === 0) return;
      // Reminders and summaries sent are marked together, after the batch. A reply is marked as
      // soon as it is sent: the person's next reply waits for that, not for the batch's slowest file.
      const sent: number[] = [];
      await Promise.all(
        batch.map(async (message) => {
          const delivery = await deliver(message);
          if (delivery.status === 'sent' && !isReply(message.kind)) sent.push(message.id);
          else await settle(message, delivery, stats);
        }),
      );
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

  function drain(): Promise<DrainStats> {
    if (stopped) return Promise.resolve({ sent: 0, unreachable: 0, retried: 0, failed: 0 });
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  async function sendKeys(keys: readonly string[]): Promise<void> {
    const stats: DrainStats = { sent: 0, unreachable: 0, retried: 0, failed: 0 };
    let left = [...keys];
    while (left.length > 0 && !stopped) {
      // A later key of the same person becomes claimable once the earlier one is marked.
      const batch = await queue.claim({ limit: left.length, leaseMs, keys: left });
      if (batch.length === 0) return;
      await Promise.all(batch.map(async (message) => settle(message, await deliver(message), stats)));
      const settled = new Set(batch.map((message) => message.key));
      left = left.filter((key) => !settled.has(key));
    }
  }

  return {
    drain,
    sendNow(keys) {
      if (stopped || keys.length === 0) return Promise.resolve();
      // What fails here (the database, say) is left in the outbox for the next drain.
      const work = sendKeys(keys).catch((error: unknown) => logger.error({ err: error }, 'replies not sent now, left to the outbox drain'));
      sending.add(work);
      void work.finally(() => sending.delete(work));
      return work;
    },
    start(intervalMs) {
      if (timer || stopped) return;
      const tick = () => void drain().catch((error: unknown) => logger.error({ err: error }, 'outbox drain failed'));
      timer = setInterval(tick, intervalMs);
      timer.unref();
      tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([running, ...sending]);
    },
  };
}
