import type { Checklist } from '../checklist/schema.js';
import { localDate, localInstant } from '../calendar.js';
import type { Input, Reply, Teacher } from '../model.js';
import type { Clock, Repositories, UnitOfWork } from '../ports.js';
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
  facts: { state: string; effects: Effect['type'][]; teacherId: string | null };
}

export interface ConversationService {
  handle(message: IncomingMessage): Promise<HandledMessage>;
}

/**
 * Loads a conversation, runs the pure state machine and stores its effects, all in one transaction
 * together with the update's id, so a duplicate delivery or a crash halfway changes nothing twice.
 */
export function createConversationService(deps: {
  uow: UnitOfWork;
  checklist: Checklist;
  clock: Clock;
  timeZone: string;
}): ConversationService {
  const { uow, checklist, clock, timeZone } = deps;
  return {
    handle: ({ eventId, vkUserId, input }) =>
      uow.transaction(async (repos): Promise<HandledMessage> => {
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
          teacher = await applyEffect(repos, effect, { teacher, vkUserId, now, timeZone });
        }
        await repos.conversations.save(vkUserId, teacher?.schoolId ?? null, result.state);
        return {
          duplicate: false,
          replies: result.replies,
          facts: { state: result.state.kind, effects: result.effects.map((e) => e.type), teacherId: teacher?.id ?? null },
        };
      }),
  };
}

async function applyEffect(
  repos: Repositories,
  effect: Effect,
  ctx: { teacher: Teacher | null; vkUserId: number; now: Date; timeZone: string },
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
    case 'snooze':
      // From the start of that local day: the day's first reminder tick may send.
      await repos.teachers.snooze(teacher.id, localInstant(effect.until, ctx.timeZone));
      await repos.audit.append({ ...audit, action: 'reminders_snoozed', details: { until: effect.until } });
      return teacher;
    case 'leave':
      await repos.teachers.setLeave(teacher.id, effect.until);
      await repos.audit.append({ ...audit, action: 'leave_set', details: { until: effect.until } });
      return teacher;
    default: {
      const unreachable: never = effect;
      return unreachable;
    }
  }
}
