import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { API, Upload } from 'vk-io';
import type { OutgoingFile, Reply } from '../domain/model.js';
import type { Delivery, Notifier } from '../domain/ports.js';
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

class Undeliverable extends Error {
  constructor(
    readonly failure: 'unreachable' | 'failed',
    readonly code: number | string | undefined,
    /** A transient failure (rate limit, server error, network) that may pass later. */
    readonly retryable: boolean,
    options: { cause: unknown },
  ) {
    super(`VK call failed: ${failure} (${String(code)})`, options);
  }
}

/**
 * Sends replies through the VK API, uploading their files first. Error 901/902 → "unreachable"
 * (and the hook is told); 6/9/10, HTTP failures, resets and time-outs → retried with back-off;
 * anything else → "failed". Files VK refuses for good → the reply's `withoutFiles` version, if any.
 * Never throws for delivery problems.
 */
export function createVkNotifier(deps: {
  api: API;
  upload: Upload;
  logger: Logger;
  retry?: RetryPolicy;
  onUnreachable?: (vkId: number) => Promise<void>;
}): Notifier {
  const { api, upload, logger, retry = defaultRetry, onUnreachable } = deps;

  /** `key` (the message's dedup key: an event id or an outbox key) correlates the logs; VK ids are personal data and stay out. */
  async function withRetry<T>(key: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const failure = classifyVkError(error);
        const code = vkErrorCode(error);
        if (failure === 'unreachable') throw new Undeliverable('unreachable', code, false, { cause: error });
        if (failure === 'fatal' || attempt >= retry.attempts) {
          logger.error({ key, code, attempt, err: error }, 'VK call failed');
          throw new Undeliverable('failed', code, failure === 'retry', { cause: error });
        }
        const delay = retry.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        logger.warn({ key, code, attempt, delayMs: Math.round(delay) }, 'VK call failed, retrying');
        await sleep(delay);
      }
    }
  }

  async function uploadFile(vkId: number, key: string, file: OutgoingFile): Promise<string> {
    const source = { value: Buffer.from(file.content), filename: file.filename };
    const attachment = await withRetry<{ toString(): string }>(key, () =>
      file.kind === 'photo'
        ? upload.messagePhoto({ peer_id: vkId, source })
        : upload.messageDocument({ peer_id: vkId, source, title: file.filename }),
    );
    return attachment.toString();
  }

  /**
   * Uploads a reply's files at the same time, so their get-upload-server calls share one `execute`
   * and the uploads overlap; the attachments keep the files' order. Waits for every upload, then
   * throws the first failure in file order.
   */
  async function uploadAll(vkId: number, key: string, files: OutgoingFile[]): Promise<string[]> {
    const results = await Promise.allSettled(files.map((file) => uploadFile(vkId, key, file)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((result) => (result as PromiseFulfilledResult<string>).value);
  }

  async function send(vkId: number, reply: Reply, dedupKey: string, options: { randomId?: number } = {}): Promise<Delivery> {
    try {
      let attachments: string[];
      try {
        attachments = await uploadAll(vkId, dedupKey, reply.files ?? []);
      } catch (error) {
        // A file VK will not take must not swallow the message: its file-less version goes instead.
        // Same key: no message was sent under it yet. A transient failure is reported instead, for
        // the outbox to try again later.
        if (error instanceof Undeliverable && error.failure === 'failed' && !error.retryable && reply.withoutFiles) {
          logger.warn({ key: dedupKey, code: error.code, files: reply.files?.length ?? 0 }, 'files not uploaded, sending the message without them');
          return await send(vkId, reply.withoutFiles, dedupKey, options);
        }
        throw error;
      }
      await withRetry(dedupKey, () =>
        api.messages.send({
          peer_id: vkId,
          random_id: options.randomId ?? randomIdFor(dedupKey),
          message: reply.text,
          keyboard: renderKeyboard(reply.buttons),
          attachment: [...(reply.attachments ?? []), ...attachments].join(',') || undefined,
          dont_parse_links: 1,
        }),
      );
      return attachments.length > 0 ? { status: 'sent', uploaded: attachments } : { status: 'sent' };
    } catch (error) {
      if (!(error instanceof Undeliverable)) throw error;
      if (error.failure === 'unreachable') {
        logger.warn({ key: dedupKey, code: error.code }, 'recipient does not accept messages from the community');
        await onUnreachable?.(vkId);
        return { status: 'unreachable' };
      }
      return { status: 'failed', error: String(error.code ?? error.message), retryable: error.retryable };
    }
  }

  return { send };
}
