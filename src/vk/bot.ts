import type { API, VK } from 'vk-io';
import type { ConversationService } from '../domain/conversation/service.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { OutboxSender } from '../outbox/sender.js';
import { type ApiShare, type InstanceRegistry, createApiShare } from './api-share.js';
import { type LongPoll, type PollCursor, createLongPoll } from './long-poll.js';
import type { RetryPolicy } from './notifier.js';
import { type UpdateDispatcher, createUpdateDispatcher } from './updates.js';

export interface VkBotOptions {
  groupId: number;
  /** Requests per second for this token (a community token allows 20), shared by all instances. */
  apiLimit: number;
  /** `longpoll`: this process polls VK. `webhook`: VK posts updates to the Callback API endpoint. */
  updates: 'longpoll' | 'webhook';
  /** Long-poll hold in seconds; VK's maximum is 90, 25 is customary. */
  pollWaitSeconds?: number;
  /** How often this instance's heartbeat re-divides the request rate among the live instances. */
  apiShareIntervalMs?: number;
  /** Retries of a failed update transaction in long-poll mode. */
  handleRetry?: RetryPolicy;
}

export interface VkBot {
  vk: VK;
  notifier: Notifier;
  dispatcher: UpdateDispatcher;
  apiShare: ApiShare;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The VK transport for incoming updates on a given client: this instance's share of the token's
 * rate, the update dispatcher, and the long poll (in long-poll mode only; in webhook mode the app
 * routes the Callback API endpoint to the dispatcher).
 */
export function createVkBot(deps: {
  vk: VK;
  notifier: Notifier;
  /** Sends the replies each update queued in the outbox. */
  outbox: Pick<OutboxSender, 'sendNow'>;
  options: VkBotOptions;
  logger: Logger;
  /** The service, or a factory for one that needs the VK API (e.g. to resolve short names). */
  conversation: ConversationService | ((api: API) => ConversationService);
  cursor: PollCursor;
  registry: InstanceRegistry;
}): VkBot {
  const { vk, notifier, outbox, options, logger, cursor, registry } = deps;
  const conversation = typeof deps.conversation === 'function' ? deps.conversation(vk.api) : deps.conversation;
  const apiShare = createApiShare({
    api: vk.api,
    registry,
    totalPerSecond: options.apiLimit,
    logger: logger.child({ component: 'api-share' }),
    intervalMs: options.apiShareIntervalMs ?? 5000,
  });
  const dispatcher = createUpdateDispatcher({
    api: vk.api,
    upload: vk.upload,
    groupId: options.groupId,
    logger,
    conversation,
    notifier,
    outbox,
    redelivered: options.updates === 'webhook',
    retry: options.handleRetry,
  });
  const poll: LongPoll | undefined =
    options.updates === 'longpoll'
      ? createLongPoll({
          api: vk.api,
          groupId: options.groupId,
          logger: logger.child({ component: 'long-poll' }),
          cursor,
          onUpdate: (update) => dispatcher.dispatch(update),
          waitSeconds: options.pollWaitSeconds,
        })
      : undefined;
  return {
    vk,
    notifier,
    dispatcher,
    apiShare,
    async start() {
      await apiShare.start();
      await poll?.start();
    },
    async stop() {
      await poll?.stop();
      await dispatcher.drain();
      await apiShare.stop();
    },
  };
}
