import { type API, MessageContext, UpdateSource, type Upload } from 'vk-io';
import { z } from 'zod';
import type { AdminActions } from '../domain/admin/actions.js';
import type { ConversationService } from '../domain/conversation/service.js';
import { isAdminPayload } from '../domain/payload.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import { toInput } from './input.js';

const envelopeSchema = z.object({
  type: z.string(),
  event_id: z.string().min(1).max(100).optional(),
  group_id: z.number().optional(),
  object: z.record(z.string(), z.unknown()),
});

const messageSchema = z.object({
  from_id: z.number().int(),
  peer_id: z.number().int(),
  conversation_message_id: z.number().int().optional(),
  out: z.number().optional(),
  payload: z.unknown().optional(),
});

/** Peer ids from 2e9 up are group chats: the bot works in private dialogs only. */
const CHAT_PEER_OFFSET = 2_000_000_000;

const failureReply = { text: 'Извините, что-то пошло не так. Попробуйте ещё раз через минуту.' };

export interface UpdateDispatcher {
  /** Takes a raw Bots API update (long poll or Callback API); settles when it is fully handled. */
  dispatch(update: unknown): Promise<void>;
  /** Waits for every update accepted so far. */
  drain(): Promise<void>;
}

/**
 * Turns raw updates into conversation calls. One user's updates are handled strictly in order
 * (a promise chain per user), different users in parallel. Nothing a user sends can throw out of here.
 */
export function createUpdateDispatcher(deps: {
  api: API;
  upload: Upload;
  groupId: number;
  logger: Logger;
  conversation: ConversationService;
  admin?: AdminActions;
  notifier: Notifier;
}): UpdateDispatcher {
  const { api, upload, groupId, logger, conversation, admin, notifier } = deps;
  const queues = new Map<number, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  async function handleMessage(eventId: string, vkUserId: number, context: MessageContext, rawPayload: string | undefined): Promise<void> {
    const log = logger.child({ eventId, vkId: vkUserId });
    try {
      const input = toInput(context, rawPayload);
      // Administrators' buttons never reach the teacher's conversation (which would refuse them anyway).
      const result =
        admin && input.type === 'button' && isAdminPayload(input.payload)
          ? await admin.handle({ eventId, vkUserId, payload: input.payload })
          : await conversation.handle({ eventId, vkUserId, input });
      if (result.duplicate) {
        log.info('duplicate update ignored');
        return;
      }
      log.info({ input: input.type, ...result.facts }, 'update handled');
      for (const [index, reply] of result.replies.entries()) {
        await notifier.send(vkUserId, reply, `${eventId}:${index}`);
      }
    } catch (error) {
      log.error({ err: error }, 'update failed');
      await notifier.send(vkUserId, failureReply, `${eventId}:failure`).catch(() => {});
    }
  }

  function enqueue(vkUserId: number, work: () => Promise<void>): Promise<void> {
    const previous = queues.get(vkUserId) ?? Promise.resolve();
    const current = previous.then(work);
    queues.set(vkUserId, current);
    inFlight.add(current);
    void current.finally(() => {
      inFlight.delete(current);
      if (queues.get(vkUserId) === current) queues.delete(vkUserId);
    });
    return current;
  }

  return {
    dispatch(update) {
      const envelope = envelopeSchema.safeParse(update);
      if (!envelope.success) {
        logger.warn('malformed update ignored');
        return Promise.resolve();
      }
      const { type, object } = envelope.data;
      if (type !== 'message_new') return Promise.resolve();
      const message = messageSchema.safeParse(object.message);
      if (!message.success) {
        logger.warn({ type }, 'message_new without a usable message ignored');
        return Promise.resolve();
      }
      const { from_id: fromId, peer_id: peerId, out } = message.data;
      if (peerId >= CHAT_PEER_OFFSET || fromId <= 0 || out === 1) return Promise.resolve();
      const eventId = envelope.data.event_id ?? `message:${peerId}:${message.data.conversation_message_id ?? 'unknown'}`;

      // vk-io parses the payload while building the context and throws on invalid JSON, so the
      // raw string is taken out first and judged by toInput.
      const rawPayload = typeof message.data.payload === 'string' ? message.data.payload : undefined;
      const { payload: _dropped, ...cleanMessage } = object.message as Record<string, unknown>;
      let context: MessageContext;
      try {
        context = new MessageContext({
          api,
          upload,
          groupId,
          payload: { ...object, message: cleanMessage } as never,
          updateType: 'message_new',
          source: UpdateSource.WEBHOOK,
        });
      } catch (error) {
        logger.warn({ err: error, eventId }, 'update vk-io could not read ignored');
        return Promise.resolve();
      }
      return enqueue(fromId, () => handleMessage(eventId, fromId, context, rawPayload));
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
