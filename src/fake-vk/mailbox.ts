/** What VK keeps for the community: messages both ways, button presses, users, documents, photos and ids. */
import { EventEmitter } from 'node:events';
import type { EventAnswer, FakeUser, ReceivedMessage, SentMessage, StoredDoc, StoredPhoto } from './types.js';

// Distinct starting points make accidental id mix-ups visible in tests.
const FIRST_MESSAGE_ID = 1;
const FIRST_PHOTO_ID = 457_239_001;
const FIRST_DOC_ID = 651_001;

/** Pending callback button presses, by the `event_id` VK put into `message_event`. */
export interface MessageEvent {
  userId: number;
  peerId: number;
  answered: boolean;
}

export interface MessageDraft {
  randomId: number;
  message: string;
  keyboard: unknown;
  attachment: string | undefined;
  payload: string | undefined;
}

export class Mailbox {
  readonly sent: SentMessage[] = [];
  readonly resent: { peerId: number; randomId: number }[] = [];
  readonly received: ReceivedMessage[] = [];
  readonly eventAnswers: EventAnswer[] = [];
  readonly users = new Map<number, FakeUser>();
  readonly documents: StoredDoc[] = [];
  readonly photos: StoredPhoto[] = [];
  readonly blockedPeers = new Set<number>();
  readonly messageEvents = new Map<string, MessageEvent>();
  readonly conversationMessageIds = new Map<number, number>();
  /** `${peerId}:${randomId}` → the message that was sent with it. */
  readonly sentByRandomId = new Map<string, SentMessage>();
  /** Emits `sent`, `answer` and `close`. */
  readonly events = new EventEmitter().setMaxListeners(0);

  nextMessageId = FIRST_MESSAGE_ID;
  nextPhotoId = FIRST_PHOTO_ID;
  nextDocId = FIRST_DOC_ID;

  /** `changed` is told of every change of the state, to write it (see persistence.ts). */
  constructor(private readonly changed: () => void) {}

  /** Records an outgoing message, or returns the original one when (peer, random_id) was already used. */
  deliver(peerId: number, draft: MessageDraft): SentMessage {
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

  nextConversationMessageId(peerId: number): number {
    const next = (this.conversationMessageIds.get(peerId) ?? 0) + 1;
    this.conversationMessageIds.set(peerId, next);
    return next;
  }

  findUser(reference: string): [number, FakeUser] | undefined {
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
