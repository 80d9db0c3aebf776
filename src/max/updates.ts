import type { Input } from '../domain/model.js';
import { parsePayload } from '../domain/payload.js';
import { cleanText } from '../domain/validation/clean-text.js';

/** The parts of MAX's update objects (schema 0.0.33) this bot reads. Timestamps are milliseconds. */
export interface MaxUser {
  user_id: number;
  first_name?: string;
  last_name?: string | null;
  username?: string | null;
  is_bot?: boolean;
}

export interface MaxAttachment {
  type: string;
  payload?: { url?: string; token?: string; photo_id?: number } | null;
  filename?: string;
  size?: number;
}

export interface MaxMessage {
  sender?: MaxUser;
  recipient: { chat_id: number | null; chat_type: 'dialog' | 'chat' | 'channel'; user_id?: number | null };
  timestamp: number;
  body: { mid: string; seq?: number; text?: string | null; attachments?: MaxAttachment[] | null };
}

export type MaxUpdate =
  | { update_type: 'message_created'; timestamp: number; message: MaxMessage }
  | { update_type: 'message_callback'; timestamp: number; callback: { callback_id: string; payload?: string; user: MaxUser; timestamp?: number }; message?: MaxMessage | null }
  | { update_type: 'bot_started'; timestamp: number; chat_id: number; user: MaxUser; payload?: string | null }
  | MaxStoppedUpdate
  | { update_type: string; timestamp: number; [field: string]: unknown };

interface MaxStoppedUpdate {
  update_type: 'bot_stopped' | 'dialog_removed';
  timestamp: number;
  chat_id: number;
  user: MaxUser;
}

/**
 * What the bot does with one MAX update:
 * - `input`: a person wrote in the dialog (or pressed a button, or started the bot);
 * - `stopped`: they stopped or deleted the bot: unreachable, as VK's 901;
 * - `ignore`: group-chat traffic, bots, edits and the like.
 * `eventId` is the deduplication key, prefixed `max:` so it can never collide with a VK event id.
 */
export type MaxIncoming =
  | { kind: 'input'; eventId: string; userId: number; input: Input; callbackId: string | null; startPayload: string | null }
  | { kind: 'stopped'; eventId: string; userId: number }
  | { kind: 'ignore' };

export function readMaxUpdate(update: MaxUpdate): MaxIncoming {
  switch (update.update_type) {
    case 'message_created': {
      const { message } = update as Extract<MaxUpdate, { update_type: 'message_created' }>;
      const sender = message.sender;
      if (message.recipient.chat_type !== 'dialog' || !sender || sender.is_bot) return { kind: 'ignore' };
      return { kind: 'input', eventId: `max:m:${message.body.mid}`, userId: sender.user_id, input: messageInput(message), callbackId: null, startPayload: null };
    }
    case 'message_callback': {
      const { callback, message } = update as Extract<MaxUpdate, { update_type: 'message_callback' }>;
      // In a dialog the callback's own user is the sender; `message.recipient.chat_id` may be missing.
      if (message && message.recipient.chat_type !== 'dialog') return { kind: 'ignore' };
      return { kind: 'input', eventId: `max:c:${callback.callback_id}`, userId: callback.user.user_id, input: buttonInput(callback.payload), callbackId: callback.callback_id, startPayload: null };
    }
    case 'bot_started': {
      const started = update as Extract<MaxUpdate, { update_type: 'bot_started' }>;
      const payload = typeof started.payload === 'string' ? cleanText(started.payload).trim() : '';
      return {
        kind: 'input',
        eventId: `max:s:${started.user.user_id}:${started.timestamp}`,
        userId: started.user.user_id,
        // Like VK's «Начать» button; a deep-link payload is passed on beside it.
        input: { type: 'text', text: 'Начать' },
        callbackId: null,
        startPayload: payload === '' ? null : payload,
      };
    }
    case 'bot_stopped':
    case 'dialog_removed': {
      const stopped = update as MaxStoppedUpdate;
      return { kind: 'stopped', eventId: `max:x:${stopped.user.user_id}:${stopped.timestamp}`, userId: stopped.user.user_id };
    }
    default:
      return { kind: 'ignore' };
  }
}

function messageInput(message: MaxMessage): Input {
  const text = cleanText(message.body.text ?? '');
  const attachments = message.body.attachments ?? [];
  const image = attachments.find((attachment) => attachment.type === 'image');
  if (image) {
    const ref = image.payload?.token ?? String(image.payload?.photo_id ?? '');
    return { type: 'photo', photo: { attachment: `max:${ref}`, url: image.payload?.url ?? null, width: null, height: null }, text };
  }
  const file = attachments.find((attachment) => attachment.type === 'file');
  if (file?.payload?.url) return { type: 'document', document: { url: file.payload.url, filename: cleanText(file.filename ?? '').trim() || 'file', size: file.size ?? null }, text };
  if (text.trim() !== '') return { type: 'text', text };
  return { type: 'unsupported' };
}

function buttonInput(raw: string | undefined): Input {
  if (raw === undefined) return { type: 'forged_button' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { type: 'forged_button' };
  }
  const parsed = parsePayload(json);
  if (parsed.kind === 'payload') return { type: 'button', payload: parsed.payload };
  if (parsed.kind === 'start') return { type: 'text', text: 'Начать' };
  return { type: 'forged_button' };
}
