import { APIError, ExecuteError } from 'vk-io';

export type VkFailure = 'unreachable' | 'retry' | 'fatal';

/** VK codes meaning "this user cannot get messages from the community" (901: not allowed; 902: privacy). */
const UNREACHABLE = new Set([901, 902]);
/** 6 too many requests, 9 flood control, 10 internal server error: worth another try. */
const TRANSIENT = new Set([6, 9, 10]);

/**
 * Sorts a failed VK call. API errors are judged by code; anything else (HTTP 5xx bodies that are
 * not JSON, resets, time-outs) is a transport failure and is retried.
 */
export function classifyVkError(error: unknown): VkFailure {
  if (error instanceof APIError || error instanceof ExecuteError) {
    const code = Number(error.code);
    if (UNREACHABLE.has(code)) return 'unreachable';
    if (TRANSIENT.has(code)) return 'retry';
    return 'fatal';
  }
  return 'retry';
}

export function vkErrorCode(error: unknown): number | string | undefined {
  if (error instanceof APIError || error instanceof ExecuteError) return error.code;
  if (error instanceof Error && 'code' in error) return String((error as { code: unknown }).code);
  return undefined;
}
