import type { VK } from 'vk-io';
import type { AdminActions } from '../domain/admin/actions.js';
import type { ConversationService } from '../domain/conversation/service.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import { type PollCursor, createLongPoll } from './long-poll.js';
import { type UpdateDispatcher, createUpdateDispatcher } from './updates.js';

export interface VkBotOptions {
  groupId: number;
  /** Long-poll hold in seconds; VK's maximum is 90, 25 is customary. */
  pollWaitSeconds?: number;
}

export interface VkBot {
  vk: VK;
  notifier: Notifier;
  dispatcher: UpdateDispatcher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The VK transport for incoming updates: the update dispatcher and the long poll, on a given client. */
export function createVkBot(deps: {
  vk: VK;
  notifier: Notifier;
  options: VkBotOptions;
  logger: Logger;
  conversation: ConversationService;
  /** Administrators' buttons; without it they are refused like any unknown button. */
  admin?: AdminActions;
  cursor: PollCursor;
}): VkBot {
  const { vk, notifier, options, logger, conversation, admin, cursor } = deps;
  const dispatcher = createUpdateDispatcher({ api: vk.api, upload: vk.upload, groupId: options.groupId, logger, conversation, admin, notifier });
  const poll = createLongPoll({
    api: vk.api,
    groupId: options.groupId,
    logger: logger.child({ component: 'long-poll' }),
    cursor,
    onUpdate: (update) => dispatcher.dispatch(update),
    waitSeconds: options.pollWaitSeconds,
  });
  return {
    vk,
    notifier,
    dispatcher,
    start: () => poll.start(),
    async stop() {
      await poll.stop();
      await dispatcher.drain();
    },
  };
}
