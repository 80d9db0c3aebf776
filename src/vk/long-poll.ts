import { setTimeout as sleep } from 'node:timers/promises';
import type { API } from 'vk-io';
import type { Logger } from '../logger.js';

/** Where the last fully handled batch ended; stored so that a restart resumes instead of skipping. */
export interface PollCursor {
  load(): Promise<string | null>;
  save(ts: string): Promise<void>;
}

export interface LongPoll {
  start(): Promise<void>;
  /** Stops polling: aborts the pending request, then waits until every received update is handled. */
  stop(): Promise<void>;
}

type PollResponse = { ts: string | number; updates: unknown[] } | { failed: 1; ts: string | number } | { failed: 2 | 3 | 4 };

/**
 * Bots Long Poll, owned rather than vk-io's: vk-io's loop cannot be aborted on shutdown (updates
 * would arrive after the database is closed) and always starts from VK's current `ts`, skipping
 * whatever teachers wrote while the bot was down. This loop resumes from the stored cursor, saves
 * it only once every update before it is handled, and aborts cleanly.
 */
export function createLongPoll(deps: {
  api: API;
  groupId: number;
  logger: Logger;
  cursor: PollCursor;
  /** Called in delivery order; its promise settles when the update is handled (its effects committed). */
  onUpdate: (update: unknown) => Promise<unknown>;
  waitSeconds?: number;
}): LongPoll {
  const { api, groupId, logger, cursor, onUpdate, waitSeconds = 25 } = deps;
  const abort = new AbortController();
  let server: { url: string; key: string } | undefined;
  let ts = '';
  let loop: Promise<void> | undefined;
  /** Settles when the cursor of the latest batch is saved; batches save in order. */
  let saved: Promise<void> = Promise.resolve();

  async function connect(resetTs: boolean): Promise<void> {
    const fresh = await api.groups.getLongPollServer({ group_id: groupId });
    server = { url: fresh.server, key: fresh.key };
    if (resetTs || ts === '') ts = String(fresh.ts);
  }

  async function poll(): Promise<void> {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        if (!server) await connect(false);
        const url = new URL(server!.url);
        url.search = new URLSearchParams({ act: 'a_check', key: server!.key, ts, wait: String(waitSeconds) }).toString();
        const response = await fetch(url, { signal: AbortSignal.any([abort.signal, AbortSignal.timeout((waitSeconds + 10) * 1000)]) });
        if (!response.ok) throw new Error(`long poll answered HTTP ${response.status}`);
        const body = (await response.json()) as PollResponse;
        failures = 0;
        if ('failed' in body) {
          if (body.failed === 1) {
            logger.warn({ ts, newTs: body.ts }, 'long poll history lost, continuing from the new ts');
            ts = String(body.ts);
          } else {
            await connect(body.failed !== 2);
          }
          continue;
        }
        const handled = body.updates.map((update) => onUpdate(update));
        const batchTs = String(body.ts);
        ts = batchTs;
        saved = Promise.all([saved, Promise.allSettled(handled)]).then(() =>
          cursor.save(batchTs).catch((error: unknown) => logger.error({ err: error }, 'could not save the long poll cursor')),
        );
      } catch (error) {
        if (abort.signal.aborted) break;
        failures += 1;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        logger.warn({ err: error, failures, delayMs: delay }, 'long poll failed, reconnecting');
        server = undefined;
        await sleep(delay, undefined, { signal: abort.signal }).catch(() => {});
      }
    }
  }

  return {
    async start() {
      ts = (await cursor.load()) ?? '';
      await connect(false);
      logger.info({ groupId, resumed: ts !== '' }, 'long poll started');
      loop = poll();
    },
    async stop() {
      abort.abort();
      await loop;
      await saved;
    },
  };
}
