/**
 * A fake of MAX's Bot API (schema 0.0.33) on 127.0.0.1, for the tests and the sandbox: the real
 * MAX client talks to it over HTTP. It keeps what MAX would refuse refused (research: max.md §1,
 * §U.8): sends to people who never started the bot (404) or stopped it (403), text over 4,000
 * characters, empty messages, a file that is not the only attachment, keyboards over MAX's limits,
 * unknown callback ids, long polling while a webhook is subscribed (405), over 30 requests/s (429).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_KEYBOARD_LIMITS } from '../max/keyboard.js';
import type { MaxUpdate, MaxUser } from '../max/updates.js';

export interface FakeMaxMessage {
  mid: string;
  userId: number;
  text: string;
  attachments: { type: string; payload?: unknown }[];
  timestamp: number;
}

interface Failure {
  status: number;
  code: string;
  message: string;
}

interface Dialog {
  user: MaxUser;
  chatId: number;
  state: 'active' | 'stopped';
}

export interface FakeMaxOptions {
  token?: string;
  /** Requests per second before 429; MAX's is 30. */
  rateLimit?: number;
  /** The longest a long poll is held, whatever `timeout` asks (tests don't wait 30 s). */
  maxHoldMs?: number;
}

export class FakeMax {
  readonly token: string;
  readonly bot = { user_id: 9000001, first_name: 'Сферум-помощник', username: 'sferum_helper_bot', is_bot: true };
  /** Every message the bot sent, in order. */
  readonly sent: FakeMaxMessage[] = [];
  /** Callback ids the bot answered, with how many times. */
  readonly answers = new Map<string, number>();
  readonly uploads = new Map<string, { filename: string; bytes: number; type: string }>();
  private readonly dialogs = new Map<number, Dialog>();
  private readonly updates: { marker: number; update: MaxUpdate }[] = [];
  private readonly pendingCallbacks = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly recent: number[] = [];
  private subscription: { url: string; secret: string; update_types: string[] } | null = null;
  private nextMarker = 1;
  private nextMid = 1;
  private server: Server | null = null;
  private readonly rateLimit: number;
  private readonly maxHoldMs: number;
  /** Webhook deliveries: status per attempt, for tests of redelivery. */
  readonly deliveries: { update: MaxUpdate; status: number }[] = [];

  constructor(options: FakeMaxOptions = {}) {
    this.token = options.token ?? 'max-test-token';
    this.rateLimit = options.rateLimit ?? 30;
    this.maxHoldMs = options.maxHoldMs ?? 1_000;
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => reply(res, 500, { code: 'internal', message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the fake MAX is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /** The next call to `route` (e.g. `POST /messages`) fails with this answer. */
  failNext(route: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(route) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(route, queue);
  }

  // --- what people do ---------------------------------------------------------------------------

  /** The person opens the bot (or follows `max.ru/<bot>?start=<payload>`). */
  start(user: MaxUser, payload?: string): MaxUpdate {
    const dialog = this.dialogs.get(user.user_id) ?? { user, chatId: 700_000_000 + user.user_id, state: 'active' as const };
    dialog.state = 'active';
    this.dialogs.set(user.user_id, dialog);
    return this.push({ update_type: 'bot_started', timestamp: this.now(), chat_id: dialog.chatId, user, ...(payload === undefined ? {} : { payload }) });
  }

  stop(userId: number): MaxUpdate {
    const dialog = this.dialog(userId);
    dialog.state = 'stopped';
    return this.push({ update_type: 'bot_stopped', timestamp: this.now(), chat_id: dialog.chatId, user: dialog.user });
  }

  say(userId: number, text: string, attachments: { type: string; payload?: unknown; filename?: string; size?: number }[] = []): MaxUpdate {
    const dialog = this.dialog(userId);
    const message = { sender: dialog.user, recipient: { chat_id: dialog.chatId, chat_type: 'dialog' as const, user_id: this.bot.user_id }, timestamp: this.now(), body: { mid: `mid.u${this.nextMid++}`, seq: this.nextMid, text, attachments } };
    return this.push({ update_type: 'message_created', timestamp: message.timestamp, message } as MaxUpdate);
  }

  /** Presses the button labelled `label` under the newest bot message to the person that has one. */
  click(userId: number, label: string): MaxUpdate {
    const dialog = this.dialog(userId);
    const message = [...this.sent].reverse().find((sent) => sent.userId === userId && keyboardOf(sent) !== null);
    const button = message && keyboardOf(message)?.flat().find((candidate) => candidate.text === label);
    if (!message || !button) throw new Error(`no button «${label}» in the last keyboard sent to ${userId}`);
    return this.pressPayload(userId, button.payload, message, dialog);
  }

  /** Sends a callback with any payload (a forged button). */
  pressPayload(userId: number, payload: string, message?: FakeMaxMessage, known?: Dialog): MaxUpdate {
    const dialog = known ?? this.dialog(userId);
    const callbackId = randomBytes(12).toString('base64url');
    this.pendingCallbacks.add(callbackId);
    return this.push({
      update_type: 'message_callback',
      timestamp: this.now(),
      callback: { callback_id: callbackId, payload, user: dialog.user, timestamp: this.now() },
      // MAX may leave recipient.chat_id out of dialog callbacks (max.md §1.3 caveat).
      message: message ? { recipient: { chat_id: null, chat_type: 'dialog', user_id: userId }, timestamp: message.timestamp, body: { mid: message.mid, text: message.text } } : null,
    } as MaxUpdate);
  }

  /** Messages the bot sent to `userId`, oldest first. */
  inbox(userId: number): FakeMaxMessage[] {
    return this.sent.filter((message) => message.userId === userId);
  }

  /** Resolves once the bot sent `userId` at least `count` messages, or fails after `timeoutMs`. */
  async waitForMessages(userId: number, count: number, timeoutMs = 10_000): Promise<FakeMaxMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox(userId).length < count) {
      if (Date.now() > deadline) throw new Error(`${userId} got ${this.inbox(userId).length} of ${count} messages in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.inbox(userId);
  }

  get unansweredCallbacks(): string[] {
    return [...this.pendingCallbacks];
  }

  // --- the API --------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'POST' && path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), req, res);
    if (req.headers.authorization !== this.token) return reply(res, 401, { code: 'verify.token', message: 'Invalid access_token' });
    const now = Date.now();
    while (this.recent.length > 0 && now - this.recent[0]! >= 1000) this.recent.shift();
    this.recent.push(now);
    if (this.recent.length > this.rateLimit) return reply(res, 429, { code: 'too.many.requests', message: 'Too many requests' });
    const key = `${req.method} ${path}`;
    const failure = this.failures.get(key)?.shift();
    if (failure) return reply(res, failure.status, { code: failure.code, message: failure.message });
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;
    switch (key) {
      case 'GET /me':
        return reply(res, 200, this.bot);
      case 'POST /messages':
        return this.sendMessage(url, body, res);
      case 'GET /messages':
        return reply(res, 200, { messages: this.sent.filter((m) => this.dialogs.get(m.userId)?.chatId === Number(url.searchParams.get('chat_id'))).slice(-Number(url.searchParams.get('count') ?? 50)).reverse().map(asApiMessage) });
      case 'POST /answers': {
        const id = url.searchParams.get('callback_id') ?? '';
        if (!this.pendingCallbacks.has(id) && !this.answers.has(id)) return reply(res, 400, { code: 'proto.payload', message: 'Unknown callback' });
        this.pendingCallbacks.delete(id);
        this.answers.set(id, (this.answers.get(id) ?? 0) + 1);
        return reply(res, 200, { success: true });
      }
      case 'POST /uploads': {
        const type = url.searchParams.get('type') ?? '';
        if (!['image', 'file', 'video', 'audio'].includes(type)) return reply(res, 400, { code: 'proto.payload', message: 'Unknown upload type' });
        const id = randomUUID();
        this.uploads.set(id, { filename: '', bytes: -1, type });
        return reply(res, 200, { url: `${this.url}/upload/${id}` });
      }
      case 'GET /updates':
        return this.poll(url, res);
      case 'GET /subscriptions':
        return reply(res, 200, { subscriptions: this.subscription ? [{ url: this.subscription.url, time: 0, update_types: this.subscription.update_types }] : [] });
      case 'POST /subscriptions': {
        const { url: hook, secret, update_types } = (body ?? {}) as { url?: string; secret?: string; update_types?: string[] };
        if (typeof hook !== 'string' || !/^https?:\/\//.test(hook)) return reply(res, 400, { code: 'proto.payload', message: 'url' });
        if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{5,256}$/.test(secret)) return reply(res, 400, { code: 'proto.payload', message: 'secret' });
        this.subscription = { url: hook, secret, update_types: update_types ?? [] };
        return reply(res, 200, { success: true });
      }
      case 'DELETE /subscriptions':
        this.subscription = null;
        return reply(res, 200, { success: true });
      default:
        return reply(res, 404, { code: 'not.found', message: `${key} is not a method` });
    }
  }

  private sendMessage(url: URL, body: unknown, res: ServerResponse): void {
    const userId = Number(url.searchParams.get('user_id'));
    const dialog = this.dialogs.get(userId);
    if (!dialog) return reply(res, 404, { code: 'chat.not.found', message: 'dialog.not.found' });
    if (dialog.state === 'stopped') return reply(res, 403, { code: 'chat.denied', message: 'Key: error.dialog.suspended, params: []' });
    const { text = '', attachments = [] } = (body ?? {}) as { text?: string; attachments?: { type: string; payload?: unknown }[] };
    if (text.length > 4000) return reply(res, 400, { code: 'proto.payload', message: 'text: size must be between 0 and 4000' });
    if (text.trim() === '' && attachments.filter((a) => a.type !== 'inline_keyboard').length === 0) return reply(res, 400, { code: 'proto.payload', message: 'Empty message' });
    if (attachments.some((a) => a.type === 'file') && attachments.length > 1) return reply(res, 400, { code: 'proto.payload', message: 'File attachment must be the only attachment' });
    const keyboardError = checkKeyboards(attachments);
    if (keyboardError) return reply(res, 400, { code: keyboardError, message: keyboardError });
    for (const attachment of attachments) {
      if (attachment.type !== 'file' && attachment.type !== 'image') continue;
      const token = (attachment.payload as { token?: string; photos?: Record<string, { token: string }> } | undefined)?.token ?? Object.values((attachment.payload as { photos?: Record<string, { token: string }> }).photos ?? {})[0]?.token;
      const upload = token ? this.uploads.get(token) : undefined;
      if (!upload || upload.bytes < 0) return reply(res, 400, { code: 'proto.payload', message: 'Missing token' });
    }
    // Per chat, MAX allows two messages a second.
    const lastTwo = this.inbox(userId).slice(-2);
    if (lastTwo.length === 2 && Date.now() - lastTwo[0]!.timestamp < 1000) return reply(res, 429, { code: 'too.many.requests', message: 'Too many messages to one chat' });
    const message: FakeMaxMessage = { mid: `mid.b${this.nextMid++}`, userId, text, attachments, timestamp: Date.now() };
    this.sent.push(message);
    return reply(res, 200, { message: asApiMessage(message) });
  }

  private async receiveUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const upload = this.uploads.get(id);
    if (!upload || upload.bytes >= 0) return reply(res, 400, { code: 'upload.used', message: 'An upload URL takes one file' });
    const raw = await readRaw(req);
    const match = /name="data"; filename="([^"]*)"/.exec(raw.toString('latin1'));
    if (!match) return reply(res, 400, { code: 'proto.payload', message: 'no multipart field data' });
    upload.filename = Buffer.from(match[1]!, 'latin1').toString('utf8');
    upload.bytes = raw.length;
    if (upload.type === 'image') return reply(res, 200, { photos: { [randomUUID()]: { token: id } } });
    return reply(res, 200, { token: id });
  }

  private async poll(url: URL, res: ServerResponse): Promise<void> {
    if (this.subscription) return reply(res, 405, { code: 'method.not.allowed', message: 'Long polling is off while a webhook is subscribed' });
    const marker = url.searchParams.has('marker') ? Number(url.searchParams.get('marker')) : null;
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const holdMs = Math.min(Number(url.searchParams.get('timeout') ?? 30) * 1000, this.maxHoldMs);
    // Passing a marker acknowledges every update before it.
    if (marker !== null) while (this.updates.length > 0 && this.updates[0]!.marker < marker) this.updates.shift();
    if (this.updates.length === 0 && holdMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, holdMs);
        this.waiters.add(wake);
      });
    }
    const page = this.updates.slice(0, limit);
    const next = page.length > 0 ? page[page.length - 1]!.marker + 1 : (marker ?? this.nextMarker);
    return reply(res, 200, { updates: page.map((entry) => entry.update), marker: next });
  }

  private push(update: MaxUpdate): MaxUpdate {
    if (this.subscription) {
      void this.deliver(update, this.subscription);
      return update;
    }
    this.updates.push({ marker: this.nextMarker++, update });
    for (const wake of [...this.waiters]) wake();
    return update;
  }

  /** Pushes an update to the webhook with the secret; retries a failed delivery (test-scaled back-off). */
  private async deliver(update: MaxUpdate, subscription: { url: string; secret: string }, attempt = 0): Promise<void> {
    let status = 0;
    try {
      const response = await fetch(subscription.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-max-bot-api-secret': subscription.secret }, body: JSON.stringify(update) });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    this.deliveries.push({ update, status });
    if (status !== 200 && attempt < 10 && this.server?.listening) {
      await new Promise((resolve) => setTimeout(resolve, 50 * 2.5 ** attempt));
      await this.deliver(update, subscription, attempt + 1);
    }
  }

  private dialog(userId: number): Dialog {
    const dialog = this.dialogs.get(userId);
    if (!dialog) throw new Error(`${userId} never started the bot`);
    return dialog;
  }

  private now(): number {
    return Date.now();
  }
}

function keyboardOf(message: FakeMaxMessage): { text: string; payload: string }[][] | null {
  const keyboard = message.attachments.find((attachment) => attachment.type === 'inline_keyboard');
  return (keyboard?.payload as { buttons?: { text: string; payload: string }[][] } | undefined)?.buttons ?? null;
}

function checkKeyboards(attachments: { type: string; payload?: unknown }[]): string | null {
  for (const attachment of attachments) {
    if (attachment.type !== 'inline_keyboard') continue;
    const rows = (attachment.payload as { buttons?: unknown[][] } | undefined)?.buttons ?? [];
    if (rows.length > MAX_KEYBOARD_LIMITS.rows) return 'errors.maxRows';
    if (rows.some((row) => row.length > MAX_KEYBOARD_LIMITS.perRow)) return 'errors.maxRowSize';
    for (const button of rows.flat() as { text?: string; payload?: string }[]) {
      if (!button.text || button.text.length > MAX_KEYBOARD_LIMITS.label) return 'errors.buttonText';
      if ((button.payload ?? '').length > MAX_KEYBOARD_LIMITS.payload) return 'errors.buttonPayload';
    }
  }
  return null;
}

function asApiMessage(message: FakeMaxMessage) {
  return { recipient: { chat_id: null, chat_type: 'dialog', user_id: message.userId }, timestamp: message.timestamp, body: { mid: message.mid, text: message.text, attachments: message.attachments } };
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
