import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { type RequestHandler, answer } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { UpdateDispatcher } from './updates.js';

/**
 * Largest request body read, in bytes. A message_new is a few kilobytes; a long text with
 * forwarded messages can make it tens. The body is read before the secret inside it can be
 * checked, so this (times the server's connection limit) is what anyone on the internet can make
 * the process hold.
 */
export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;

const envelopeSchema = z.object({
  type: z.string().min(1),
  group_id: z.number().int(),
  secret: z.string().optional(),
});

/**
 * VK's Callback API, owned rather than vk-io's webhook handler (which answers `ok` before the
 * update is handled and does not deduplicate, so a crash or a failed transaction loses the update).
 *
 * Checks, in order: body size (413), JSON (400), shape (400), secret (403), community (403).
 * Then a `confirmation` gets the confirmation code, and any other event is dispatched: `ok` is
 * answered only once its effects are committed together with its event id. A failed transaction
 * gets a 500, so VK delivers the event again; a redelivery of a handled event is a duplicate and
 * gets `ok` without doing anything. Replies to the teacher go out after the answer.
 */
export function createCallbackHandler(deps: {
  groupId: number;
  secret: string;
  confirmationCode: string;
  dispatcher: UpdateDispatcher;
  logger: Logger;
  maxBodyBytes?: number;
}): RequestHandler {
  const { groupId, confirmationCode, dispatcher, logger, maxBodyBytes = MAX_CALLBACK_BODY_BYTES } = deps;
  const expectedSecret = digest(deps.secret);

  return async (req, res) => {
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      res.setHeader('connection', 'close');
      return answer(res, 413, 'payload too large');
    }
    let update: unknown;
    try {
      update = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(res, 400, 'malformed JSON');
    }
    const envelope = envelopeSchema.safeParse(update);
    if (!envelope.success) return answer(res, 400, 'not a Callback API event');
    const { type, group_id: eventGroupId, secret } = envelope.data;

    const from = req.headers['x-forwarded-for'] ?? req.socket.remoteAddress;
    if (secret === undefined || !timingSafeEqual(digest(secret), expectedSecret)) {
      logger.warn({ from, type }, 'Callback API request with a wrong secret refused');
      return answer(res, 403, 'forbidden');
    }
    if (eventGroupId !== groupId) {
      logger.warn({ from, type, groupId: eventGroupId }, 'Callback API request for another community refused');
      return answer(res, 403, 'wrong community');
    }
    if (type === 'confirmation') {
      logger.info('Callback API server confirmed');
      return answer(res, 200, confirmationCode);
    }

    const { secret: _secret, ...event } = update as Record<string, unknown>;
    const outcome = await dispatcher.dispatch(event);
    if (outcome === 'failed') return answer(res, 500, 'not handled, deliver again');
    return answer(res, 200, 'ok');
  };
}

/** Hashing first makes both sides 32 bytes, as timingSafeEqual needs, without leaking the length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The body, or undefined as soon as it is known to exceed `limit` bytes. The rest is left unread
 * (not destroyed, which would drop the connection before the 413 is written).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.pause();
      resolve(undefined);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    // A client that hangs up without an 'error' event must not leave this promise pending.
    const onClose = (): void => onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
