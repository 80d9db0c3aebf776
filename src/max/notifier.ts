import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingFile, Reply } from '../domain/model.js';
import type { Delivery, Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { MaxAttachmentRequest, MaxClient, MaxNewMessage } from './client.js';
import { MaxApiError, classifyMaxError, surelyNotSent } from './errors.js';
import { renderMaxKeyboard } from './keyboard.js';

/** MAX's longest message text, in characters. */
export const MAX_TEXT_LIMIT = 4000;
/** MAX allows two messages a second to one chat. */
const PER_CHAT_GAP_MS = 500;

export interface MaxRetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/**
 * Sends replies through MAX's Bot API. MAX has no `random_id`, so the notifier retries a call in
 * place only when it surely did not arrive (429, an error answer, a refused connection) or its file
 * was not ready yet. A failure after the request may have arrived (a time-out, a reset) is reported
 * as a retryable failure for the outbox to try later: a rare duplicate is preferred to a lost reply.
 * "Never started" and "stopped the bot" are `unreachable`, as VK's 901.
 *
 * A document must be the only attachment of its message, so documents go first, one message each;
 * then the text (split at 4,000 characters) with the pictures and the keyboard on its last part.
 */
export function createMaxNotifier(deps: {
  client: MaxClient;
  logger: Logger;
  retry?: MaxRetryPolicy;
  onUnreachable?: (userId: number) => Promise<void>;
}): Notifier {
  const { client, logger, retry = { attempts: 4, baseDelayMs: 500 }, onUnreachable } = deps;
  /** When the last message to each person left, to keep MAX's two a second per chat. */
  const lastSent = new Map<number, number>();

  async function spaced<T>(userId: number, call: () => Promise<T>): Promise<T> {
    const wait = (lastSent.get(userId) ?? 0) + PER_CHAT_GAP_MS - Date.now();
    // Only the last half second matters: forget older entries now and then (a fan-out meets thousands).
    if (lastSent.size > 1_000) for (const [id, at] of lastSent) if (at < Date.now() - PER_CHAT_GAP_MS) lastSent.delete(id);
    lastSent.set(userId, Date.now() + Math.max(wait, 0));
    if (wait > 0) await sleep(wait);
    return call();
  }

  async function withRetry<T>(key: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const failure = classifyMaxError(error);
        const again = (failure === 'retry' && surelyNotSent(error)) || failure === 'not_ready';
        if (!again || attempt >= retry.attempts) throw error;
        const delay = retry.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        logger.warn({ key, code: (error as MaxApiError).code, attempt, delayMs: Math.round(delay) }, 'MAX call failed, retrying');
        await sleep(delay);
      }
    }
  }

  async function upload(key: string, file: OutgoingFile): Promise<MaxAttachmentRequest> {
    return withRetry(key, () => client.upload(file.kind === 'photo' ? 'image' : 'file', file.content, file.filename));
  }

  async function sendOne(userId: number, key: string, message: MaxNewMessage): Promise<void> {
    await withRetry(key, () => spaced(userId, () => client.sendToUser(userId, message)));
  }

  async function deliver(userId: number, reply: Reply, key: string): Promise<void> {
    const files = reply.files ?? [];
    const documents = await Promise.all(files.filter((file) => file.kind === 'document').map((file) => upload(key, file)));
    const pictures = await Promise.all(files.filter((file) => file.kind === 'photo').map((file) => upload(key, file)));
    for (const document of documents) await sendOne(userId, key, { attachments: [document] });
    const parts = splitText(reply.text, MAX_TEXT_LIMIT);
    const keyboard = renderMaxKeyboard(reply.buttons);
    for (const [index, text] of parts.entries()) {
      const last = index === parts.length - 1;
      const attachments: MaxAttachmentRequest[] = last ? [...pictures, ...(keyboard ? [keyboard] : [])] : [];
      await sendOne(userId, key, { text, ...(attachments.length > 0 ? { attachments } : {}) });
    }
  }

  async function send(userId: number, reply: Reply, dedupKey: string): Promise<Delivery> {
    try {
      try {
        await deliver(userId, reply, dedupKey);
      } catch (error) {
        if (classifyMaxError(error) === 'fatal' && (reply.files?.length ?? 0) > 0 && reply.withoutFiles) {
          logger.warn({ key: dedupKey, code: (error as MaxApiError).code }, 'files not sent, sending the message without them');
          await deliver(userId, reply.withoutFiles, dedupKey);
        } else {
          throw error;
        }
      }
      return { status: 'sent' };
    } catch (error) {
      const failure = classifyMaxError(error);
      const code = error instanceof MaxApiError ? error.code : 'unknown';
      if (failure === 'unreachable') {
        logger.warn({ key: dedupKey, code }, 'recipient has not started or has stopped the bot');
        await onUnreachable?.(userId);
        return { status: 'unreachable' };
      }
      logger.error({ key: dedupKey, code }, 'MAX send failed');
      return { status: 'failed', error: code, retryable: failure !== 'fatal' };
    }
  }

  return { send: (userId, reply, dedupKey) => send(userId, reply, dedupKey) };
}

/** Splits text into parts of at most `limit` characters, at a paragraph or line break where one is near. */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    const at = cut > limit / 2 ? cut : limit;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).replace(/^\n+/, '');
  }
  parts.push(rest);
  return parts;
}
