import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { HttpError, closeIfBodyUnread, readBody, sendJson } from '../http/io.js';
import type { Logger } from '../logger.js';
import { FIRST_ADDED_PERSONA_ID, type Persona, addedPersonaName, builtInPersonas } from './personas.js';
import type { FakeAttachment, FakeVk, ReceivedMessage, SentMessage } from '../fake-vk/index.js';

/**
 * Jobs the page can run at once ("send the reminders now"). They come from the scheduler; the
 * page shows a job's button only when it is given. Each resolves with a short report for the page.
 */
export interface SandboxJobs {
  runReminders(): Promise<string>;
  runSummary(): Promise<string>;
}

export interface SandboxWeb {
  /** Serves the page and its JSON API; the emulator hands over every request outside VK's routes. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** A message as the page draws it: one bubble, with its buttons and attachments. */
export interface ChatMessage {
  id: number;
  from: 'user' | 'bot';
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
  conversationMessageId: number;
  /** VK's keyboard object as the bot sent it (`inline`, `one_time`, `buttons`). */
  keyboard?: unknown;
  attachments: ChatAttachment[];
}

export type ChatAttachment =
  | { kind: 'photo'; url: string }
  | { kind: 'doc'; url: string; title: string; ext: string; size: number }
  | { kind: 'other'; type: string };

const MAX_TEXT_LENGTH = 4096;
const MAX_JSON_BYTES = 64 * 1024;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

const require = createRequire(import.meta.url);
const assets: Record<string, { path: string; type: string }> = {
  '/': { path: fileURLToPath(new URL('./chat-page.html', import.meta.url)), type: 'text/html; charset=utf-8' },
  '/assets/pt-sans-400.ttf': { path: require.resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf'), type: 'font/ttf' },
  '/assets/pt-sans-700.ttf': { path: require.resolve('@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf'), type: 'font/ttf' },
};

/**
 * The sandbox page: a VK-like chat in the browser. Everything it does goes through the emulator's
 * "user side" (sendMessage, sendMessageEvent, uploadUserPhoto), so the bot sees exactly what VK
 * would deliver, and the page draws exactly what the bot sent through the API.
 */
export function createSandboxWeb(deps: {
  emulator: FakeVk;
  school: { name: string; joinCode: string };
  jobs: () => SandboxJobs | undefined;
  /** The bot's own HTTP server, once it runs: the page forwards the administrators' page (/admin/) to it. */
  botPort?: () => number | undefined;
  logger: Logger;
}): SandboxWeb {
  const { emulator, school, jobs, logger } = deps;

  function personas(): Persona[] {
    const added = [...emulator.users]
      .filter(([id]) => id >= FIRST_ADDED_PERSONA_ID)
      .sort(([a], [b]) => a - b)
      .map(([vkId, user]): Persona => ({ vkId, firstName: user.first_name, lastName: user.last_name, role: 'teacher', note: 'Новый учитель' }));
    return [...builtInPersonas, ...added];
  }

  function persona(value: unknown): Persona {
    const id = typeof value === 'string' ? Number(value) : value;
    const found = personas().find((p) => p.vkId === id);
    if (!found) throw new HttpError(400, 'unknown persona');
    return found;
  }

  function addPersona(): Persona {
    const ids = [...emulator.users.keys()].filter((id) => id >= FIRST_ADDED_PERSONA_ID);
    const vkId = Math.max(FIRST_ADDED_PERSONA_ID - 1, ...ids) + 1;
    const name = addedPersonaName(vkId - FIRST_ADDED_PERSONA_ID + 1);
    emulator.users.set(vkId, { first_name: name.firstName, last_name: name.lastName });
    emulator.flush();
    return persona(vkId);
  }

  function chat(peerId: number, after: number): ChatMessage[] {
    const mine = emulator.received.filter((m) => m.peerId === peerId && m.messageId > after).map(fromUser);
    const bots = emulator.sent.filter((m) => m.peerId === peerId && m.messageId > after).map(fromBot);
    // User and community messages share VK's message id counter: it orders the dialog.
    return [...mine, ...bots].sort((a, b) => a.id - b.id);
  }

  function fromUser(message: ReceivedMessage): ChatMessage {
    return {
      id: message.messageId,
      from: 'user',
      text: message.text,
      at: message.at,
      conversationMessageId: message.conversationMessageId,
      attachments: message.attachments.map(userAttachment),
    };
  }

  function fromBot(message: SentMessage): ChatMessage {
    const view: ChatMessage = {
      id: message.messageId,
      from: 'bot',
      text: message.message,
      at: message.at,
      conversationMessageId: message.conversationMessageId,
      attachments: (message.attachment ?? '').split(',').filter(Boolean).map(botAttachment),
    };
    if (message.keyboard !== undefined) view.keyboard = message.keyboard;
    return view;
  }

  function userAttachment(attachment: FakeAttachment): ChatAttachment {
    const photo = attachment.photo as { owner_id?: unknown; id?: unknown } | undefined;
    if (attachment.type === 'photo' && photo) return { kind: 'photo', url: `/files/photo${String(photo.owner_id)}_${String(photo.id)}` };
    const doc = attachment.doc as { owner_id?: unknown; id?: unknown; title?: unknown; ext?: unknown; size?: unknown } | undefined;
    if (attachment.type === 'doc' && doc) {
      return { kind: 'doc', url: `/files/doc${String(doc.owner_id)}_${String(doc.id)}`, title: String(doc.title), ext: String(doc.ext), size: Number(doc.size) };
    }
    return { kind: 'other', type: attachment.type };
  }

  /** `photo-1_457239017_ab12`, `doc-1_651001` → a link to the stored file. */
  function botAttachment(reference: string): ChatAttachment {
    const match = /^(photo|doc)(-?\d+)_(\d+)(?:_\w+)?$/.exec(reference.trim());
    if (!match) return { kind: 'other', type: reference.replace(/[-\d_].*$/, '') };
    const [, type, ownerId, id] = match;
    const url = `/files/${type}${ownerId}_${id}`;
    if (type === 'photo') return { kind: 'photo', url };
    const doc = emulator.documents.find((d) => d.ownerId === Number(ownerId) && d.id === Number(id));
    return { kind: 'doc', url, title: doc?.title ?? `${type}${ownerId}_${id}`, ext: doc?.ext ?? '', size: doc?.bytes.length ?? 0 };
  }

  function lastMessage(peerId: number): { from: 'user' | 'bot'; text: string; at: number } | undefined {
    const mine = emulator.received.findLast((m) => m.peerId === peerId);
    const bots = emulator.sent.findLast((m) => m.peerId === peerId);
    if (!mine && !bots) return undefined;
    if (bots && (!mine || bots.messageId > mine.messageId)) return { from: 'bot', text: bots.message || '📎', at: bots.at };
    return { from: 'user', text: mine!.text || '📷', at: mine!.at };
  }

  function state(url: URL): object {
    const active = jobs();
    const peer = url.searchParams.get('persona');
    const after = Number(url.searchParams.get('after') ?? 0) || 0;
    const answersFrom = Number(url.searchParams.get('answers') ?? 0) || 0;
    const current = peer === null || peer === '' ? undefined : persona(peer);
    return {
      school,
      jobs: { reminders: active !== undefined, summary: active !== undefined },
      personas: personas().map((p) => ({
        id: p.vkId,
        name: `${p.firstName} ${p.lastName}`,
        role: p.role,
        note: p.note,
        last: lastMessage(p.vkId),
      })),
      messages: current ? chat(current.vkId, after) : [],
      answers: current
        ? emulator.eventAnswers.slice(answersFrom).filter((a) => a.peerId === current.vkId).map((a) => ({ eventId: a.eventId, data: a.eventData ?? null }))
        : [],
      answersSeen: emulator.eventAnswers.length,
    };
  }

  async function runJob(name: 'reminders' | 'summary'): Promise<object> {
    const active = jobs();
    if (!active) throw new HttpError(404, 'jobs are not connected');
    const log = logger.child({ component: 'sandbox', job: name });
    try {
      const report = name === 'reminders' ? await active.runReminders() : await active.runSummary();
      log.info('sandbox ran a job');
      return { report };
    } catch (error) {
      log.error({ err: error }, 'sandbox job failed');
      throw new HttpError(500, 'job failed, see the log');
    }
  }

  async function api(req: IncomingMessage, url: URL): Promise<object> {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /api/state':
        return state(url);
      case 'POST /api/personas': {
        await readJson(req);
        const added = addPersona();
        return { id: added.vkId };
      }
      case 'POST /api/messages': {
        const body = await readJson(req);
        const who = persona(body.persona);
        const text = typeof body.text === 'string' ? body.text : '';
        if (text.length > MAX_TEXT_LENGTH) throw new HttpError(400, 'text is too long');
        if (body.payload !== undefined && (typeof body.payload !== 'string' || body.payload.length > 1000)) throw new HttpError(400, 'bad payload');
        if (text.trim() === '' && body.payload === undefined) throw new HttpError(400, 'empty message');
        emulator.sendMessage(who.vkId, text, body.payload === undefined ? {} : { payload: body.payload });
        return { ok: true };
      }
      case 'POST /api/events': {
        const body = await readJson(req);
        const who = persona(body.persona);
        let payload: unknown;
        try {
          payload = JSON.parse(typeof body.payload === 'string' ? body.payload : '{}');
        } catch {
          throw new HttpError(400, 'bad payload');
        }
        const conversationMessageId = typeof body.conversationMessageId === 'number' ? body.conversationMessageId : undefined;
        const { eventId } = emulator.sendMessageEvent(who.vkId, payload, conversationMessageId === undefined ? {} : { conversationMessageId });
        return { eventId };
      }
      case 'POST /api/photos': {
        const who = persona(url.searchParams.get('persona'));
        const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        if (!PHOTO_TYPES.has(type)) throw new HttpError(415, 'send a JPEG, PNG, GIF or WebP image');
        const bytes = await readBody(req, MAX_PHOTO_BYTES);
        if (bytes.length === 0) throw new HttpError(400, 'empty file');
        const text = (url.searchParams.get('text') ?? '').slice(0, MAX_TEXT_LENGTH);
        emulator.sendMessage(who.vkId, text, { attachments: [emulator.uploadUserPhoto(who.vkId, bytes)] });
        return { ok: true };
      }
      case 'POST /api/documents': {
        const who = persona(url.searchParams.get('persona'));
        // Any file goes as bytes; the one content type keeps form posts from other sites out.
        if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'application/octet-stream') throw new HttpError(415, 'expected application/octet-stream');
        const filename = (url.searchParams.get('name') ?? '').replace(/^.*[\\/]/, '').trim().slice(0, 200);
        if (filename === '') throw new HttpError(400, 'name is missing');
        const bytes = await readBody(req, MAX_DOCUMENT_BYTES);
        if (bytes.length === 0) throw new HttpError(400, 'empty file');
        const text = (url.searchParams.get('text') ?? '').slice(0, MAX_TEXT_LENGTH);
        emulator.sendMessage(who.vkId, text, { attachments: [emulator.uploadUserDocument(who.vkId, filename, bytes)] });
        return { ok: true };
      }
      case 'POST /api/jobs/reminders':
        return runJob('reminders');
      case 'POST /api/jobs/summary':
        return runJob('summary');
      default:
        throw new HttpError(404, 'not found');
    }
  }

  return {
    async handle(req, res, url) {
      try {
        // Only pages of this sandbox may drive it: another site open in the same browser cannot
        // (a JSON body needs a CORS preflight that is never granted; a foreign Host is refused).
        if (!isLocalHost(req.headers.host)) throw new HttpError(403, 'open the sandbox at http://127.0.0.1');
        if (url.pathname.startsWith('/admin/')) return await forward(req, res, deps.botPort?.());
        const asset = req.method === 'GET' ? assets[url.pathname] : undefined;
        if (asset) {
          const body = readFileSync(asset.path);
          res.writeHead(200, { 'content-type': asset.type, 'content-length': body.length, 'cache-control': 'no-store' });
          res.end(body);
          return;
        }
        if (!url.pathname.startsWith('/api/')) throw new HttpError(404, 'not found');
        const isUpload = url.pathname === '/api/photos' || url.pathname === '/api/documents';
        if (req.method === 'POST' && !isUpload && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
          throw new HttpError(415, 'expected application/json');
        }
        sendJson(res, 200, await api(req, url));
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        closeIfBodyUnread(req, res);
        sendJson(res, error.status, { error: error.message });
      }
    },
  };
}

/**
 * The administrators' page is the bot's own (src/http/admin-page.ts), served by its HTTP server as
 * in production; the sandbox links to it on the chat page's address (as production does behind its
 * HTTPS front), so the links the bot sends open from the chat.
 */
async function forward(req: IncomingMessage, res: ServerResponse, port: number | undefined): Promise<void> {
  if (port === undefined || req.method !== 'GET') throw new HttpError(port === undefined ? 503 : 405, 'the bot is not running');
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: req.url, method: 'GET' }, resolve).on('error', reject).end();
  });
  res.writeHead(upstream.statusCode ?? 502, upstream.headers);
  await pipeline(upstream, res);
}

function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new HttpError(400, 'expected a JSON object');
}
