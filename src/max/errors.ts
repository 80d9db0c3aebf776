/**
 * MAX answers a failed call with an HTTP status and a JSON `{ code, message }`. What each means for
 * a delivery, from MAX's schema 0.0.33 and the research in shared/research/max.md §1.1, §1.9, §U.7.
 */
export class MaxApiError extends Error {
  override readonly name = 'MaxApiError';
  constructor(
    /** The HTTP status, or 0 when no answer came (network error, time-out). */
    readonly status: number,
    /** MAX's error code, e.g. `chat.not.found`; `network` when no answer came. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * - `unreachable`: the person never started the bot (404 `chat.not.found`/`dialog.not.found`) or
 *   stopped it (403 `chat.denied`, `error.dialog.suspended`): the same state as VK's error 901.
 * - `not_ready`: an uploaded file is still being processed (400 `attachment.not.ready`); retry soon.
 * - `retry`: rate limit (429), server error (5xx) or no answer at all.
 * - `fatal`: anything else (a bad request will fail again).
 */
export type MaxFailure = 'unreachable' | 'not_ready' | 'retry' | 'fatal';

export function classifyMaxError(error: unknown): MaxFailure {
  if (!(error instanceof MaxApiError)) return 'retry';
  if (error.status === 0 || error.status === 429 || error.status >= 500) return 'retry';
  if (error.code === 'attachment.not.ready') return 'not_ready';
  if (error.status === 404 && error.code === 'chat.not.found') return 'unreachable';
  if (error.status === 403 && error.code === 'chat.denied' && /dialog\.suspended/.test(error.message)) return 'unreachable';
  return 'fatal';
}

/**
 * Whether the message surely did not reach MAX: a retry cannot double it. MAX has no `random_id`,
 * so a send that timed out (the request may have been handled) is not one of these.
 */
export function surelyNotSent(error: unknown): boolean {
  if (!(error instanceof MaxApiError)) return false;
  if (error.status === 0) return error.code === 'connection_refused';
  return error.status === 429 || error.status >= 400;
}
