import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Input, PhotoEvidence } from '../../src/domain/model.js';
import type { Payload } from '../../src/domain/payload.js';

/** Short builders for conversation inputs. */
export const text = (value: string): Input => ({ type: 'text', text: value });
export const button = (payload: Payload): Input => ({ type: 'button', payload });
export const photoOf = (id: number): PhotoEvidence => ({
  attachment: `photo100_${id}_abc`,
  url: `https://example.test/${id}.jpg`,
  width: 1280,
  height: 960,
});
export const photo = (id = 1, caption = ''): Input => ({ type: 'photo', photo: photoOf(id), text: caption });
export const eventId = (): string => randomUUID();

/** Two valid, distinct invite links for a class. */
/** MAX invite links (43-character base64url tokens, as real ones) for a class's two chats. */
export const maxLinksFor = (className: string) => {
  const token = (chat: string) => createHash('sha256').update(`${className}:${chat}`).digest('base64url');
  return { withTeacher: `https://max.ru/join/${token('with_teacher')}`, parentsOnly: `https://max.ru/join/${token('parents_only')}` };
};

export const linksFor = (className: string) => ({
  withTeacher: `https://sferum.ru/?p=messages&join=With${Buffer.from(className).toString("hex")}Token123`,
  parentsOnly: `https://vk.me/join/Parents${Buffer.from(className).toString("hex")}Token456`,
});
