import { z } from 'zod';

/**
 * Where a conversation stands. Stored as jsonb in Postgres and parsed back with this schema,
 * so a state written by an older version that no longer fits is detected instead of trusted.
 */
export const conversationStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start') }),
  z.object({ kind: z.literal('join_code'), attempts: z.number().int().min(0), lockedUntil: z.string().nullable() }),
  z.object({ kind: z.literal('full_name'), schoolId: z.string() }),
  z.object({ kind: z.literal('classes'), schoolId: z.string(), fullName: z.string() }),
  /** Registered, no question pending. */
  z.object({ kind: z.literal('menu') }),
  /**
   * Answering a task. `item` is the chat (links) or field (report) being asked;
   * `draft` keeps the answers given so far, so an interrupted multi-part answer resumes.
   */
  z.object({
    kind: z.literal('task'),
    task: z.string(),
    className: z.string().nullable(),
    item: z.number().int().min(0),
    draft: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  z.object({ kind: z.literal('na_reason'), task: z.string() }),
  /** "Delete my data" was pressed: waiting for the confirmation. */
  z.object({ kind: z.literal('forget_confirm') }),
  /** Asked "until what date are you on leave?". */
  z.object({ kind: z.literal('leave_date') }),
]);

export type ConversationState = z.infer<typeof conversationStateSchema>;
export type TaskState = Extract<ConversationState, { kind: 'task' }>;

export const initialState: ConversationState = { kind: 'start' };

/** A stored state that fails to parse (older version, manual edit) restarts from the top, never crashes. */
export function parseState(raw: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : initialState;
}
