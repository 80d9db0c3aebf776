import { z } from 'zod';

const rosterLine = z.object({
  line: z.number().int(),
  fullName: z.string(),
  vkId: z.number().int().nullable(),
  classes: z.array(z.string()),
});

/**
 * Where an administrator's conversation stands; stored in `admins.state`. A state that no longer
 * parses (older version) falls back to the menu, never crashes.
 */
export const adminStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('menu') }),
  /** «Импорт» was pressed: a file or pasted lines are expected. */
  z.object({ kind: z.literal('await_import') }),
  /** A preview was shown; these valid lines are applied on «Применить». */
  z.object({ kind: z.literal('import_preview'), lines: z.array(rosterLine) }),
  z.object({ kind: z.literal('local_act') }),
  z.object({ kind: z.literal('school_link') }),
  /** `back`: the screen the deadline was opened from, shown again after it. */
  z.object({ kind: z.literal('deadline'), back: z.enum(['settings', 'school_tasks']).default('settings') }),
  z.object({ kind: z.literal('holidays') }),
  z.object({ kind: z.literal('eo') }),
  z.object({ kind: z.literal('code_confirm') }),
  z.object({ kind: z.literal('edit_teacher'), teacherId: z.string() }),
  z.object({ kind: z.literal('leave'), teacherId: z.string() }),
  z.object({ kind: z.literal('erase_confirm'), teacherId: z.string() }),
]);

export const adminStateSchema = z.object({
  /** An administrator who also teaches switched to their teacher checklist («учитель»); «админ» switches back. */
  teacherMode: z.boolean().default(false),
  /** The school a regional administrator is working on (a school administrator's is fixed). */
  schoolId: z.string().nullable().default(null),
  step: adminStepSchema.default({ kind: 'menu' }),
});

export type AdminStep = z.infer<typeof adminStepSchema>;
export type AdminState = z.infer<typeof adminStateSchema>;

export const initialAdminState: AdminState = { teacherMode: false, schoolId: null, step: { kind: 'menu' } };

export function parseAdminState(raw: unknown): AdminState {
  const parsed = adminStateSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : initialAdminState;
}
