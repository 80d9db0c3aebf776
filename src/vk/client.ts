import { VK } from 'vk-io';

export interface VkClientOptions {
  token: string;
  apiBaseUrl: string;
  /** Requests per second for this token (a community token allows 20). */
  apiLimit: number;
}

/**
 * The vk-io client for a community token, shared by the bot, the outbox sender and the jobs of one
 * process. Calls made at the same moment go out as one `execute` (up to 25 calls each), so at
 * 20 requests/s the ceiling is about 500 messages/s.
 */
export function createVkClient(options: VkClientOptions): VK {
  return new VK({
    token: options.token,
    apiBaseUrl: options.apiBaseUrl,
    apiLimit: options.apiLimit,
    apiMode: 'parallel_selected',
    // One request every 1000/limit ms: the spacing the shared rate relies on (see api-share.ts).
    apiRequestMode: 'sequential',
    apiRetryLimit: 2,
    apiWait: 1000,
    // vk-io's default agent is an https.Agent, which refuses http:// URLs (a local VK emulator).
    ...(options.apiBaseUrl.startsWith('http://') ? { agent: undefined } : {}),
  });
}
