/** The fake VK's HTTP server: routes requests to the API methods, the long poll and the upload servers. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, closeIfBodyUnread, readBody, sendJson } from '../http/io.js';
import { API_VERSION, ApiError, ERROR_MESSAGES, type Params, ownValue, toErrorObject, unixTime } from './api.js';
import { runExecute, tryParseExecuteMethods } from './execute.js';
import { Faults, RandomTransportFault, failTransport } from './faults.js';
import { LongPoll } from './long-poll.js';
import { Mailbox } from './mailbox.js';
import { type MethodContext, type MethodHandler, createMethodHandlers } from './methods.js';
import { restoreState, saveState } from './persistence.js';
import type {
  EventAnswer,
  FakeAttachment,
  FakeUser,
  FakeVk,
  FakeVkOptions,
  InjectedFailure,
  RandomFaults,
  ReceivedMessage,
  RequestLogEntry,
  SendMessageEventOptions,
  SendMessageOptions,
  SentMessage,
  StoredDoc,
  StoredPhoto,
} from './types.js';
import { DOC_TYPES_BY_EXT, TINY_PNG, Uploads, contentTypeOf, extensionOf } from './uploads.js';

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

const CHAT_PEER_OFFSET = 2_000_000_000;
const MAX_API_BODY_BYTES = 1024 * 1024;
/** Changes are written this long after the first of them, so a burst of messages is one write. */
const SAVE_DELAY_MS = 100;

const CLIENT_INFO = {
  button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'],
  keyboard: true,
  inline_keyboard: true,
  carousel: true,
  lang_id: 0,
};

class FakeVkServer implements FakeVk {
  readonly apiBaseUrl: string;
  readonly groupId: number;
  readonly token = randomBytes(32).toString('hex');

  private readonly mailbox = new Mailbox(() => this.changed());
  private readonly longPoll: LongPoll;
  private readonly uploads: Uploads;
  private readonly faults = new Faults();
  private readonly handlers: Map<string, MethodHandler>;

  readonly sent: SentMessage[] = this.mailbox.sent;
  readonly resent: { peerId: number; randomId: number }[] = this.mailbox.resent;
  readonly received: ReceivedMessage[] = this.mailbox.received;
  readonly eventAnswers: EventAnswer[] = this.mailbox.eventAnswers;
  readonly users: Map<number, FakeUser> = this.mailbox.users;
  readonly documents: StoredDoc[] = this.mailbox.documents;
  readonly photos: StoredPhoto[] = this.mailbox.photos;
  readonly randomFaults = this.faults.randomFaults;
  readonly requestLog: RequestLogEntry[] = [];

  private readonly rateLimitPerSecond: number | undefined;
  private readonly stateDir: string | undefined;
  private readonly onOtherRequest: FakeVkOptions['onOtherRequest'];
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Timestamps of recent requests; only one token is accepted, so this window is per token. */
  private recentRequests: number[] = [];

  constructor(
    private readonly server: Server,
    readonly url: string,
    options: FakeVkOptions,
  ) {
    this.apiBaseUrl = `${url}/method`;
    this.groupId = options.groupId ?? 1;
    this.longPoll = new LongPoll({
      waitCapSeconds: options.longPollWaitCapSeconds ?? 1,
      historyLimit: options.longPollHistoryLimit ?? Number.POSITIVE_INFINITY,
    });
    this.rateLimitPerSecond = options.rateLimitPerSecond;
    this.stateDir = options.stateDir;
    this.uploads = new Uploads(url, this.stateDir);
    this.onOtherRequest = options.onOtherRequest;
    this.handlers = createMethodHandlers(this.parts());
    if (this.stateDir !== undefined) restoreState(this.stateDir, this.parts());

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
      id: isChat ? 0 : this.mailbox.nextMessageId++,
      out: 0,
      peer_id: peerId,
      text,
      conversation_message_id: this.mailbox.nextConversationMessageId(peerId),
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
    this.mailbox.messageEvents.set(buttonEventId, { userId, peerId, answered: false });
    const object: Record<string, unknown> = { user_id: userId, peer_id: peerId, event_id: buttonEventId, payload };
    if (opts.conversationMessageId !== undefined) object.conversation_message_id = opts.conversationMessageId;
    const eventId = randomBytes(20).toString('hex');
    const update = { group_id: this.groupId, type: 'message_event', event_id: eventId, v: API_VERSION, object };
    this.pushRawUpdate(update);
    return { eventId: buttonEventId, update };
  }

  pushRawUpdate(update: object): void {
    this.longPoll.push(update);
    this.changed();
  }

  uploadUserPhoto(ownerId: number, bytes: Buffer = TINY_PNG): FakeAttachment {
    const id = this.mailbox.nextPhotoId++;
    const accessKey = randomBytes(9).toString('hex');
    const photo = { type: 'photo', photo: this.uploads.storePhotoFile(id, ownerId, accessKey, bytes) };
    this.changed();
    return photo;
  }

  get longPollsWaiting(): number {
    return this.longPoll.waiting;
  }

  uploadUserDocument(ownerId: number, filename: string, bytes: Buffer): FakeAttachment {
    const id = this.mailbox.nextDocId++;
    const ext = extensionOf(filename);
    const fileKey = `doc${ownerId}_${id}`;
    this.uploads.storeFile(fileKey, { bytes, contentType: contentTypeOf(ext), filename });
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
    return this.mailbox.messagesTo(peerId);
  }

  waitForMessages(peerId: number, count: number, timeoutMs = 5000): Promise<SentMessage[]> {
    return this.mailbox.waitForMessages(peerId, count, timeoutMs);
  }

  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.faults.failNext(method, failure, times);
  }

  failRandomly(faults: RandomFaults | null): void {
    this.faults.failRandomly(faults);
  }

  blockUser(peerId: number): void {
    this.mailbox.blockedPeers.add(peerId);
    this.changed();
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.stateDir !== undefined) saveState(this.stateDir, this.parts());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.longPoll.close();
    this.mailbox.events.emit('close');
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
        this.longPoll.handle(url, res);
      } else if (path === '/upload/photo' || path === '/upload/doc') {
        if (req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
        await this.uploads.handleUpload(path === '/upload/photo' ? 'photo' : 'doc', url, req, res);
      } else if (path.startsWith('/files/') && req.method === 'GET') {
        this.uploads.handleDownload(safeDecode(path.slice('/files/'.length)), res);
      } else if (this.onOtherRequest) {
        await this.onOtherRequest(req, res, url);
      } else {
        throw new HttpError(404, 'Not found');
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      closeIfBodyUnread(req, res);
      sendJson(res, error.status, { error: error.message, path });
    }
  }

  // --- API requests -------------------------------------------------------------

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
    const transportFailure = this.faults.takeTransportFailure(carriedMethods);
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
    await this.faults.slowDown(method);
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
    const injected = this.faults.takeApiFailure(method) ?? this.faults.takeRandomFault(method, params);
    if (injected) throw injected;
    const handler = this.handlers.get(method);
    if (!handler) throw new ApiError(3, `${method}`);
    return handler(params);
  }

  private execute(params: Params): object {
    const injected = this.faults.takeApiFailure('execute');
    if (injected) throw injected;
    return runExecute(params.code ?? '', (method, callParams) => this.invokeMethod(method, callParams));
  }

  // --- Persistence --------------------------------------------------------------------

  /** Notes a change of the state; it is written shortly (one write for a burst of changes). */
  private changed(): void {
    if (this.stateDir === undefined || this.saveTimer !== undefined || this.closed) return;
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  /** The parts the methods and the persistence work on. */
  private parts(): MethodContext {
    return { groupId: this.groupId, url: this.url, mailbox: this.mailbox, longPoll: this.longPoll, uploads: this.uploads, changed: () => this.changed() };
  }
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

function replyToUnexpectedError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { error: { error_code: 10, error_msg: `${ERROR_MESSAGES[10]}: ${detail}`, request_params: [] } });
}

/** decodeURIComponent that leaves malformed sequences as they are. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
