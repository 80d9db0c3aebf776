import { type RequestPacer, createRequestPacer } from '../vk/request-pacer.js';
import { MaxApiError } from './errors.js';
import type { MaxKeyboardAttachment } from './keyboard.js';
import type { MaxUpdate } from './updates.js';

/** MAX's production API host (dev.max.ru asks for it instead of platform-api.max.ru). */
export const MAX_DEFAULT_BASE_URL = 'https://platform-api2.max.ru';
/** MAX allows 30 requests/s per bot; a margin is left for clock differences. */
export const MAX_DEFAULT_API_LIMIT = 25;

export type MaxAttachmentRequest =
  | MaxKeyboardAttachment
  | { type: 'file'; payload: { token: string } }
  | { type: 'image'; payload: { token: string } | { photos: Record<string, { token: string }> } };

export interface MaxNewMessage {
  /** At most 4,000 characters. */
  text?: string;
  attachments?: MaxAttachmentRequest[];
  notify?: boolean;
}

export interface MaxSentMessage {
  mid: string;
  timestamp: number;
}

export interface MaxUpdatesPage {
  updates: MaxUpdate[];
  marker: number | null;
}

export interface MaxSubscription {
  url: string;
  time: number;
  update_types?: string[] | null;
}

export type MaxUploadType = 'image' | 'file';

/** What a file upload gives: the attachment to send (the shape depends on the type). */
export type MaxUploaded = Extract<MaxAttachmentRequest, { type: 'file' } | { type: 'image' }>;

export interface MaxClientOptions {
  token: string;
  baseUrl?: string;
  /** Requests per second across this client (MAX: 30 per bot). */
  apiLimit?: number;
  /** Per request, long polls excepted (they get their own hold plus this). */
  timeoutMs?: number;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export interface MaxClient {
  me(): Promise<{ user_id: number; username?: string | null; first_name?: string; is_bot?: boolean }>;
  sendToUser(userId: number, message: MaxNewMessage): Promise<MaxSentMessage>;
  /** Stops the button's spinner; `message`, when given, replaces the message that had the keyboard. */
  answerCallback(callbackId: string, answer?: { message?: MaxNewMessage; notification?: string }): Promise<void>;
  updates(query: { marker: number | null; timeout: number; limit?: number; types?: string[] }, signal?: AbortSignal): Promise<MaxUpdatesPage>;
  subscriptions(): Promise<MaxSubscription[]>;
  subscribe(subscription: { url: string; secret: string; updateTypes: string[] }): Promise<void>;
  unsubscribe(url: string): Promise<void>;
  /** Uploads a file in MAX's two steps (an upload URL, then the bytes as multipart field `data`). */
  upload(type: MaxUploadType, content: Uint8Array, filename: string): Promise<MaxUploaded>;
  readonly pacer: RequestPacer;
}

/**
 * A thin client of MAX's Bot API over Node's fetch. Not the official SDK (`@maxhub/max-bot-api`
 * 0.3.1): it drops falsy query values (`marker=0`, `timeout=0`), names Buffer uploads with a UUID,
 * has no per-request time-out and no rate limiting (shared/research/max.md §2.6, §U.1).
 * Every call is paced by the same sliding-window pacer as VK's.
 */
export function createMaxClient(options: MaxClientOptions): MaxClient {
  const baseUrl = (options.baseUrl ?? MAX_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const fetchImpl = options.fetch ?? fetch;
  const pacer = createRequestPacer({ perWindow: options.apiLimit ?? MAX_DEFAULT_API_LIMIT });
  let queue: Promise<unknown> = Promise.resolve();

  /** Waits for a start slot; slots are handed out one caller at a time. */
  function slot() {
    const turn = queue.then(async () => {
      const now = performance.now();
      const at = pacer.nextStart(now);
      if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
      return pacer.started(performance.now(), at > now);
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  async function call<T>(method: string, path: string, query: Record<string, string | number | boolean | null | undefined>, body?: unknown, extra?: { signal?: AbortSignal; holdMs?: number }): Promise<T> {
    const url = new URL(baseUrl + path);
    // Every value is kept, false and 0 included; only absent ones are left out.
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    const signals = [AbortSignal.timeout(timeoutMs + (extra?.holdMs ?? 0))];
    if (extra?.signal) signals.push(extra.signal);
    const request = await slot();
    setImmediate(() => request.left(performance.now()));
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: { authorization: options.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      request.answered(performance.now());
      throw networkError(error);
    }
    request.answered(performance.now());
    return readResponse<T>(response);
  }

  return {
    pacer,
    me: () => call('GET', '/me', {}),
    async sendToUser(userId, message) {
      const answer = await call<{ message: { body: { mid: string }; timestamp: number } }>('POST', '/messages', { user_id: userId }, message);
      return { mid: answer.message.body.mid, timestamp: answer.message.timestamp };
    },
    async answerCallback(callbackId, answer = {}) {
      await call('POST', '/answers', { callback_id: callbackId }, answer);
    },
    updates: (query, signal) =>
      call('GET', '/updates', { marker: query.marker, timeout: query.timeout, limit: query.limit, types: query.types?.join(',') }, undefined, { signal, holdMs: query.timeout * 1000 }),
    async subscriptions() {
      return (await call<{ subscriptions: MaxSubscription[] }>('GET', '/subscriptions', {})).subscriptions;
    },
    async subscribe({ url, secret, updateTypes }) {
      await call('POST', '/subscriptions', {}, { url, secret, update_types: updateTypes });
    },
    async unsubscribe(url) {
      await call('DELETE', '/subscriptions', { url });
    },
    async upload(type, content, filename) {
      const target = await call<{ url: string; token?: string }>('POST', '/uploads', { type });
      const form = new FormData();
      form.append('data', new Blob([content]), filename);
      // The upload host takes no Authorization; it is paced like any other request.
      const request = await slot();
      let response: Response;
      try {
        response = await fetchImpl(target.url, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs * 4) });
      } catch (error) {
        request.answered(performance.now());
        throw networkError(error);
      }
      request.answered(performance.now());
      const uploaded = await readResponse<{ token?: string; photos?: Record<string, { token: string }> }>(response);
      if (type === 'image' && uploaded.photos) return { type: 'image', payload: { photos: uploaded.photos } };
      const token = uploaded.token ?? target.token;
      if (!token) throw new MaxApiError(response.status, 'upload.no_token', 'the upload answered without a token');
      return type === 'image' ? { type: 'image', payload: { token } } : { type: 'file', payload: { token } };
    },
  };
}

async function readResponse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new MaxApiError(response.status, response.ok ? 'bad_json' : 'http', `MAX answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const { code, message } = (json ?? {}) as { code?: unknown; message?: unknown };
    throw new MaxApiError(response.status, typeof code === 'string' ? code : 'http', typeof message === 'string' ? message : `HTTP ${response.status}`);
  }
  // PUT /messages and friends may answer 200 with success: false (max-bot-api-client-go #57).
  if (json && typeof json === 'object' && (json as { success?: unknown }).success === false) {
    const message = (json as { message?: unknown }).message;
    throw new MaxApiError(response.status, 'not_successful', typeof message === 'string' ? message : 'success: false');
  }
  return json as T;
}

function networkError(error: unknown): MaxApiError {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const refused = cause?.code === 'ECONNREFUSED';
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return new MaxApiError(0, refused ? 'connection_refused' : timedOut ? 'timeout' : 'network', refused ? 'connection refused' : timedOut ? 'no answer in time' : 'network error', { cause: error });
}
