import { setTimeout as sleep } from 'node:timers/promises';
import { type API, MessageContext, UpdateSource, type Upload } from 'vk-io';
import { z } from 'zod';
import type { ConversationService, HandledMessage } from '../domain/conversation/service.js';
import { texts } from '../domain/conversation/texts.js';
import type { Input } from '../domain/model.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { OutboxSender } from '../outbox/sender.js';
import { toInput } from './input.js';
import type { RetryPolicy } from './notifier.js';

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

/** Long-poll mode: 7 attempts, 250 ms doubling (capped at 4 s) between them, about 12 s in all. */
export const defaultHandleRetry: RetryPolicy = { attempts: 7, baseDelayMs: 250 };

/**
 * An update whose transaction has not settled by then counts as failed and is tried again. Kept as a
 * safety net although the hang it was added for is fixed (a query whose connection closed with its
 * write pending waited forever; vendor/README.md): postgres.js has no query timeout, so a server
 * that stops answering without closing the connection (a host gone, a network dropped silently)
 * would otherwise hold this teacher's queue until TCP keep-alive gives up, minutes later, and
 * postgres.js 3.4.9 has more open reports of promises that never settle (#1195, #1199). Trying
 * again is safe: the event id claim makes a late commit of the first attempt and the retry exclusive.
 */
const HANDLE_DEADLINE_MS = 20_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`update not handled within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

const failureReply = { text: texts.failure };

/**
 * What became of an update. `handled`: its effects are committed. `duplicate`: handled before, so
 * nothing changed. `ignored`: nothing to do (another event type, a group chat, an unreadable
 * message). `failed`: the transaction did not commit, so a redelivery of the update takes effect.
 */
export type DispatchOutcome = 'handled' | 'duplicate' | 'ignored' | 'failed';

export interface UpdateDispatcher {
  /**
   * Takes a raw Bots API update (long poll or Callback API). Settles, never rejecting, as soon as the
   * outcome is known: for a handled update, once its effects and replies are committed. The replies
   * go out after that, in order per user; `drain` waits for them.
   */
  dispatch(update: unknown): Promise<DispatchOutcome>;
  /** Waits for every update accepted so far, replies included. */
  drain(): Promise<void>;
}

/**
 * Turns raw updates into conversation calls. One user's updates are handled strictly in order
 * (a promise chain per user), different users in parallel. Nothing a user sends can throw out of here.
 *
 * `redelivered`: the Callback API redelivers an update that was not answered `ok`, so a failed one
 * is left to the redelivery. The long poll never delivers an update twice: a failed one is retried
 * here for a while, and if it still fails the teacher gets a generic apology.
 */
export function createUpdateDispatcher(deps: {
  api: API;
  upload: Upload;
  groupId: number;
  logger: Logger;
  conversation: ConversationService;
  /** Sends the apology for an update that could not be handled (nothing was committed, so nothing is queued). */
  notifier: Notifier;
  /** Sends the replies an update queued. */
  outbox: Pick<OutboxSender, 'sendNow'>;
  redelivered: boolean;
  /** How a failed transaction is retried when nobody redelivers the update. */
  retry?: RetryPolicy;
}): UpdateDispatcher {
  const { api, upload, groupId, logger, conversation, notifier, outbox, redelivered, retry = defaultHandleRetry } = deps;
  const queues = new Map<number, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  async function handleMessage(
    eventId: string,
    vkUserId: number,
    context: MessageContext,
    rawPayload: string | undefined,
    settle: (outcome: DispatchOutcome) => void,
  ): Promise<void> {
    // The event id correlates; the VK id (personal data) stays out of the logs, the teacher's uuid is in the facts.
    const log = logger.child({ eventId });
    let result: HandledMessage;
    let input: Input;
    try {
      input = toInput(context, rawPayload);
      result = await handleWithRetry(log, { eventId, vkUserId, input });
    } catch (error) {
      log.error({ err: error }, 'update failed');
      settle('failed');
      if (!redelivered) await notifier.send(vkUserId, failureReply, `${eventId}:failure`).catch(() => {});
      return;
    }
    if (result.duplicate) {
      log.info('duplicate update ignored');
      settle('duplicate');
      return;
    }
    log.info({ input: input.type, ...result.facts }, 'update handled');
    settle('handled');
    // Committed with its replies in the outbox: sent now, or by a later drain if VK or the process
    // fails first. The text is waited for, so this user's next update is answered after it; the
    // files follow the text (they may not be claimed before it is marked sent) but are not waited
    // for: a later step's text may overtake a poster still uploading.
    const text = outbox.sendNow(result.queued.text);
    track(text.then(() => outbox.sendNow(result.queued.files)));
    await text;
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  /**
   * A failed transaction rolled back everything, the event id included, so trying again is safe.
   * With the long poll nobody redelivers: a database restart is waited out (about 12 s) instead of
   * losing the teacher's message. With webhooks VK redelivers, so one attempt answers fast.
   */
  async function handleWithRetry(log: Logger, message: Parameters<ConversationService['handle']>[0]): Promise<HandledMessage> {
    const attempts = redelivered ? 1 : retry.attempts;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await withDeadline(conversation.handle(message), HANDLE_DEADLINE_MS);
      } catch (error) {
        if (attempt >= attempts) throw error;
        const delayMs = Math.min(4000, retry.baseDelayMs * 2 ** (attempt - 1));
        log.warn({ err: error, attempt, delayMs }, 'update failed, retrying');
        await sleep(delayMs);
      }
    }
  }

  function enqueue(vkUserId: number, work: () => Promise<void>): void {
    const previous = queues.get(vkUserId) ?? Promise.resolve();
    const current = previous.then(work);
    queues.set(vkUserId, current);
    inFlight.add(current);
    void current.finally(() => {
      inFlight.delete(current);
      if (queues.get(vkUserId) === current) queues.delete(vkUserId);
    });
  }

  return {
    dispatch(update) {
      const envelope = envelopeSchema.safeParse(update);
      if (!envelope.success) {
        logger.warn('malformed update ignored');
        return Promise.resolve('ignored');
      }
      const { type, object } = envelope.data;
      if (type !== 'message_new') return Promise.resolve('ignored');
      const message = messageSchema.safeParse(object.message);
      if (!message.success) {
        logger.warn({ type }, 'message_new without a usable message ignored');
        return Promise.resolve('ignored');
      }
      const { from_id: fromId, peer_id: peerId, out } = message.data;
      if (peerId >= CHAT_PEER_OFFSET || fromId <= 0 || out === 1) return Promise.resolve('ignored');
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
        return Promise.resolve('ignored');
      }
      return new Promise<DispatchOutcome>((settle) => {
        enqueue(fromId, () =>
          handleMessage(eventId, fromId, context, rawPayload, settle).catch((error: unknown) => {
            logger.error({ err: error, eventId }, 'update failed');
            settle('failed');
          }),
        );
      });
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
