import { z } from 'zod';
import { type AdminPayload, adminPayloadSchemas, isAdminPayload } from './admin/payload.js';

/**
 * Every button the bot sends carries one of these payloads. Keys are one letter because VK
 * limits a button payload to 255 bytes. Anything else arriving as a payload is treated as forged.
 */
const taskCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
const className = z.string().regex(/^(1[01]|[1-9])[А-ЯЁ]$/);

export const payloadSchema = z.discriminatedUnion('a', [
  z.object({ a: z.literal('menu') }).strict(),
  z.object({ a: z.literal('next') }).strict(),
  z.object({ a: z.literal('progress') }).strict(),
  z.object({ a: z.literal('help') }).strict(),
  /** «Изменить ответ»: the list of answers, a page of it when it does not fit one keyboard. */
  z.object({ a: z.literal('edit'), p: z.number().int().min(0).max(9).optional() }).strict(),
  /** Start a task (again), optionally for one class: the "change an answer" path. */
  z.object({ a: z.literal('redo'), t: taskCode, c: className.optional() }).strict(),
  /** Complete the current confirm task, or an optional-photo task without a photo. */
  z.object({ a: z.literal('done'), t: taskCode }).strict(),
  /** Mark the current task not applicable; a reason is asked next. */
  z.object({ a: z.literal('na'), t: taskCode }).strict(),
  z.object({ a: z.literal('no_classes') }).strict(),
  /** Send the QR poster again: of one class, or of every class with links (a page each). */
  z.object({ a: z.literal('poster'), c: className.optional() }).strict(),
  /** Update the parents reached (joined of total), optionally of one class: from the menu or a reminder. */
  z.object({ a: z.literal('parents'), c: className.optional() }).strict(),
  z.object({ a: z.literal('cancel') }).strict(),
  /** "Delete my data", then its confirmation. */
  z.object({ a: z.literal('forget') }).strict(),
  z.object({ a: z.literal('forget_yes') }).strict(),
  /** "Remind me tomorrow" (d: 1) or "next week" (d: 7): no reminder until that day, then one. */
  z.object({ a: z.literal('snooze'), d: z.union([z.literal(1), z.literal(7)]) }).strict(),
  /** "I'm on leave until …": the date is asked next. */
  z.object({ a: z.literal('leave') }).strict(),
  ...adminPayloadSchemas,
]);

export type Payload = z.infer<typeof payloadSchema>;
/** The payloads of the teacher's buttons. */
export type TeacherPayload = Exclude<Payload, AdminPayload>;

export const isTeacherPayload = (payload: Payload): payload is TeacherPayload => !isAdminPayload(payload);

/** VK's own "Start" button in a new dialog sends this; it means "hello", not a command. */
const vkStartSchema = z.object({ command: z.literal('start') });

export type PayloadParse = { kind: 'payload'; payload: Payload } | { kind: 'start' } | { kind: 'forged' };

export function parsePayload(raw: unknown): PayloadParse {
  const parsed = payloadSchema.safeParse(raw);
  if (parsed.success) return { kind: 'payload', payload: parsed.data };
  if (vkStartSchema.safeParse(raw).success) return { kind: 'start' };
  return { kind: 'forged' };
}
