/** What the fake VK offers its users (the sandbox and the tests): options, the handle, and the records it keeps. */
import type { IncomingMessage, ServerResponse } from 'node:http';

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
  // biome-ignore lint/suspicious/noExplicitAny: VK's keyboard JSON as the bot sent it, which tests read into freely.
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
