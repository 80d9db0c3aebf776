import type { Checklist } from '../checklist/schema.js';
import { localDate } from '../calendar.js';
import type { Input, Reply, Teacher } from '../model.js';
import type { Clock, PosterRenderer, Repositories, UnitOfWork } from '../ports.js';
import { type Effect, isJoinCodeAttempt, transition } from './machine.js';

export interface IncomingMessage {
  /** Idempotency key of the update (VK's event_id). */
  eventId: string;
  vkUserId: number;
  input: Input;
}

export interface HandledMessage {
  /** True when this update was handled before: nothing changed and nothing must be sent. */
  duplicate: boolean;
  replies: Reply[];
  /** Log-safe facts about what happened (no personal data). */
  facts: {
    state: string;
    effects: Effect['type'][];
    teacherId: string | null;
    /** Posters rendered for this update, and how long that took in total (ms). */
    posters?: { count: number; ms: number; failed: number; error?: string };
  };
}

export interface ConversationService {
  handle(message: IncomingMessage): Promise<HandledMessage>;
}

/**
 * Loads a conversation, runs the pure state machine and stores its effects, all in one transaction
 * together with the update's id, so a duplicate delivery or a crash halfway changes nothing twice.
 * Posters the replies ask for are rendered after the commit: the row lock is not held meanwhile.
 */
export function createConversationService(deps: {
  uow: UnitOfWork;
  checklist: Checklist;
  clock: Clock;
  timeZone: string;
  posters: PosterRenderer;
}): ConversationService {
  const { uow, checklist, clock, timeZone, posters } = deps;
  return {
    handle: async (message) => {
      const handled = await decide(message);
      if (!handled.replies.some((reply) => reply.poster)) return handled;
      const rendered = await renderPosters(posters, handled.replies);
      return { ...handled, replies: rendered.replies, facts: { ...handled.facts, posters: rendered.facts } };
    },
  };

  function decide({ eventId, vkUserId, input }: IncomingMessage): Promise<HandledMessage> {
    return uow.transaction(async (repos): Promise<HandledMessage> => {
      if (!(await repos.events.claim(eventId))) {
        return { duplicate: true, replies: [], facts: { state: 'duplicate', effects: [], teacherId: null } };
      }
      const now = clock.now();
      const state = await repos.conversations.lock(vkUserId);
      let teacher = await repos.teachers.findByVkId(vkUserId);
      const school = teacher ? await repos.schools.findById(teacher.schoolId) : null;
      const completions = teacher ? await repos.completions.listForTeacher(teacher.id) : [];
      const joinCodeSchool = isJoinCodeAttempt(state, input, now) ? await repos.schools.findByJoinCode(input.text) : undefined;

      const result = transition(state, input, { checklist, teacher, school, completions, joinCodeSchool, now, today: localDate(now, timeZone) });

      if (teacher) await repos.teachers.markSeen(teacher.id, now);
      for (const effect of result.effects) {
        teacher = await applyEffect(repos, effect, { teacher, vkUserId, now });
      }
      await repos.conversations.save(vkUserId, teacher?.schoolId ?? null, result.state);
      return {
        duplicate: false,
        replies: result.replies,
        facts: { state: result.state.kind, effects: result.effects.map((e) => e.type), teacherId: teacher?.id ?? null },
      };
    });
  }
}

/**
 * Replaces each reply's poster request with its files. A poster that fails to render is a bug,
 * not the teacher's problem: the reply's `withoutFiles` version goes out and the error is reported.
 */
async function renderPosters(
  renderer: PosterRenderer,
  replies: readonly Reply[],
): Promise<{ replies: Reply[]; facts: NonNullable<HandledMessage['facts']['posters']> }> {
  const started = performance.now();
  const facts: NonNullable<HandledMessage['facts']['posters']> = { count: 0, ms: 0, failed: 0 };
  const out: Reply[] = [];
  for (const reply of replies) {
    const { poster, ...rest } = reply;
    if (!poster) {
      out.push(reply);
      continue;
    }
    facts.count += 1;
    try {
      const files = await renderer.render(poster);
      out.push({ ...rest, files: [...(rest.files ?? []), ...files] });
    } catch (error) {
      facts.failed += 1;
      facts.error = error instanceof Error ? error.message : String(error);
      out.push(rest.withoutFiles ?? { text: rest.text, ...(rest.buttons ? { buttons: rest.buttons } : {}) });
    }
  }
  facts.ms = Math.round(performance.now() - started);
  return { replies: out, facts };
}

async function applyEffect(
  repos: Repositories,
  effect: Effect,
  ctx: { teacher: Teacher | null; vkUserId: number; now: Date },
): Promise<Teacher | null> {
  const { now, vkUserId } = ctx;
  if (effect.type === 'register') {
    const created = await repos.teachers.create({ schoolId: effect.schoolId, vkId: vkUserId, fullName: effect.fullName, classes: effect.classes, startedAt: now });
    await repos.audit.append({ schoolId: created.schoolId, teacherId: created.id, actor: 'teacher', actorVkId: vkUserId, action: 'registered', details: { classes: effect.classes }, at: now });
    return created;
  }
  const teacher = ctx.teacher;
  if (!teacher) throw new Error(`effect "${effect.type}" needs a registered teacher`);
  const audit = { schoolId: teacher.schoolId, teacherId: teacher.id, actor: 'teacher', actorVkId: vkUserId, at: now } as const;
  switch (effect.type) {
    case 'start':
      // markSeen already set started_at; the audit records the first contact.
      await repos.audit.append({ ...audit, action: 'started' });
      return teacher;
    case 'complete':
      await repos.completions.recordDone(teacher, effect.task, effect.className, effect.evidence, now);
      await repos.audit.append({ ...audit, action: 'task_done', taskCode: effect.task, className: effect.className, details: { evidence: effect.evidence.kind } });
      return teacher;
    case 'not_applicable':
      await repos.completions.recordNotApplicable(teacher, effect.task, effect.reason, now);
      await repos.audit.append({ ...audit, action: 'task_not_applicable', taskCode: effect.task, details: { reason: effect.reason } });
      return teacher;
    case 'finish':
      await repos.teachers.markFinished(teacher.id, now);
      await repos.audit.append({ ...audit, action: 'checklist_finished' });
      return { ...teacher, finishedAt: now };
    default: {
      const unreachable: never = effect;
      return unreachable;
    }
  }
}
