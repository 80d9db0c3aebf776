import { setTimeout as sleep } from 'node:timers/promises';
import type { API } from 'vk-io';
import type { Logger } from '../logger.js';
import { requestPacerOf } from './client.js';

/**
 * One community token allows 20 API requests per second in total, however many processes use it.
 * vk-io limits each process on its own, so every instance takes an equal share of the total,
 * sized by how many instances are alive. Instances find each other through Postgres (a heartbeat
 * row each, see src/db/repositories/instances.ts): one query pair every few seconds, nothing on
 * the path of a request. docs/deploy.md weighs this against a per-request limiter in Postgres.
 */

export interface InstanceRegistry {
  /** Marks this instance alive; returns how many instances of the community are alive, itself included. */
  heartbeat(): Promise<number>;
  /** Removes this instance at once, so the others take its share at their next heartbeat. */
  leave(): Promise<void>;
}

export interface ApiShare {
  /** Registers this instance and applies its share before the first request goes out. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Requests per second this instance may make now. */
  current(): number;
}

/**
 * Requests per second one instance may make: an equal, whole share, at least 1. Each instance's
 * pacer keeps at most its share in any sliding second, so the instances together stay within the
 * total in every second, whatever their phases.
 */
export function shareOf(totalPerSecond: number, liveInstances: number): number {
  return Math.max(1, Math.floor(totalPerSecond / Math.max(1, liveInstances)));
}

/** Sets the request rate of a running client made by `createVkClient` (its pacer's limit). */
export function setApiLimit(api: API, perSecond: number): void {
  requestPacerOf(api).setLimit(perSecond);
}

export function createApiShare(deps: {
  api: API;
  registry: InstanceRegistry;
  /** The token's limit (VK_API_LIMIT). */
  totalPerSecond: number;
  logger: Logger;
  /** How often the heartbeat runs; an instance silent for three intervals no longer counts. */
  intervalMs: number;
}): ApiShare {
  const { api, registry, totalPerSecond, logger, intervalMs } = deps;
  const abort = new AbortController();
  let share = totalPerSecond;
  let loop: Promise<void> | undefined;

  async function beat(): Promise<void> {
    const live = await registry.heartbeat();
    const next = shareOf(totalPerSecond, live);
    if (next === share) return;
    setApiLimit(api, next);
    logger.info({ liveInstances: live, requestsPerSecond: next, totalPerSecond }, 'VK API share changed');
    share = next;
  }

  async function run(): Promise<void> {
    while (!abort.signal.aborted) {
      await sleep(intervalMs, undefined, { signal: abort.signal }).catch(() => {});
      if (abort.signal.aborted) break;
      // A missed heartbeat keeps the current share; the database being away is logged elsewhere too.
      await beat().catch((error: unknown) => logger.warn({ err: error }, 'VK API share heartbeat failed'));
    }
  }

  return {
    async start() {
      setApiLimit(api, share);
      await beat();
      logger.info({ requestsPerSecond: share, totalPerSecond }, 'VK API share taken');
      loop = run();
    },
    async stop() {
      abort.abort();
      await loop;
      await registry.leave().catch((error: unknown) => logger.warn({ err: error }, 'could not leave the instance registry'));
    },
    current: () => share,
  };
}
