import type { Reply } from './model.js';
import type { OutboxMessage } from './ports.js';

/**
 * The outbox messages that carry an update's replies, queued in the update's transaction: its text
 * replies as one message (parts sent in order), then each reply with files or a poster as a message
 * of its own. Text goes ahead of files (see OutboxKind), so a reply never waits for an upload; one
 * person's messages keep their order otherwise, except that a later update's text may overtake a
 * file still uploading.
 */
export function replyMessages(args: {
  eventId: string;
  recipientVkId: number;
  schoolId: string | null;
  teacherId: string | null;
  replies: readonly Reply[];
}): OutboxMessage[] {
  const { eventId, replies, ...common } = args;
  const hasFiles = (reply: Reply) => reply.poster !== undefined || (reply.files?.length ?? 0) > 0;
  const text = replies.filter((reply) => !hasFiles(reply));
  const files = replies.filter(hasFiles);
  return [
    ...(text.length > 0 ? [{ ...common, key: `reply:${eventId}`, kind: 'reply' as const, parts: text }] : []),
    ...files.map((reply, index) => ({ ...common, key: `reply:${eventId}:file:${index}`, kind: 'file' as const, parts: [reply] })),
  ];
}
