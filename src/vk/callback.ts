import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HttpError, closeIfBodyUnread, readBody, sendText } from '../http/io.js';
import type { RequestHandler } from '../http/server.js';
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
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      closeIfBodyUnread(req, res);
      return sendText(res, error.status, error.message);
    }
    let update: unknown;
    try {
      update = JSON.parse(body.toString('utf8'));
    } catch {
      return sendText(res, 400, 'malformed JSON');
    }
    const envelope = envelopeSchema.safeParse(update);
    if (!envelope.success) return sendText(res, 400, 'not a Callback API event');
    const { type, group_id: eventGroupId, secret } = envelope.data;

    const from = req.headers['x-forwarded-for'] ?? req.socket.remoteAddress;
    if (secret === undefined || !timingSafeEqual(digest(secret), expectedSecret)) {
      logger.warn({ from, type }, 'Callback API request with a wrong secret refused');
      return sendText(res, 403, 'forbidden');
    }
    if (eventGroupId !== groupId) {
      logger.warn({ from, type, groupId: eventGroupId }, 'Callback API request for another community refused');
      return sendText(res, 403, 'wrong community');
    }
    if (type === 'confirmation') {
      logger.info('Callback API server confirmed');
      return sendText(res, 200, confirmationCode);
    }

    const { secret: _secret, ...event } = update as Record<string, unknown>;
    const outcome = await dispatcher.dispatch(event);
    if (outcome === 'failed') return sendText(res, 500, 'not handled, deliver again');
    return sendText(res, 200, 'ok');
  };
}

/** Hashing first makes both sides 32 bytes, as timingSafeEqual needs, without leaking the length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
