import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { API } from 'vk-io';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import { classifyVkError, vkErrorCode } from './errors.js';
import { renderKeyboard } from './keyboard.js';

/**
 * VK drops a repeated `random_id` for the same peer, so deriving it from the message's own key
 * makes a resend after a crash or a retry harmless. Positive int32, as VK requires.
 */
export function randomIdFor(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) & 0x7fffffff;
}

export interface RetryPolicy {
  attempts: number;
  /** First back-off; doubles each attempt, with jitter. */
  baseDelayMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 4, baseDelayMs: 500 };

/**
 * Sends replies through the VK API. Error 901/902 → "unreachable" (and the hook is told);
 * 6/9/10, HTTP failures and resets → retried with back-off; anything else → "failed".
 */
export function createVkNotifier(deps: {
  api: API;
  logger: Logger;
  retry?: RetryPolicy;
  onUnreachable?: (vkId: number) => Promise<void>;
}): Notifier {
  const { api, logger, retry = defaultRetry, onUnreachable } = deps;
  return {
    async send(vkId, reply, dedupKey, options = {}) {
      const params = {
        peer_id: vkId,
        random_id: options.randomId ?? randomIdFor(dedupKey),
        message: reply.text,
        keyboard: renderKeyboard(reply.buttons),
        dont_parse_links: 1 as const,
      };
      for (let attempt = 1; ; attempt += 1) {
        try {
          await api.messages.send(params);
          return { status: 'sent' };
        } catch (error) {
          const failure = classifyVkError(error);
          const code = vkErrorCode(error);
          if (failure === 'unreachable') {
            logger.warn({ vkId, code }, 'recipient does not accept messages from the community');
            await onUnreachable?.(vkId);
            return { status: 'unreachable' };
          }
          if (failure === 'fatal' || attempt >= retry.attempts) {
            logger.error({ vkId, code, attempt, err: error }, 'message not delivered');
            return { status: 'failed', error: String(code ?? (error as Error).message), retryable: failure === 'retry' };
          }
          const delay = retry.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
          logger.warn({ vkId, code, attempt, delayMs: Math.round(delay) }, 'VK call failed, retrying');
          await sleep(delay);
        }
      }
    },
  };
}
