import type { AdminRepositories, AdminUnitOfWork } from '../admin/ports.js';
import type { AdminHandler, AdminSession } from '../admin/service.js';
import type { Checklist } from '../checklist/schema.js';
import { localDate, localInstant } from '../calendar.js';
import type { Input, Reply, Teacher } from '../model.js';
import type { Clock, PosterRenderer, Repositories } from '../ports.js';
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
    effects: string[];
    teacherId: string | null;
    admin?: boolean;
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
 *
 * Routing: a sender found in `admins` (checked inside the same transaction, by the sender's id,
 * never by anything in the message) talks to the admin menu, unless they switched to their own
 * teacher checklist with «учитель». Everyone else talks to the teacher conversation, which
 * refuses admin commands without saying anything about anyone.
 */
export function createConversationService(deps: {
  uow: AdminUnitOfWork;
  checklist: Checklist;
  clock: Clock;
  timeZone: string;
  posters: PosterRenderer;
  /** Without it nobody is an administrator (teacher-only deployments and tests). */
  admin?: AdminHandler;
}): ConversationService {
  const { uow, checklist, clock, timeZone, posters, admin } = deps;

  async function handleTeacher(repos: AdminRepositories, vkUserId: number, input: Input, now: Date): Promise<HandledMessage> {
    const state = await repos.conversations.lock(vkUserId);
    let teacher = await repos.teachers.findByVkId(vkUserId);
    const school = teacher ? await repos.schools.findById(teacher.schoolId) : null;
    const completions = teacher ? await repos.completions.listForTeacher(teacher.id) : [];
    const joinCodeSchool = isJoinCodeAttempt(state, input, now) ? await repos.schools.findByJoinCode(input.text) : undefined;

    const result = transition(state, input, { checklist, teacher, school, completions, joinCodeSchool, now, today: localDate(now, timeZone) });

    if (teacher) await repos.teachers.markSeen(teacher.id, now);
    let erased = false;
    for (const effect of result.effects) {
      if (effect.type === 'erase') {
        erased = true;
        continue;
      }
      teacher = await applyEffect(repos, effect, { teacher, vkUserId, now, timeZone });
    }
    const teacherId = teacher?.id ?? null;
    if (erased && teacher) {
      // Last: the erasure also deletes this conversation, so nothing is saved after it.
      const { completionsKept } = await repos.roster.erase(teacher.id, now);
      await repos.audit.append({ schoolId: teacher.schoolId, teacherId: teacher.id, actor: 'teacher', actorVkId: null, action: 'data_erased', details: { by: 'teacher', completionsKept }, at: now });
    } else {
      await repos.conversations.save(vkUserId, teacher?.schoolId ?? null, result.state);
    }
    return { duplicate: false, replies: result.replies, facts: { state: result.state.kind, effects: result.effects.map((e) => e.type), teacherId } };
  }

  async function decide({ eventId, vkUserId, input }: IncomingMessage): Promise<HandledMessage> {
      // Files are read and short names resolved before the transaction, and only for administrators.
      let adminInput = input as Parameters<AdminHandler['handle']>[2];
      // A roster line has separators: ordinary messages skip this extra read.
      if (admin && (input.type === 'document' || (input.type === 'text' && /[;\t\n]/.test(input.text)))) {
        const session = await uow.transaction((repos) => repos.admins.find(vkUserId));
        adminInput = await admin.prepare(input, session);
      }
      return uow.transaction(async (repos: AdminRepositories): Promise<HandledMessage> => {
        if (!(await repos.events.claim(eventId))) {
          return { duplicate: true, replies: [], facts: { state: 'duplicate', effects: [], teacherId: null } };
        }
        const now = clock.now();
        const session: AdminSession | null = admin ? await repos.admins.lock(vkUserId) : null;
        if (admin && session && admin.wantsAdmin(adminInput, session)) {
          const outcome = await admin.handle(repos, session, adminInput, now);
          await repos.admins.saveState(vkUserId, outcome.state);
          return { duplicate: false, replies: outcome.replies, facts: { state: outcome.state.step.kind, effects: [outcome.intent], teacherId: null, admin: true } };
        }
        return handleTeacher(repos, vkUserId, input, now);
      });
  }

  return {
    async handle(message) {
      const handled = await decide(message);
      if (!handled.replies.some((reply) => reply.poster)) return handled;
      const rendered = await renderPosters(posters, handled.replies);
      return { ...handled, replies: rendered.replies, facts: { ...handled.facts, posters: rendered.facts } };
    },
  };
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
  effect: Exclude<Effect, { type: 'erase' }>,
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
