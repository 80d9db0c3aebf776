import { z } from 'zod';

/**
 * The checklist is data: a school can replace the built-in order №64/1 with its own file
 * (CHECKLIST_FILE). Step kinds are code; everything a teacher reads is here.
 */

const text = z.string().trim().min(1).max(3000);
const code = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lowercase latin, digits and _, up to 32 characters');

const confirmStep = z.object({
  kind: z.literal('confirm'),
  /** Label of the button that completes the task. */
  button: z.string().trim().min(1).max(40),
});

const linksStep = z.object({
  kind: z.literal('links'),
  /** One invite link per chat; asked in this order for every class. */
  chats: z
    .array(z.object({ key: code, title: text, prompt: text }))
    .min(1)
    .max(4),
});

const photoStep = z.object({
  kind: z.literal('photo'),
  /** When false, the teacher may complete the task with a button and no photo. */
  required: z.boolean(),
  /** Label of the "done without a photo" button, used when the photo is optional. */
  skipButton: z.string().trim().min(1).max(40).optional(),
});

const posterStep = z.object({
  kind: z.literal('poster'),
  /** Code of the earlier per-class links task whose chats the poster shows as QR codes. */
  links: code,
  /** True: the teacher confirms with a photo of the hung poster. False: a button will do, a photo is welcome. */
  photoRequired: z.boolean(),
  /** Label of the "it is hung" button, used when the photo is optional. */
  button: z.string().trim().min(1).max(40).optional(),
});

/** How a recorded value is named to people (the teacher card, the export); the key is for code only. */
const label = z.string().trim().min(1).max(60).optional();

const reportField = z.discriminatedUnion('type', [
  z.object({ key: code, type: z.literal('date'), prompt: text, label }),
  z.object({
    key: code,
    type: z.literal('count'),
    prompt: text,
    label,
    max: z.number().int().positive().max(100_000).default(1000),
    /** Key of an earlier count field this one may not exceed (joined ≤ total). */
    atMost: code.optional(),
  }),
]);

const reportStep = z.object({
  kind: z.literal('report'),
  fields: z.array(reportField).min(1).max(6),
});

export const stepSchema = z.discriminatedUnion('kind', [confirmStep, linksStep, photoStep, posterStep, reportStep]);

export const taskSchema = z.object({
  code,
  /** Point of the school order the task serves. */
  point: z.number().int().min(1).max(20),
  title: z.string().trim().min(1).max(80),
  /** What to do and why; shown when the task starts. */
  text,
  /** Asked once per class of the teacher; not applicable to a teacher without classes. */
  perClass: z.boolean().default(false),
  /** False when the task applies to every teacher: no «Не относится ко мне» button. */
  optOut: z.boolean().default(true),
  /** A short how-to, answered when the teacher asks a question on this task («?», «не понимаю»). */
  help: text.optional(),
  step: stepSchema,
});

export const checklistSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    tasks: z.array(taskSchema).min(1).max(20),
  })
  .superRefine((checklist, ctx) => {
    const seen = new Set<string>();
    checklist.tasks.forEach((task, index) => {
      if (seen.has(task.code)) {
        ctx.addIssue({ code: 'custom', path: ['tasks', index, 'code'], message: `duplicate task code "${task.code}"` });
      }
      seen.add(task.code);
      if (task.step.kind === 'links' && !task.perClass) {
        ctx.addIssue({ code: 'custom', path: ['tasks', index, 'perClass'], message: 'a links step is asked per class' });
      }
      if (task.step.kind === 'poster') {
        if (!task.perClass) {
          ctx.addIssue({ code: 'custom', path: ['tasks', index, 'perClass'], message: 'a poster step is made per class' });
        }
        const source = task.step.links;
        const earlier = checklist.tasks.slice(0, index).find((t) => t.code === source);
        if (earlier?.step.kind !== 'links') {
          ctx.addIssue({
            code: 'custom',
            path: ['tasks', index, 'step', 'links'],
            message: `"${source}" must be the code of an earlier task with a links step`,
          });
        }
      }
      if (task.step.kind === 'links') {
        const keys = task.step.chats.map((chat) => chat.key);
        if (new Set(keys).size !== keys.length) {
          ctx.addIssue({ code: 'custom', path: ['tasks', index, 'step', 'chats'], message: 'duplicate chat key' });
        }
      }
      if (task.step.kind === 'report') {
        const earlier = new Map<string, string>();
        for (const field of task.step.fields) {
          if (earlier.has(field.key)) {
            ctx.addIssue({ code: 'custom', path: ['tasks', index, 'step', 'fields'], message: `duplicate field key "${field.key}"` });
          }
          if (field.type === 'count' && field.atMost !== undefined && earlier.get(field.atMost) !== 'count') {
            ctx.addIssue({
              code: 'custom',
              path: ['tasks', index, 'step', 'fields'],
              message: `field "${field.key}" refers to "${field.atMost}", which must be an earlier count field`,
            });
          }
          earlier.set(field.key, field.type);
        }
      }
    });
  });

export type Checklist = z.infer<typeof checklistSchema>;
export type Task = Checklist['tasks'][number];
export type Step = Task['step'];
export type ReportField = Extract<Step, { kind: 'report' }>['fields'][number];

/** Parses a checklist, returning readable problems ("tasks.2.code: …") instead of throwing. */
export function parseChecklist(
  input: unknown,
): { ok: true; checklist: Checklist } | { ok: false; problems: string[] } {
  const result = checklistSchema.safeParse(input);
  if (result.success) return { ok: true, checklist: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  };
}
