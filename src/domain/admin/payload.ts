import { z } from 'zod';

/**
 * Buttons of the administrator's menu. They are part of the one payload union (../payload.ts), so
 * anyone can send them: every one is authorised by the sender's id in the admin service, never by
 * the payload. `t` is a teacher id, `s` a school id (regional administrators), `p` a page.
 */
const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const plain = <A extends string>(a: A) => z.object({ a: z.literal(a) }).strict();
const onTeacher = <A extends string>(a: A) => z.object({ a: z.literal(a), t: id }).strict();

export const adminPayloadSchemas = [
  plain('ad_menu'),
  plain('ad_summary'),
  plain('ad_laggards'),
  plain('ad_remind'),
  plain('ad_import'),
  plain('ad_import_apply'),
  plain('ad_cancel'),
  plain('ad_export_xlsx'),
  plain('ad_export_csv'),
  plain('ad_school_tasks'),
  plain('ad_local_act'),
  plain('ad_school_link'),
  plain('ad_settings'),
  /** `b`: opened from «Школьные задачи», which is shown again after it. */
  z.object({ a: z.literal('ad_deadline'), b: z.literal('school_tasks').optional() }).strict(),
  plain('ad_holidays'),
  plain('ad_eo'),
  plain('ad_code'),
  plain('ad_code_yes'),
  plain('ad_poster'),
  plain('ad_schools'),
  plain('ad_teacher_mode'),
  plain('ad_page'),
  z.object({ a: z.literal('ad_school'), s: id }).strict(),
  z.object({ a: z.literal('ad_teachers'), p: z.number().int().min(0).max(1000) }).strict(),
  onTeacher('ad_teacher'),
  onTeacher('ad_edit'),
  onTeacher('ad_leave'),
  onTeacher('ad_deactivate'),
  onTeacher('ad_activate'),
  onTeacher('ad_erase'),
  onTeacher('ad_erase_yes'),
  onTeacher('ad_audit'),
] as const;

export type AdminPayload = z.infer<(typeof adminPayloadSchemas)[number]>;
export type AdminAction = AdminPayload['a'];

/** Every admin button action: the authorization matrix test iterates over this list. */
export const adminActions: readonly AdminAction[] = adminPayloadSchemas.map((schema) => schema.shape.a.value);

export const isAdminPayload = <P extends { a: string }>(payload: P): payload is Extract<P, AdminPayload> => payload.a.startsWith('ad_');
