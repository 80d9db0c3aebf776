/**
 * A local emulator of the VK API (version 5.199): the fake the end-to-end tests use, and the
 * "VK" of the sandbox that `npm start` runs when no VK token is set.
 *
 * It speaks the same HTTP protocol as api.vk.ru, so the real vk-io client can be
 * pointed at it through its `apiBaseUrl` option:
 *
 *   - `POST /method/<name>`  API methods (form-urlencoded params, `{response}` / `{error}` replies)
 *   - `GET  /lp`             Bots Long Poll server
 *   - `POST /upload/photo`   upload server for message photos (multipart field `photo`)
 *   - `POST /upload/doc`     upload server for message documents (multipart field `file`)
 *   - `GET  /files/<key>`    downloads of stored photos and documents
 *
 * Tests and the sandbox page drive the "VK side" directly: simulate users writing to the
 * community (`sendMessage`) or pressing callback buttons (`sendMessageEvent`), inspect what the
 * community sent (`sent`, `waitForMessages`) and inject failures (`failNext`, `blockUser`,
 * `rateLimitPerSecond`). With `stateDir` the emulator keeps its state (long poll position,
 * messages, files, users) on disk, so a restart continues where it stopped.
 *
 * Only Node built-ins are used, and nothing here depends on a test runner.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { keyboardFormatError } from './keyboard-check.js';

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

export interface FakeVkOptions {
  /** Id of the community the bot acts for. Default: 1. */
  groupId?: number;
  /** When set, more than N API requests within any 1-second window are answered with error 6. */
  rateLimitPerSecond?: number;
  /** Upper bound for how long a long-poll request is held open, in seconds. Default: 1. */
  longPollWaitCapSeconds?: number;
  /** Port to listen on (always 127.0.0.1). Default: 0, any free port. */
  port?: number;
  /**
   * Folder to keep the state in (created when missing). The state found there is loaded at start;
   * every change is written back shortly after it happens, and at `close()`.
   */
  stateDir?: string;
  /** How many long poll updates to keep; older ones are forgotten (a client asking for them gets `failed: 1`). Default: all. */
  longPollHistoryLimit?: number;
  /** Serves requests outside the VK routes (the sandbox's chat page); without it they get 404. */
  onOtherRequest?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;
}

/** An attachment as VK puts it into a message object, e.g. `{ type: 'photo', photo: {...} }`. */
export type FakeAttachment = { type: string } & Record<string, unknown>;

export interface SendMessageOptions {
  /** An object is JSON-encoded; a string is passed as-is (useful to simulate invalid JSON). */
  payload?: unknown;
  attachments?: FakeAttachment[];
  /** Conversation the message is written in. Default: `fromId`; ≥ 2e9 for a group chat. */
  peerId?: number;
}

/** A VK API error answered instead of the method's result. */
export type ApiFailure = { code: number; message?: string };
/** A failure of the whole HTTP request: a status with a non-JSON body, or a destroyed socket. */
export type TransportFailure = { http: number } | { reset: true };
export type InjectedFailure = ApiFailure | TransportFailure;

/** Random faults for drills: see `FakeVk.failRandomly`. */
export interface RandomFaults {
  /** Probability (0–1) that one call of a listed method fails. */
  rate: number;
  /** Picked uniformly for each failing call; a transport failure fails the whole HTTP request carrying the call. */
  failures: InjectedFailure[];
  /** Methods that may fail (calls inside an `execute` too). Default: every method. */
  methods?: string[];
  /** Probability (0–1) that an API request is answered only after `slowMs`. */
  slowRate?: number;
  slowMs?: number;
  /** Default: Math.random. */
  random?: () => number;
}

export interface FakeUser {
  first_name: string;
  last_name: string;
  screen_name?: string;
}

export interface SentMessage {
  peerId: number;
  randomId: number;
  message: string;
  /** The `keyboard` param, JSON-decoded. */
  keyboard?: any;
  /** The raw `attachment` param, e.g. `photo-1_457239017_abc,doc-1_651001`. */
  attachment?: string;
  payload?: string;
  messageId: number;
  conversationMessageId: number;
  /** `Date.now()` when the message was accepted. */
  at: number;
}

/** A message a user wrote to the community through `sendMessage`. */
export interface ReceivedMessage {
  fromId: number;
  peerId: number;
  /** 0 in group chats, as VK gives the community no mailbox id there. */
  messageId: number;
  conversationMessageId: number;
  text: string;
  payload?: string;
  attachments: FakeAttachment[];
  /** `Date.now()` when the message was written. */
  at: number;
}

export interface SendMessageEventOptions {
  /** Default: `userId` (a private dialog). */
  peerId?: number;
  /** The message whose callback button was pressed. */
  conversationMessageId?: number;
}

/** A `messages.sendMessageEventAnswer` call: the community's answer to a callback button press. */
export interface EventAnswer {
  eventId: string;
  userId: number;
  peerId: number;
  /** The decoded `event_data`, e.g. `{ type: 'show_snackbar', text: '…' }`; absent when only the spinner is stopped. */
  eventData?: Record<string, unknown>;
  at: number;
}

export interface StoredDoc {
  id: number;
  ownerId: number;
  title: string;
  /** Upload type requested from docs.getMessagesUploadServer: `doc`, `audio_message`, `graffiti`. */
  type: string;
  ext: string;
  bytes: Buffer;
}

export interface StoredPhoto {
  id: number;
  ownerId: number;
  accessKey: string;
  bytes: Buffer;
}

export interface RequestLogEntry {
  method: string;
  at: number;
  /** Top-level VK error code the request was answered with, if any. */
  errorCode?: number;
  /** For an `execute`: the methods it carried, in order. */
  calls?: string[];
}

export interface FakeVk {
  /** Pass as vk-io's `apiBaseUrl`, e.g. `http://127.0.0.1:PORT/method`. */
  readonly apiBaseUrl: string;
  /** Server root, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly groupId: number;
  /** The only accepted access_token; any other token gets error 5. */
  readonly token: string;

  /** Simulates a user writing to the community; delivered through the long poll as `message_new`. */
  sendMessage(fromId: number, text: string, opts?: SendMessageOptions): { eventId: string; update: object };
  /** The `message_new` update `sendMessage` would deliver, not delivered: for posting to a Callback API endpoint. */
  createMessageUpdate(fromId: number, text: string, opts?: SendMessageOptions): { eventId: string; update: object };
  /** Appends any raw Bots Long Poll update (push the same object twice to simulate a duplicate). */
  pushRawUpdate(update: object): void;
  /** Creates a photo "uploaded by a user", ready to be attached to `sendMessage`. Bytes default to a 1×1 PNG. */
  uploadUserPhoto(ownerId: number, bytes?: Buffer): FakeAttachment;
  /** Creates a document "uploaded by a user" (served at `/files/…`), ready to be attached to `sendMessage`. */
  uploadUserDocument(ownerId: number, filename: string, bytes: Buffer): FakeAttachment;
  /** Simulates a user pressing a callback button; delivered through the long poll as `message_event`. */
  sendMessageEvent(userId: number, payload: unknown, opts?: SendMessageEventOptions): { eventId: string; update: object };

  /** Every message users wrote with `sendMessage`, in order. */
  readonly received: ReceivedMessage[];
  /** Every answer to a callback button press, in order. */
  readonly eventAnswers: EventAnswer[];

  /** Every message the community sent, in order (random_id duplicates are not repeated). */
  readonly sent: SentMessage[];
  /** messages.send calls dropped because their (peer, random_id) was used before: each a repeated send. */
  readonly resent: { peerId: number; randomId: number }[];
  messagesTo(peerId: number): SentMessage[];
  /** Resolves with all messages to `peerId` once there are at least `count`; rejects after `timeoutMs` (default 5000). */
  waitForMessages(peerId: number, count: number, timeoutMs?: number): Promise<SentMessage[]>;

  /**
   * Makes the next `times` (default 1) calls of `method` fail. API errors fail just that call (also
   * inside `execute`); `http` and `reset` fail the whole HTTP request carrying the call.
   */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  /** messages.send to this peer fails with error 901, as if the user never allowed messages. */
  blockUser(peerId: number): void;
  /** From now on, calls fail at random and answers are slowed (`null` stops it). Queued `failNext` failures come first. */
  failRandomly(faults: RandomFaults | null): void;
  /** Every random fault injected so far (slowed answers as `{ slow: ms }`; `peerId` of a failed messages.send), in order. */
  readonly randomFaults: { method: string; failure: InjectedFailure | { slow: number }; peerId?: number }[];

  /** Long-poll requests being held open right now. */
  readonly longPollsWaiting: number;

  /** Known users, for users.get and utils.resolveScreenName. */
  readonly users: Map<number, FakeUser>;
  readonly documents: StoredDoc[];
  /** Photos uploaded by the bot (user photos from `uploadUserPhoto` are not listed). */
  readonly photos: StoredPhoto[];
  /** Every API request, in arrival order; an `execute` batch is one entry named `execute`. */
  readonly requestLog: RequestLogEntry[];

  /** Writes the state to `stateDir` now (no-op without one). Changes are also written on their own shortly after. */
  flush(): void;
  /** Ends pending long polls and waiters, writes the state, stops listening. */
  close(): Promise<void>;
}

export async function startFakeVk(options: FakeVkOptions = {}): Promise<FakeVk> {
  const server = createServer();
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    // The state is restored before the first request is routed: nobody sees a half-restored emulator.
    return new FakeVkServer(server, `http://127.0.0.1:${port}`, options);
  } catch (error) {
    server.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

const API_VERSION = '5.199';
const CHAT_PEER_OFFSET = 2_000_000_000;
const MAX_MESSAGE_LENGTH = 4096;
const MAX_EXECUTE_CALLS = 25;
const MAX_API_BODY_BYTES = 1024 * 1024;
const MAX_UPLOAD_BODY_BYTES = 50 * 1024 * 1024;
/** The long poll hold VK uses when `wait` is not given. */
const DEFAULT_LONG_POLL_WAIT_SECONDS = 25;
/** ts of the first update; the long poll update log is indexed from here. */
const FIRST_TS = 1;

// Distinct starting points make accidental id mix-ups visible in tests.
const FIRST_MESSAGE_ID = 1;
const FIRST_PHOTO_ID = 457_239_001;
const FIRST_DOC_ID = 651_001;

const CLIENT_INFO = {
  button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'],
  keyboard: true,
  inline_keyboard: true,
  carousel: true,
  lang_id: 0,
};

/** Nominal photo sizes; every size serves the same bytes. */
const PHOTO_SIZES = [
  { type: 's', width: 75, height: 75 },
  { type: 'm', width: 130, height: 130 },
  { type: 'x', width: 604, height: 604 },
  { type: 'y', width: 807, height: 807 },
  { type: 'z', width: 1080, height: 1080 },
];

/** VK numeric document types by extension; anything else is 8 ("unknown"). */
const DOC_TYPES_BY_EXT: Record<string, number> = {
  txt: 1, pdf: 1, doc: 1, docx: 1, xls: 1, xlsx: 1, odt: 1, rtf: 1, csv: 1,
  zip: 2, rar: 2, '7z': 2,
  gif: 3,
  jpg: 4, jpeg: 4, png: 4, webp: 4,
  mp3: 5, ogg: 5, wav: 5,
  mp4: 6, avi: 6,
  epub: 7, fb2: 7,
};

const CONTENT_TYPES_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf', txt: 'text/plain; charset=utf-8', csv: 'text/csv; charset=utf-8',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** A valid 1×1 transparent PNG, the default content of user photos. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const ERROR_MESSAGES: Record<number, string> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  10: 'Internal server error',
  12: 'Unable to compile code',
  13: 'Runtime error occurred during code invocation',
  15: 'Access denied',
  100: 'One of the parameters specified was missing or invalid',
  113: 'Invalid user id',
  121: 'Invalid hash',
  901: "Can't send messages for users without permission",
  911: 'Keyboard format is invalid',
  914: 'Message is too long',
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

/** API params as VK receives them: every value is a string. */
type Params = Record<string, string>;
type MethodHandler = (params: Params) => unknown;

interface PendingFailure {
  failure: InjectedFailure;
  remaining: number;
}

interface PendingUpload {
  kind: 'photo' | 'doc';
  /** For documents: the `type` requested from the upload server. */
  docType: string;
  filename: string;
  bytes: Buffer;
}

interface StoredFile {
  bytes: Buffer;
  contentType: string;
  /** Documents keep their title, so a download is saved under it. */
  filename?: string;
}

/** Pending callback button presses, by the `event_id` VK put into `message_event`. */
interface MessageEvent {
  userId: number;
  peerId: number;
  answered: boolean;
}

const STATE_VERSION = 1;
const STATE_FILE = 'state.json';
const FILES_DIR = 'files';
/** Changes are written this long after the first of them, so a burst of messages is one write. */
const SAVE_DELAY_MS = 100;

/** What `stateDir` holds besides the files: everything a restart needs to continue. */
interface PersistedState {
  version: typeof STATE_VERSION;
  groupId: number;
  /** Server root the URLs inside the state point at; rewritten when the port changes. */
  url: string;
  firstTs: number;
  updates: object[];
  nextMessageId: number;
  nextPhotoId: number;
  nextDocId: number;
  conversationMessageIds: [number, number][];
  sent: SentMessage[];
  received: ReceivedMessage[];
  eventAnswers: EventAnswer[];
  messageEvents: [string, MessageEvent][];
  users: [number, FakeUser][];
  blockedPeers: number[];
  documents: Omit<StoredDoc, 'bytes'>[];
  photos: Omit<StoredPhoto, 'bytes'>[];
  files: { key: string; contentType: string; filename?: string }[];
}

interface LongPollWaiter {
  ts: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

/** A VK API error; `detail` is appended to the standard message like VK does (`...: peer_id is undefined`). */
/** Thrown out of a method call to fail the whole HTTP request carrying it (random faults). */
class RandomTransportFault extends Error {
  constructor(readonly failure: TransportFailure) {
    super('transport fault');
  }
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    detail?: string,
  ) {
    const base = ERROR_MESSAGES[code] ?? 'Unknown error occurred';
    super(detail ? `${base}: ${detail}` : base);
  }

  /** An error with a message that replaces the standard one entirely. */
  static withMessage(code: number, message: string): ApiError {
    const error = new ApiError(code);
    error.message = message;
    return error;
  }
}

/** An error answered with a plain HTTP status instead of a VK error object. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class FakeVkServer implements FakeVk {
  readonly apiBaseUrl: string;
  readonly groupId: number;
  readonly token = randomBytes(32).toString('hex');

  readonly sent: SentMessage[] = [];
  readonly resent: { peerId: number; randomId: number }[] = [];
  readonly received: ReceivedMessage[] = [];
  readonly eventAnswers: EventAnswer[] = [];
  readonly users = new Map<number, FakeUser>();
  readonly documents: StoredDoc[] = [];
  readonly photos: StoredPhoto[] = [];
  readonly requestLog: RequestLogEntry[] = [];

  private readonly longPollWaitCapSeconds: number;
  private readonly longPollHistoryLimit: number;
  private readonly rateLimitPerSecond: number | undefined;
  private readonly stateDir: string | undefined;
  private readonly onOtherRequest: FakeVkOptions['onOtherRequest'];
  private saveTimer: NodeJS.Timeout | undefined;

  private readonly events = new EventEmitter().setMaxListeners(0);
  private readonly handlers: Map<string, MethodHandler>;
  private closed = false;

  /** Long poll update log; the update at index i has ts `firstTs + i`. */
  private updates: object[] = [];
  /** ts of `updates[0]`; grows when old updates are forgotten (`longPollHistoryLimit`). */
  private firstTs = FIRST_TS;
  private readonly longPollKeys = new Set<string>();
  private readonly longPollWaiters = new Set<LongPollWaiter>();

  private nextMessageId = FIRST_MESSAGE_ID;
  private nextPhotoId = FIRST_PHOTO_ID;
  private nextDocId = FIRST_DOC_ID;
  private readonly conversationMessageIds = new Map<number, number>();
  /** `${peerId}:${randomId}` → the message that was sent with it. */
  private readonly sentByRandomId = new Map<string, SentMessage>();
  private readonly blockedPeers = new Set<number>();
  private readonly messageEvents = new Map<string, MessageEvent>();

  private readonly failures = new Map<string, PendingFailure[]>();
  private faults: RandomFaults | null = null;
  readonly randomFaults: { method: string; failure: InjectedFailure | { slow: number }; peerId?: number }[] = [];
  /** Timestamps of recent requests; only one token is accepted, so this window is per token. */
  private recentRequests: number[] = [];

  private readonly pendingUploads = new Map<string, PendingUpload>();
  private readonly files = new Map<string, StoredFile>();

  constructor(
    private readonly server: Server,
    readonly url: string,
    options: FakeVkOptions,
  ) {
    this.apiBaseUrl = `${url}/method`;
    this.groupId = options.groupId ?? 1;
    this.longPollWaitCapSeconds = options.longPollWaitCapSeconds ?? 1;
    this.longPollHistoryLimit = options.longPollHistoryLimit ?? Number.POSITIVE_INFINITY;
    this.rateLimitPerSecond = options.rateLimitPerSecond;
    this.stateDir = options.stateDir;
    this.onOtherRequest = options.onOtherRequest;
    this.handlers = this.createHandlers();
    if (this.stateDir !== undefined) this.restore(this.stateDir);

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) => replyToUnexpectedError(res, error));
    });
  }

  // --- Test-facing controls -------------------------------------------------

  sendMessage(fromId: number, text: string, opts: SendMessageOptions = {}): { eventId: string; update: object } {
    const created = this.createMessageUpdate(fromId, text, opts);
    const { message } = (created.update as { object: { message: Record<string, unknown> } }).object;
    const received: ReceivedMessage = {
      fromId,
      peerId: message.peer_id as number,
      messageId: message.id as number,
      conversationMessageId: message.conversation_message_id as number,
      text,
      attachments: opts.attachments ?? [],
      at: Date.now(),
    };
    if (typeof message.payload === 'string') received.payload = message.payload;
    this.received.push(received);
    this.pushRawUpdate(created.update);
    return created;
  }

  createMessageUpdate(fromId: number, text: string, opts: SendMessageOptions = {}): { eventId: string; update: object } {
    const peerId = opts.peerId ?? fromId;
    const isChat = peerId >= CHAT_PEER_OFFSET;
    const message: Record<string, unknown> = {
      date: unixTime(),
      from_id: fromId,
      // In group chats the community does not get a mailbox message id, only conversation_message_id.
      id: isChat ? 0 : this.nextMessageId++,
      out: 0,
      peer_id: peerId,
      text,
      conversation_message_id: this.nextConversationMessageId(peerId),
      attachments: opts.attachments ?? [],
      fwd_messages: [],
      important: false,
      is_hidden: false,
    };
    if (opts.payload !== undefined) {
      message.payload = typeof opts.payload === 'string' ? opts.payload : JSON.stringify(opts.payload);
    }

    const eventId = randomBytes(20).toString('hex');
    const update = {
      group_id: this.groupId,
      type: 'message_new',
      event_id: eventId,
      v: API_VERSION,
      object: { message, client_info: CLIENT_INFO },
    };
    return { eventId, update };
  }

  sendMessageEvent(userId: number, payload: unknown, opts: SendMessageEventOptions = {}): { eventId: string; update: object } {
    const peerId = opts.peerId ?? userId;
    // VK's own event_id of a button press is a short hex string, distinct from the update's event_id.
    const buttonEventId = randomBytes(6).toString('hex');
    this.messageEvents.set(buttonEventId, { userId, peerId, answered: false });
    const object: Record<string, unknown> = { user_id: userId, peer_id: peerId, event_id: buttonEventId, payload };
    if (opts.conversationMessageId !== undefined) object.conversation_message_id = opts.conversationMessageId;
    const eventId = randomBytes(20).toString('hex');
    const update = { group_id: this.groupId, type: 'message_event', event_id: eventId, v: API_VERSION, object };
    this.pushRawUpdate(update);
    return { eventId: buttonEventId, update };
  }

  pushRawUpdate(update: object): void {
    this.updates.push(update);
    const excess = this.updates.length - this.longPollHistoryLimit;
    if (excess > 0) {
      this.updates.splice(0, excess);
      this.firstTs += excess;
    }
    const nextTs = this.nextTs();
    for (const waiter of this.longPollWaiters) {
      if (waiter.ts < nextTs) this.answerLongPoll(waiter);
    }
    this.changed();
  }

  uploadUserPhoto(ownerId: number, bytes: Buffer = TINY_PNG): FakeAttachment {
    const id = this.nextPhotoId++;
    const accessKey = randomBytes(9).toString('hex');
    const photo = { type: 'photo', photo: this.storePhotoFile(id, ownerId, accessKey, bytes) };
    this.changed();
    return photo;
  }

  get longPollsWaiting(): number {
    return this.longPollWaiters.size;
  }

  uploadUserDocument(ownerId: number, filename: string, bytes: Buffer): FakeAttachment {
    const id = this.nextDocId++;
    const ext = extensionOf(filename);
    const fileKey = `doc${ownerId}_${id}`;
    this.storeFile(fileKey, { bytes, contentType: contentTypeOf(ext), filename });
    this.changed();
    return {
      type: 'doc',
      doc: {
        id,
        owner_id: ownerId,
        title: filename,
        size: bytes.length,
        ext,
        date: unixTime(),
        type: ownValue(DOC_TYPES_BY_EXT, ext) ?? 8,
        url: `${this.url}/files/${fileKey}`,
        access_key: randomBytes(9).toString('hex'),
      },
    };
  }

  messagesTo(peerId: number): SentMessage[] {
    return this.sent.filter((message) => message.peerId === peerId);
  }

  waitForMessages(peerId: number, count: number, timeoutMs = 5000): Promise<SentMessage[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const messages = this.messagesTo(peerId);
        if (messages.length < count) return;
        cleanup();
        resolve(messages);
      };
      const onClose = (): void => {
        cleanup();
        reject(new Error(`Fake VK was closed while waiting for ${count} message(s) to peer ${peerId}.\n${this.describeSent(peerId)}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Expected at least ${count} message(s) to peer ${peerId} within ${timeoutMs} ms.\n${this.describeSent(peerId)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('sent', check);
        this.events.off('close', onClose);
      };

      this.events.on('sent', check);
      this.events.on('close', onClose);
      check();
    });
  }

  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, remaining: times });
    this.failures.set(method, queue);
  }

  failRandomly(faults: RandomFaults | null): void {
    this.faults = faults;
  }

  blockUser(peerId: number): void {
    this.blockedPeers.add(peerId);
    this.changed();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.longPollWaiters) this.answerLongPoll(waiter);
    this.events.emit('close');
    this.flush();

    const serverClosed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await serverClosed;
  }

  // --- HTTP routing -----------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;

    try {
      if (path.startsWith('/method/')) {
        await this.handleApiRequest(safeDecode(path.slice('/method/'.length)), url, req, res);
      } else if (path === '/lp' && req.method === 'GET') {
        this.handleLongPoll(url, res);
      } else if (path === '/upload/photo' || path === '/upload/doc') {
        if (req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
        await this.handleUpload(path === '/upload/photo' ? 'photo' : 'doc', url, req, res);
      } else if (path.startsWith('/files/') && req.method === 'GET') {
        this.handleFileDownload(safeDecode(path.slice('/files/'.length)), res);
      } else if (this.onOtherRequest) {
        await this.onOtherRequest(req, res, url);
      } else {
        throw new HttpError(404, 'Not found');
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // The unread rest of a rejected body would corrupt the next request on a kept-alive socket.
      if (!req.complete) res.setHeader('connection', 'close');
      sendJson(res, error.status, { error: error.message, path });
    }
  }

  // --- API methods --------------------------------------------------------------

  private async handleApiRequest(method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: RequestLogEntry = { method, at: Date.now() };
    this.requestLog.push(entry);

    const params = await readApiParams(url, req);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = params.access_token ?? bearer;

    // Network-level failures hit the HTTP request itself, including an execute carrying the method.
    const calls = method === 'execute' ? tryParseExecuteMethods(params.code) : undefined;
    if (calls) entry.calls = calls;
    const carriedMethods = calls ? ['execute', ...calls] : [method];
    const transportFailure = this.takeTransportFailure(carriedMethods);
    if (transportFailure) {
      failTransport(req, res, transportFailure);
      return;
    }

    let body: object;
    try {
      this.authenticate(token);
      this.enforceRateLimit();
      body = method === 'execute' ? this.execute(params) : { response: this.invokeMethod(method, params) };
    } catch (error) {
      if (error instanceof RandomTransportFault) {
        failTransport(req, res, error.failure);
        return;
      }
      if (!(error instanceof ApiError)) throw error;
      entry.errorCode = error.code;
      body = { error: toErrorObject(error, method, params) };
    }
    const faults = this.faults;
    if (faults?.slowMs !== undefined && (faults.random ?? Math.random)() < (faults.slowRate ?? 0)) {
      this.randomFaults.push({ method, failure: { slow: faults.slowMs } });
      await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    }
    sendJson(res, 200, body);
  }

  private authenticate(token: string | undefined): void {
    if (token === undefined || token === '') {
      throw ApiError.withMessage(5, 'User authorization failed: no access_token passed.');
    }
    if (token !== this.token) throw new ApiError(5);
  }

  /** Sliding one-second window; rejected requests do not count against the limit. */
  private enforceRateLimit(): void {
    if (this.rateLimitPerSecond === undefined) return;
    const now = Date.now();
    this.recentRequests = this.recentRequests.filter((at) => now - at < 1000);
    if (this.recentRequests.length >= this.rateLimitPerSecond) throw new ApiError(6);
    this.recentRequests.push(now);
  }

  /** Runs one method call: a pending injected API error, else its handler. */
  private invokeMethod(method: string, params: Params): unknown {
    const injected = this.takeApiFailure(method) ?? this.takeRandomFault(method, params);
    if (injected) throw injected;
    const handler = this.handlers.get(method);
    if (!handler) throw new ApiError(3, `${method}`);
    return handler(params);
  }

  /**
   * Runs the VKScript vk-io generates for batched calls. Failed calls become `false` in `response`,
   * with their errors in `execute_errors`, in order.
   */
  private execute(params: Params): object {
    const injected = this.takeApiFailure('execute');
    if (injected) throw injected;

    const calls = parseExecuteCode(params.code ?? '');
    if (calls.length > MAX_EXECUTE_CALLS) {
      throw new ApiError(13, `too many API calls (${calls.length} > ${MAX_EXECUTE_CALLS})`);
    }

    const response: unknown[] = [];
    const executeErrors: { method: string; error_code: number; error_msg: string }[] = [];
    for (const call of calls) {
      try {
        response.push(this.invokeMethod(call.method, call.params));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        response.push(false);
        executeErrors.push({ method: call.method, error_code: error.code, error_msg: error.message });
      }
    }
    return executeErrors.length > 0 ? { response, execute_errors: executeErrors } : { response };
  }

  /** The first of `methods` whose next injected failure is a transport one, consumed. */
  private takeTransportFailure(methods: string[]): TransportFailure | undefined {
    for (const method of methods) {
      const failure = this.failures.get(method)?.[0]?.failure;
      if (failure && isTransportFailure(failure)) {
        this.consumeFailure(method);
        return failure;
      }
    }
    return undefined;
  }

  /**
   * A random fault for this call, if one is due: an ApiError, or a RandomTransportFault the request
   * handler turns into a failed HTTP request (calls before it in an execute have taken effect, as when
   * a connection drops after VK did the work).
   */
  private takeRandomFault(method: string, params: Params): ApiError | RandomTransportFault | undefined {
    const faults = this.faults;
    if (!faults || faults.failures.length === 0 || (faults.methods && !faults.methods.includes(method))) return undefined;
    const random = faults.random ?? Math.random;
    if (random() >= faults.rate) return undefined;
    const failure = faults.failures[Math.floor(random() * faults.failures.length)]!;
    this.randomFaults.push({ method, failure, ...(params.peer_id !== undefined ? { peerId: Number(params.peer_id) } : {}) });
    if (isTransportFailure(failure)) return new RandomTransportFault(failure);
    return failure.message !== undefined ? ApiError.withMessage(failure.code, failure.message) : new ApiError(failure.code);
  }

  private takeApiFailure(method: string): ApiError | undefined {
    const failure = this.failures.get(method)?.[0]?.failure;
    if (!failure || isTransportFailure(failure)) return undefined;
    this.consumeFailure(method);
    return failure.message !== undefined ? ApiError.withMessage(failure.code, failure.message) : new ApiError(failure.code);
  }

  private consumeFailure(method: string): void {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
  }

  private createHandlers(): Map<string, MethodHandler> {
    return new Map(Object.entries<MethodHandler>({
      'groups.getById': (p) => this.groupsGetById(p),
      'groups.getLongPollServer': (p) => this.groupsGetLongPollServer(p),
      'messages.send': (p) => this.messagesSend(p),
      'users.get': (p) => this.usersGet(p),
      'utils.resolveScreenName': (p) => this.resolveScreenName(p),
      'photos.getMessagesUploadServer': () => ({
        album_id: -64,
        upload_url: `${this.url}/upload/photo?gid=${this.groupId}`,
        user_id: 0,
        group_id: this.groupId,
      }),
      'photos.saveMessagesPhoto': (p) => this.photosSaveMessagesPhoto(p),
      'docs.getMessagesUploadServer': (p) => this.docsGetUploadServer(p, { requirePeer: true }),
      'docs.getUploadServer': (p) => this.docsGetUploadServer(p, { requirePeer: false }),
      'docs.save': (p) => this.docsSave(p),
      'messages.sendMessageEventAnswer': (p) => this.messagesSendMessageEventAnswer(p),
    }));
  }

  private groupsGetById(p: Params): unknown {
    const requested = p.group_ids ?? p.group_id;
    if (requested !== undefined && !splitList(requested).every((id) => this.isOwnGroupReference(id))) {
      throw new ApiError(100, 'group_ids is invalid');
    }
    return {
      groups: [{ id: this.groupId, name: 'Школа', screen_name: `club${this.groupId}`, is_closed: 0, type: 'group' }],
      profiles: [],
    };
  }

  private groupsGetLongPollServer(p: Params): unknown {
    if (p.group_id === undefined) throw new ApiError(100, 'group_id is undefined');
    if (Number(p.group_id) !== this.groupId) throw new ApiError(15, 'no access to this group');

    const key = randomBytes(20).toString('hex');
    this.longPollKeys.add(key);
    return { server: `${this.url}/lp`, key, ts: String(this.nextTs()) };
  }

  private messagesSend(p: Params): unknown {
    const randomId = parseInteger(p.random_id, 'random_id');
    const message = p.message ?? '';
    const attachment = p.attachment || undefined;
    if (message.trim() === '' && attachment === undefined && !p.sticker_id && !p.forward_messages && !p.forward) {
      throw new ApiError(100, 'message is empty or invalid');
    }
    if (message.length > MAX_MESSAGE_LENGTH) throw new ApiError(914);

    let keyboard: unknown;
    if (p.keyboard) {
      const problem = keyboardFormatError(p.keyboard);
      if (problem) throw new ApiError(911, problem);
      keyboard = JSON.parse(p.keyboard);
    }

    const draft = { randomId, message, keyboard, attachment, payload: p.payload };

    if (p.peer_ids !== undefined) {
      const peerIds = splitList(p.peer_ids).map((id) => parseInteger(id, 'peer_ids'));
      if (peerIds.length === 0) throw new ApiError(100, 'peer_ids is undefined');
      return peerIds.map((peerId) => {
        if (this.blockedPeers.has(peerId)) {
          return { peer_id: peerId, error: { code: 901, description: ERROR_MESSAGES[901] } };
        }
        const sent = this.deliver(peerId, draft);
        return { peer_id: peerId, message_id: sent.messageId, conversation_message_id: sent.conversationMessageId };
      });
    }

    const peerId = parseInteger(p.peer_id ?? p.user_id, 'peer_id');
    if (this.blockedPeers.has(peerId)) throw new ApiError(901);
    return this.deliver(peerId, draft).messageId;
  }

  private messagesSendMessageEventAnswer(p: Params): unknown {
    const eventId = p.event_id ?? '';
    const userId = parseInteger(p.user_id, 'user_id');
    const peerId = parseInteger(p.peer_id, 'peer_id');
    const event = this.messageEvents.get(eventId);
    if (!event || event.userId !== userId || event.peerId !== peerId) throw new ApiError(100, 'event_id is invalid');
    // VK lets a press be answered once; the button's spinner is gone after that.
    if (event.answered) throw new ApiError(100, 'event_id is already answered');
    let eventData: Record<string, unknown> | undefined;
    if (p.event_data) {
      try {
        eventData = JSON.parse(p.event_data) as Record<string, unknown>;
      } catch {
        throw new ApiError(100, 'event_data is invalid');
      }
      if (typeof eventData !== 'object' || eventData === null || Array.isArray(eventData)) throw new ApiError(100, 'event_data is invalid');
    }
    event.answered = true;
    const answer: EventAnswer = { eventId, userId, peerId, at: Date.now() };
    if (eventData !== undefined) answer.eventData = eventData;
    this.eventAnswers.push(answer);
    this.events.emit('answer', answer);
    this.changed();
    return 1;
  }

  /** Records an outgoing message, or returns the original one when (peer, random_id) was already used. */
  private deliver(
    peerId: number,
    draft: { randomId: number; message: string; keyboard: unknown; attachment: string | undefined; payload: string | undefined },
  ): SentMessage {
    // Like VK, random_id 0 disables the duplicate check.
    const dedupKey = `${peerId}:${draft.randomId}`;
    const original = draft.randomId !== 0 ? this.sentByRandomId.get(dedupKey) : undefined;
    if (original) {
      this.resent.push({ peerId, randomId: draft.randomId });
      return original;
    }

    const sent: SentMessage = {
      peerId,
      randomId: draft.randomId,
      message: draft.message,
      messageId: this.nextMessageId++,
      conversationMessageId: this.nextConversationMessageId(peerId),
      at: Date.now(),
    };
    if (draft.keyboard !== undefined) sent.keyboard = draft.keyboard;
    if (draft.attachment !== undefined) sent.attachment = draft.attachment;
    if (draft.payload !== undefined) sent.payload = draft.payload;

    this.sent.push(sent);
    if (draft.randomId !== 0) this.sentByRandomId.set(dedupKey, sent);
    this.events.emit('sent', sent);
    this.changed();
    return sent;
  }

  private usersGet(p: Params): unknown {
    const fields = new Set(splitList(p.fields ?? ''));
    return splitList(p.user_ids ?? p.user_id ?? '').map((reference) => {
      const found = this.findUser(reference);
      if (!found) throw new ApiError(113);
      const [id, user] = found;
      return {
        id,
        first_name: user.first_name,
        last_name: user.last_name,
        // Like VK, screen_name is only returned when requested through `fields`.
        ...(fields.has('screen_name') ? { screen_name: user.screen_name ?? `id${id}` } : {}),
        can_access_closed: true,
        is_closed: false,
      };
    });
  }

  private resolveScreenName(p: Params): unknown {
    const screenName = p.screen_name ?? '';
    if (this.isOwnGroupReference(screenName)) return { type: 'group', object_id: this.groupId };
    const found = /^\d+$/.test(screenName) ? undefined : this.findUser(screenName);
    return found ? { type: 'user', object_id: found[0] } : [];
  }

  private photosSaveMessagesPhoto(p: Params): unknown {
    const uploadKey = photoUploadKey(p.photo);
    if (uploadKey !== undefined && p.hash !== uploadHash(uploadKey)) throw new ApiError(121);
    const upload = this.takeUpload(uploadKey, 'photo');
    if (!upload) throw new ApiError(100, 'photos_list is invalid');

    const id = this.nextPhotoId++;
    const ownerId = -this.groupId;
    const accessKey = randomBytes(9).toString('hex');
    this.photos.push({ id, ownerId, accessKey, bytes: upload.bytes });
    const photo = this.storePhotoFile(id, ownerId, accessKey, upload.bytes);
    this.changed();
    return [photo];
  }

  private docsGetUploadServer(p: Params, { requirePeer }: { requirePeer: boolean }): unknown {
    if (requirePeer && p.peer_id === undefined) throw new ApiError(100, 'peer_id is undefined');
    const type = p.type ?? 'doc';
    return { upload_url: `${this.url}/upload/doc?type=${encodeURIComponent(type)}` };
  }

  private docsSave(p: Params): unknown {
    const upload = this.takeUpload(p.file, 'doc');
    if (!upload) throw new ApiError(100, 'file is invalid');

    const id = this.nextDocId++;
    const ownerId = -this.groupId;
    const ext = extensionOf(upload.filename);
    const title = p.title || upload.filename;
    this.documents.push({ id, ownerId, title, type: upload.docType, ext, bytes: upload.bytes });

    const fileKey = `doc${ownerId}_${id}`;
    this.storeFile(fileKey, { bytes: upload.bytes, contentType: contentTypeOf(ext), filename: title });
    this.changed();
    const doc = {
      id,
      owner_id: ownerId,
      title,
      size: upload.bytes.length,
      ext,
      date: unixTime(),
      type: ownValue(DOC_TYPES_BY_EXT, ext) ?? 8,
      url: `${this.url}/files/${fileKey}`,
    };
    return { type: upload.docType, [upload.docType]: doc };
  }

  // --- Uploads and files --------------------------------------------------------

  /** Removes and returns a pending upload of the given kind; each upload can be saved once. */
  private takeUpload(uploadKey: string | undefined, kind: PendingUpload['kind']): PendingUpload | undefined {
    if (uploadKey === undefined) return undefined;
    const upload = this.pendingUploads.get(uploadKey);
    if (!upload || upload.kind !== kind) return undefined;
    this.pendingUploads.delete(uploadKey);
    return upload;
  }

  private async handleUpload(kind: 'photo' | 'doc', url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_UPLOAD_BODY_BYTES);
    const parts = parseMultipart(body, req.headers['content-type']);
    const field = kind === 'photo' ? 'photo' : 'file';
    const part = parts.find((candidate) => candidate.name === field && candidate.filename !== undefined);

    if (!part) {
      // VK's upload servers answer 200 with an error description rather than an HTTP error.
      sendJson(res, 200, { error: 'no_file', error_descr: `multipart field "${field}" with a file is required` });
      return;
    }

    const uploadKey = randomBytes(16).toString('hex');
    this.pendingUploads.set(uploadKey, {
      kind,
      docType: url.searchParams.get('type') ?? 'doc',
      filename: part.filename ?? 'file',
      bytes: part.data,
    });

    if (kind === 'photo') {
      sendJson(res, 200, { server: 1, photo: JSON.stringify([{ photo: uploadKey }]), hash: uploadHash(uploadKey) });
    } else {
      sendJson(res, 200, { file: uploadKey });
    }
  }

  private handleFileDownload(key: string, res: ServerResponse): void {
    const file = this.files.get(key);
    if (!file) throw new HttpError(404, 'File not found');
    const headers: Record<string, string | number> = { 'content-type': file.contentType, 'content-length': file.bytes.length };
    // Inline: a PDF opens in the browser; the name is what a "save" uses.
    if (file.filename !== undefined) headers['content-disposition'] = contentDisposition(file.filename);
    res.writeHead(200, headers);
    res.end(file.bytes);
  }

  /** Keeps a file for download; with `stateDir` also on disk (files never change once stored). */
  private storeFile(key: string, file: StoredFile): void {
    this.files.set(key, file);
    if (this.stateDir !== undefined) {
      const dir = join(this.stateDir, FILES_DIR);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, key), file.bytes);
    }
  }

  /** Stores the bytes for download and returns the photo object as VK shows it in messages. */
  private storePhotoFile(id: number, ownerId: number, accessKey: string, bytes: Buffer): Record<string, unknown> {
    const fileKey = `photo${ownerId}_${id}`;
    this.storeFile(fileKey, { bytes, contentType: sniffImageType(bytes) });
    const fileUrl = `${this.url}/files/${fileKey}`;
    return {
      album_id: -3,
      date: unixTime(),
      id,
      owner_id: ownerId,
      access_key: accessKey,
      sizes: PHOTO_SIZES.map((size) => ({ ...size, url: fileUrl })),
      text: '',
      has_tags: false,
    };
  }

  // --- Long poll ------------------------------------------------------------------

  private handleLongPoll(url: URL, res: ServerResponse): void {
    const key = url.searchParams.get('key');
    if (key === null || !this.longPollKeys.has(key)) {
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
    const waitSeconds = Math.max(0, Math.min(Number.isFinite(requestedWait) ? requestedWait : 0, this.longPollWaitCapSeconds));

    if (ts < this.nextTs() || waitSeconds === 0 || this.closed) {
      this.replyWithUpdates(res, ts);
      return;
    }
    const waiter: LongPollWaiter = {
      ts,
      res,
      timer: setTimeout(() => this.answerLongPoll(waiter), waitSeconds * 1000),
    };
    this.longPollWaiters.add(waiter);
    res.on('close', () => {
      clearTimeout(waiter.timer);
      this.longPollWaiters.delete(waiter);
    });
  }

  private answerLongPoll(waiter: LongPollWaiter): void {
    clearTimeout(waiter.timer);
    this.longPollWaiters.delete(waiter);
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

  private nextTs(): number {
    return this.firstTs + this.updates.length;
  }

  // --- Persistence --------------------------------------------------------------------

  /** Notes a change of the state; it is written shortly (one write for a burst of changes). */
  private changed(): void {
    if (this.stateDir === undefined || this.saveTimer !== undefined || this.closed) return;
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.stateDir === undefined) return;
    const state: PersistedState = {
      version: STATE_VERSION,
      groupId: this.groupId,
      url: this.url,
      firstTs: this.firstTs,
      updates: this.updates,
      nextMessageId: this.nextMessageId,
      nextPhotoId: this.nextPhotoId,
      nextDocId: this.nextDocId,
      conversationMessageIds: [...this.conversationMessageIds],
      sent: this.sent,
      received: this.received,
      eventAnswers: this.eventAnswers,
      messageEvents: [...this.messageEvents],
      users: [...this.users],
      blockedPeers: [...this.blockedPeers],
      documents: this.documents.map(({ bytes: _bytes, ...doc }) => doc),
      photos: this.photos.map(({ bytes: _bytes, ...photo }) => photo),
      files: [...this.files].map(([key, { contentType, filename }]) => ({ key, contentType, ...(filename === undefined ? {} : { filename }) })),
    };
    mkdirSync(this.stateDir, { recursive: true });
    // Write-then-rename: a crash mid-write leaves the previous state, never half a file.
    const path = join(this.stateDir, STATE_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(state));
    renameSync(`${path}.tmp`, path);
  }

  /** Loads the state a previous run left in `dir`, if any. */
  private restore(dir: string): void {
    const path = join(dir, STATE_FILE);
    if (!existsSync(path)) return;
    let state: PersistedState;
    try {
      const text = readFileSync(path, 'utf8');
      const { url } = JSON.parse(text) as { url?: unknown };
      // URLs inside stored messages point at the previous port: move them to this one.
      state = JSON.parse(typeof url === 'string' && url !== this.url ? text.replaceAll(`${url}/`, `${this.url}/`) : text) as PersistedState;
    } catch (error) {
      throw new Error(`The VK emulator state in ${path} cannot be read; delete the folder to start afresh`, { cause: error });
    }
    if (state.version !== STATE_VERSION) {
      throw new Error(`The VK emulator state in ${path} has version ${String(state.version)}, expected ${STATE_VERSION}; delete the folder to start afresh`);
    }
    if (state.groupId !== this.groupId) {
      throw new Error(`The VK emulator state in ${path} belongs to community ${state.groupId}, not ${this.groupId}`);
    }
    const readBytes = (key: string): Buffer => readFileSync(join(dir, FILES_DIR, key));
    for (const file of state.files) {
      this.files.set(file.key, { bytes: readBytes(file.key), contentType: file.contentType, ...(file.filename === undefined ? {} : { filename: file.filename }) });
    }
    this.firstTs = state.firstTs;
    this.updates = state.updates;
    this.nextMessageId = state.nextMessageId;
    this.nextPhotoId = state.nextPhotoId;
    this.nextDocId = state.nextDocId;
    for (const [peerId, id] of state.conversationMessageIds) this.conversationMessageIds.set(peerId, id);
    for (const message of state.sent) {
      this.sent.push(message);
      if (message.randomId !== 0) this.sentByRandomId.set(`${message.peerId}:${message.randomId}`, message);
    }
    this.received.push(...state.received);
    this.eventAnswers.push(...state.eventAnswers);
    for (const [eventId, event] of state.messageEvents) this.messageEvents.set(eventId, event);
    for (const [id, user] of state.users) this.users.set(id, user);
    for (const peerId of state.blockedPeers) this.blockedPeers.add(peerId);
    for (const doc of state.documents) this.documents.push({ ...doc, bytes: readBytes(`doc${doc.ownerId}_${doc.id}`) });
    for (const photo of state.photos) this.photos.push({ ...photo, bytes: readBytes(`photo${photo.ownerId}_${photo.id}`) });
  }

  // --- Helpers ----------------------------------------------------------------------

  private nextConversationMessageId(peerId: number): number {
    const next = (this.conversationMessageIds.get(peerId) ?? 0) + 1;
    this.conversationMessageIds.set(peerId, next);
    return next;
  }

  private findUser(reference: string): [number, FakeUser] | undefined {
    const numeric = /^(?:id)?(\d+)$/.exec(reference)?.[1];
    if (numeric !== undefined) {
      const user = this.users.get(Number(numeric));
      return user ? [Number(numeric), user] : undefined;
    }
    for (const [id, user] of this.users) {
      if (user.screen_name === reference) return [id, user];
    }
    return undefined;
  }

  private isOwnGroupReference(reference: string): boolean {
    const id = /^(?:club|public|-)?(\d+)$/.exec(reference)?.[1];
    return id !== undefined && Number(id) === this.groupId;
  }

  private describeSent(peerId: number): string {
    const lines = this.messagesTo(peerId).map((message, index) => {
      const extras = [message.keyboard !== undefined ? '[keyboard]' : '', message.attachment ? `[${message.attachment}]` : '']
        .filter(Boolean)
        .join(' ');
      return `  ${index + 1}. ${JSON.stringify(message.message)}${extras ? ` ${extras}` : ''}`;
    });
    const received = lines.length > 0 ? `Received:\n${lines.join('\n')}` : 'Received none.';
    const otherPeers = [...new Set(this.sent.map((message) => message.peerId).filter((id) => id !== peerId))];
    return otherPeers.length > 0 ? `${received}\nMessages were also sent to peers: ${otherPeers.join(', ')}.` : received;
  }
}

// ---------------------------------------------------------------------------
// execute code parsing
// ---------------------------------------------------------------------------

interface ExecuteCall {
  method: string;
  params: Params;
}

/**
 * Parses the only VKScript shape vk-io generates when batching calls:
 *
 *   return [API.messages.send({"peer_id":1,"random_id":5,"message":"hi"}),API.users.get({})];
 *
 * Anything else is answered with error 12, as VK does for code it cannot compile.
 */
function parseExecuteCode(code: string): ExecuteCall[] {
  return new ExecuteCodeScanner(code).parse();
}

/** Methods an execute carries, or none when the code does not parse (the error surfaces later). */
function tryParseExecuteMethods(code: string | undefined): string[] {
  try {
    return parseExecuteCode(code ?? '').map((call) => call.method);
  } catch {
    return [];
  }
}

class ExecuteCodeScanner {
  private position = 0;

  constructor(private readonly code: string) {}

  parse(): ExecuteCall[] {
    this.expect('return');
    this.expect('[');
    const calls: ExecuteCall[] = [];
    if (!this.tryConsume(']')) {
      do {
        calls.push(this.readCall());
      } while (this.tryConsume(','));
      this.expect(']');
    }
    this.tryConsume(';');
    this.skipWhitespace();
    if (this.position !== this.code.length) throw this.compileError('unexpected code after the return statement');
    return calls;
  }

  private readCall(): ExecuteCall {
    this.expect('API.');
    const match = /^[A-Za-z]+\.[A-Za-z0-9_]+/.exec(this.code.slice(this.position));
    if (!match) throw this.compileError('expected a method name after "API."');
    this.position += match[0].length;

    this.expect('(');
    let params: Params = {};
    this.skipWhitespace();
    if (this.code[this.position] !== ')') {
      params = toParams(this.parseJson(this.readJsonObject()));
    }
    this.expect(')');
    return { method: match[0], params };
  }

  /** Reads a balanced `{...}` starting at the current position, honouring strings and escapes. */
  private readJsonObject(): string {
    const start = this.position;
    if (this.code[start] !== '{') throw this.compileError('expected a parameters object');
    let depth = 0;
    while (this.position < this.code.length) {
      const char = this.code[this.position++];
      if (char === '"') {
        this.skipStringBody();
      } else if (char === '{' || char === '[') {
        depth += 1;
      } else if (char === '}' || char === ']') {
        depth -= 1;
        if (depth === 0) return this.code.slice(start, this.position);
      }
    }
    throw this.compileError('unterminated parameters object');
  }

  private parseJson(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw this.compileError('parameters are not valid JSON');
    }
  }

  /** Skips to just after the closing quote of a string whose opening quote was consumed. */
  private skipStringBody(): void {
    while (this.position < this.code.length) {
      const char = this.code[this.position++];
      if (char === '\\') this.position += 1;
      else if (char === '"') return;
    }
    throw this.compileError('unterminated string');
  }

  private expect(token: string): void {
    if (!this.tryConsume(token)) throw this.compileError(`expected "${token}"`);
  }

  private tryConsume(token: string): boolean {
    this.skipWhitespace();
    if (!this.code.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.code[this.position] ?? '')) this.position += 1;
  }

  private compileError(reason: string): ApiError {
    return new ApiError(12, `${reason} at position ${this.position}`);
  }
}

/** Converts decoded execute params to the all-strings form a regular HTTP call would have. */
function toParams(value: unknown): Params {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(12, 'method parameters must be an object');
  }
  const params: Params = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    if (Array.isArray(item)) params[key] = item.map(String).join(',');
    else if (typeof item === 'object') params[key] = JSON.stringify(item);
    else params[key] = String(item);
  }
  return params;
}

// ---------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'Payload too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Query string plus the body read as form-urlencoded (whatever its declared type, except multipart). */
async function readApiParams(url: URL, req: IncomingMessage): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const body = await readBody(req, MAX_API_BODY_BYTES);
  const isMultipart = (req.headers['content-type'] ?? '').startsWith('multipart/');
  if (body.length > 0 && !isMultipart) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  return params;
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser: splits by boundary and reads Content-Disposition/Content-Type. */
function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) return [];

  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const partStart = position + delimiter.length;
    // "--boundary--" closes the body.
    if (body.subarray(partStart, partStart + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;

    const part = trimCrlf(body.subarray(partStart, next));
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /content-disposition:[^\r\n]*?[;\s]name="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        const parsed: MultipartPart = { name, data: part.subarray(headerEnd + 4) };
        const filename = /content-disposition:[^\r\n]*?filename="([^"]*)"/i.exec(headers)?.[1];
        const partType = /^content-type:\s*([^\r\n]+)/im.exec(headers)?.[1];
        if (filename !== undefined) parsed.filename = decodeFilename(filename);
        if (partType !== undefined) parsed.contentType = partType.trim();
        parts.push(parsed);
      }
    }
    position = next;
  }
  return parts;
}

function trimCrlf(buffer: Buffer): Buffer {
  let start = 0;
  let end = buffer.length;
  if (buffer[0] === 0x0d && buffer[1] === 0x0a) start = 2;
  if (end - start >= 2 && buffer[end - 2] === 0x0d && buffer[end - 1] === 0x0a) end -= 2;
  return buffer.subarray(start, end);
}

/** form-data encoders escape `"`, CR and LF in filenames as %22, %0D, %0A. */
function decodeFilename(filename: string): string {
  return filename.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

function failTransport(req: IncomingMessage, res: ServerResponse, failure: TransportFailure): void {
  if ('reset' in failure) {
    req.socket.destroy();
    return;
  }
  // Gateways answer with HTML, so clients fail to decode the body as JSON.
  const body = `<html><body><h1>${failure.http}</h1></body></html>`;
  res.writeHead(failure.http, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function replyToUnexpectedError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { error: { error_code: 10, error_msg: `${ERROR_MESSAGES[10]}: ${detail}`, request_params: [] } });
}

function toErrorObject(error: ApiError, method: string, params: Params): object {
  const requestParams = [
    { key: 'method', value: method },
    { key: 'oauth', value: '1' },
    ...Object.entries(params)
      .filter(([key]) => key !== 'access_token')
      .map(([key, value]) => ({ key, value })),
  ];
  return { error_code: error.code, error_msg: error.message, request_params: requestParams };
}

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

function unixTime(): number {
  return Math.floor(Date.now() / 1000);
}

/** Record lookup that ignores inherited keys such as `constructor` (extensions come from user input). */
function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** decodeURIComponent that leaves malformed sequences as they are. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseInteger(value: string | undefined, name: string): number {
  if (value === undefined || value === '') throw new ApiError(100, `${name} is undefined`);
  const number = Number(value);
  if (!Number.isInteger(number)) throw new ApiError(100, `${name} is invalid`);
  return number;
}

function isTransportFailure(failure: InjectedFailure): failure is TransportFailure {
  return !('code' in failure);
}

/** The upload key inside the `photo` string the upload server returned (`[{"photo":"<key>"}]`). */
function photoUploadKey(photo: string | undefined): string | undefined {
  try {
    const key: unknown = (JSON.parse(photo ?? '[]') as { photo?: unknown }[])[0]?.photo;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

function uploadHash(uploadKey: string): string {
  return createHash('md5').update(uploadKey).digest('hex');
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot === -1 ? '' : filename.slice(dot + 1).toLowerCase();
}

function contentTypeOf(ext: string): string {
  return ownValue(CONTENT_TYPES_BY_EXT, ext) ?? 'application/octet-stream';
}

function sniffImageType(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(TINY_PNG.subarray(0, 8))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}

/** `inline` with the name twice: plain ASCII for old clients, RFC 5987 UTF-8 for the rest. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
