/** The Bots Long Poll server (`GET /lp`): the update log and the requests held open until an update comes. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/io.js';

/** The long poll hold VK uses when `wait` is not given. */
const DEFAULT_LONG_POLL_WAIT_SECONDS = 25;
/** ts of the first update; the long poll update log is indexed from here. */
const FIRST_TS = 1;

interface LongPollWaiter {
  ts: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export interface LongPollOptions {
  /** Upper bound for how long a request is held open, in seconds. */
  waitCapSeconds: number;
  /** How many updates to keep; older ones are forgotten. */
  historyLimit: number;
}

export class LongPoll {
  /** The update log; the update at index i has ts `firstTs + i`. */
  updates: object[] = [];
  /** ts of `updates[0]`; grows when old updates are forgotten (`historyLimit`). */
  firstTs = FIRST_TS;
  private readonly keys = new Set<string>();
  private readonly waiters = new Set<LongPollWaiter>();
  private closed = false;

  constructor(private readonly options: LongPollOptions) {}

  /** Requests being held open right now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** A new key for groups.getLongPollServer. */
  createKey(): string {
    const key = randomBytes(20).toString('hex');
    this.keys.add(key);
    return key;
  }

  push(update: object): void {
    this.updates.push(update);
    const excess = this.updates.length - this.options.historyLimit;
    if (excess > 0) {
      this.updates.splice(0, excess);
      this.firstTs += excess;
    }
    const nextTs = this.nextTs();
    for (const waiter of this.waiters) {
      if (waiter.ts < nextTs) this.answer(waiter);
    }
  }

  handle(url: URL, res: ServerResponse): void {
    const key = url.searchParams.get('key');
    if (key === null || !this.keys.has(key)) {
      sendJson(res, 200, { failed: 2 });
      return;
    }

    const ts = Number(url.searchParams.get('ts'));
    // Like VK: a ts that is not a number, older than the kept history or beyond the latest event
    // (a client that outlived the emulator's state) gets `failed: 1` and the ts to continue from.
    if (!Number.isInteger(ts) || ts < this.firstTs || ts > this.nextTs()) {
      sendJson(res, 200, { failed: 1, ts: String(this.nextTs()) });
      return;
    }

    const requestedWait = Number(url.searchParams.get('wait') ?? DEFAULT_LONG_POLL_WAIT_SECONDS);
    const waitSeconds = Math.max(0, Math.min(Number.isFinite(requestedWait) ? requestedWait : 0, this.options.waitCapSeconds));

    if (ts < this.nextTs() || waitSeconds === 0 || this.closed) {
      this.replyWithUpdates(res, ts);
      return;
    }
    const waiter: LongPollWaiter = {
      ts,
      res,
      timer: setTimeout(() => this.answer(waiter), waitSeconds * 1000),
    };
    this.waiters.add(waiter);
    res.on('close', () => {
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
    });
  }

  /** Answers every held request; later requests are answered at once. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters) this.answer(waiter);
  }

  nextTs(): number {
    return this.firstTs + this.updates.length;
  }

  private answer(waiter: LongPollWaiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    this.replyWithUpdates(waiter.res, waiter.ts);
  }

  /** Answers with every update at or after `ts` (possibly none) and the ts to ask for next. */
  private replyWithUpdates(res: ServerResponse, ts: number): void {
    if (ts < this.firstTs) {
      // The updates this client waited for were forgotten meanwhile (longPollHistoryLimit).
      sendJson(res, 200, { failed: 1, ts: String(this.nextTs()) });
      return;
    }
    sendJson(res, 200, { ts: String(this.nextTs()), updates: this.updates.slice(ts - this.firstTs) });
  }
}
