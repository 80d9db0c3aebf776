import { type API, VK } from 'vk-io';
import { type RequestPacer, createRequestPacer } from './request-pacer.js';

export interface VkClientOptions {
  token: string;
  apiBaseUrl: string;
  /** Requests per second for this token (a community token allows 20). */
  apiLimit: number;
}

/**
 * Calls that go out inside `execute` (up to 25 per request) when queued together. VK runs the
 * get-upload-server methods inside `execute`; the save methods it does not (vk-io's
 * `apiExecuteUnsupportedMethods`), so each file still costs one request of its own for the save.
 */
export const EXECUTE_METHODS = ['messages.send', 'photos.getMessagesUploadServer', 'docs.getMessagesUploadServer'];

/**
 * The vk-io client for a community token, shared by the bot, the outbox sender and the jobs of one
 * process. Calls made at the same moment go out as one `execute` (up to 25 calls each), so at
 * 20 requests/s the ceiling is about 500 messages/s. Requests start on the clock of a
 * `RequestPacer` (at most `apiLimit` in any sliding second, evenly paced), not on vk-io's
 * "wait 1000/limit ms after each start" timer, whose lateness on a busy event loop added up to
 * 17.4 requests/s instead of 20.
 */
export function createVkClient(options: VkClientOptions): VK {
  const vk = new VK({
    token: options.token,
    apiBaseUrl: options.apiBaseUrl,
    apiLimit: options.apiLimit,
    apiMode: 'parallel_selected',
    apiExecuteMethods: EXECUTE_METHODS,
    apiRetryLimit: 2,
    apiWait: 1000,
    // vk-io's default agent is an https.Agent, which refuses http:// URLs (a local VK emulator).
    ...(options.apiBaseUrl.startsWith('http://') ? { agent: undefined } : {}),
  });
  paceRequests(vk.api, createRequestPacer({ perWindow: options.apiLimit }));
  return vk;
}

/**
 * Why this file reaches into vk-io (the one place it does), and the fence around it.
 *
 * vk-io starts a request, then waits `setTimeout(1000 / apiLimit)` and a `setImmediate` before the
 * next; on a busy event loop each wait runs late and the lateness adds up. The reminder fan-out, the
 * one place the bot spends VK's whole budget, reached 87 % of VK's ceiling (20 requests/s × 25
 * messages per `execute` = 500 messages/s) that way, and 98 % on the pacer (docs/BENCHMARKS.md,
 * "Reminder fan-out"; rerun under heavy machine load: 79 % against 91 %). vk-io has no public hook
 * before a request starts, so `paceRequests` replaces the `heat` method of its private request
 * worker (`api.worker`) on this client only, and relies on the members below.
 *
 * The fence: package.json pins vk-io to exactly `PACED_VK_IO_VERSION`; test/vk/client.test.ts fails
 * when another version is installed, when the worker's members change shape (as `paceRequests`
 * itself does, at start-up), and when vk-io stops starting its requests through `heat`. Before
 * upgrading vk-io, read its `APIWorker` / `ParallelWorker` (lib/index.js), rerun
 * `npm run bench -- reminders`, then move the pin.
 */
export const PACED_VK_IO_VERSION = '4.10.1';

/** The members of vk-io's request worker (`api.worker`, not public API) the pacing relies on. */
interface VkIoWorker {
  queue: { method: string; promise: Promise<unknown> }[];
  busy: boolean;
  paused: boolean;
  heat(): void;
  execute(): Promise<void>;
  /** True for a method that must go out in a request of its own (not batched into `execute`). */
  skipMethod(method: string): boolean;
}

const pacers = new WeakMap<API, RequestPacer>();

/** The pacer `createVkClient` installed; the API share changes its limit at run time. */
export function requestPacerOf(api: API): RequestPacer {
  const pacer = pacers.get(api);
  if (!pacer) throw new Error('this VK client was not made by createVkClient: its requests are not paced');
  return pacer;
}

/**
 * Replaces the `heat` of vk-io's worker (the function that starts the next request; vk-io has no
 * public hook for it) on this client only. Each start is taken when the pacer allows it; a timer
 * wakes the worker for the next slot, and calls queued meanwhile ride in that slot's `execute`.
 *
 * Text replies first: when the queue's head is a call that needs a request of its own (a file's
 * `photos.saveMessagesPhoto` / `docs.save`) and batchable calls wait behind it, the batch goes
 * first, once: the next slot is the head's, so uploads are delayed by one slot at most, never starved.
 *
 * See the fence above `PACED_VK_IO_VERSION`.
 */
export function paceRequests(api: API, pacer: RequestPacer, now: () => number = () => performance.now()): void {
  const worker = (api as unknown as { worker?: Partial<VkIoWorker> }).worker;
  if (
    !worker ||
    !Array.isArray(worker.queue) ||
    typeof worker.busy !== 'boolean' ||
    typeof worker.paused !== 'boolean' ||
    typeof worker.heat !== 'function' ||
    typeof worker.execute !== 'function' ||
    typeof worker.skipMethod !== 'function'
  ) {
    throw new Error('vk-io internals changed: requests cannot be paced');
  }
  const paced = worker as VkIoWorker;
  let headPassedOver = false;

  function batchFirst(): void {
    const { queue } = paced;
    const head = queue[0];
    if (!head || !paced.skipMethod(head.method) || headPassedOver) {
      headPassedOver = false;
      return;
    }
    const batchable = queue.findIndex((request) => !paced.skipMethod(request.method));
    if (batchable < 0) return;
    queue.unshift(...queue.splice(batchable, 1));
    headPassedOver = true;
  }

  let timer: NodeJS.Timeout | undefined;
  /** Re-plans the next start when the timer fires, or sooner when an answer lets it go sooner. */
  function wake(): void {
    if (!timer) return;
    clearTimeout(timer);
    timer = undefined;
    paced.busy = false;
    heat(true);
  }

  /** `waited`: the queue has been waiting for this slot (called from the timer, not by vk-io on a new call). */
  function heat(waited: boolean): void {
    if (paced.paused || paced.busy || paced.queue.length === 0) return;
    const at = now();
    const wait = pacer.nextStart(at) - at;
    if (wait > 0) {
      paced.busy = true;
      timer = setTimeout(wake, Math.ceil(wait));
      return;
    }
    batchFirst();
    // The head goes out in this request, alone or in the batch; its promise settles when the
    // request's answer comes back (or later, after a retry or a failure).
    const head = paced.queue[0]!;
    const request = pacer.started(at, waited);
    void paced.execute();
    setImmediate(() => request.left(now()));
    const settled = () => {
      request.answered(now());
      wake();
    };
    head.promise.then(settled, settled);
    // The rest of the queue waits for the next slot.
    heat(true);
  }
  paced.heat = () => heat(false);
  pacers.set(api, pacer);
}
