import { type API, VK } from 'vk-io';
import type { ConversationService } from '../domain/conversation/service.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import { type PollCursor, createLongPoll } from './long-poll.js';
import { type RetryPolicy, createVkNotifier } from './notifier.js';
import { type UpdateDispatcher, createUpdateDispatcher } from './updates.js';

export interface VkBotOptions {
  token: string;
  groupId: number;
  apiBaseUrl: string;
  /** Requests per second for this token (a community token allows 20). */
  apiLimit: number;
  /** Long-poll hold in seconds; VK's maximum is 90, 25 is customary. */
  pollWaitSeconds?: number;
  retry?: RetryPolicy;
}

export interface VkBot {
  vk: VK;
  notifier: Notifier;
  dispatcher: UpdateDispatcher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The VK transport: the vk-io client, the update dispatcher, the notifier and the long poll. */
export function createVkBot(deps: {
  options: VkBotOptions;
  logger: Logger;
  /** The service, or a factory for one that needs the VK API (e.g. to resolve short names). */
  conversation: ConversationService | ((api: API) => ConversationService);
  cursor: PollCursor;
  onUnreachable: (vkId: number) => Promise<void>;
}): VkBot {
  const { options, logger, cursor, onUnreachable } = deps;
  const vk = new VK({
    token: options.token,
    apiBaseUrl: options.apiBaseUrl,
    apiLimit: options.apiLimit,
    // messages.send calls made at the same moment go out as one `execute` (up to 25 calls).
    apiMode: 'parallel_selected',
    apiRetryLimit: 2,
    apiWait: 1000,
    // vk-io's default agent is an https.Agent, which refuses http:// URLs (a local VK emulator).
    ...(options.apiBaseUrl.startsWith('http://') ? { agent: undefined } : {}),
  });
  const conversation = typeof deps.conversation === 'function' ? deps.conversation(vk.api) : deps.conversation;
  const notifier = createVkNotifier({ api: vk.api, upload: vk.upload, logger: logger.child({ component: 'notifier' }), retry: options.retry, onUnreachable });
  const dispatcher = createUpdateDispatcher({ api: vk.api, upload: vk.upload, groupId: options.groupId, logger, conversation, notifier });
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
