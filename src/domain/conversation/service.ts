import type { AdminRepositories, AdminUnitOfWork } from '../admin/ports.js';
import type { AdminHandler } from '../admin/service.js';
import type { Checklist } from '../checklist/schema.js';
import { localDate, localInstant } from '../calendar.js';
import type { Input, Reply, Teacher } from '../model.js';
import type { Clock, PosterRenderer, Repositories } from '../ports.js';
import { parseClaimCode } from '../validation/claim-code.js';
import { parseFullName } from '../validation/full-name.js';
import { type Effect, isJoinCodeAttempt, linksToCheck, transition } from './machine.js';

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
    const opened = await repos.conversations.open(vkUserId, now);
    const { state, school, completions } = opened;
    let teacher = opened.teacher;
    const codeAttempt = isJoinCodeAttempt(state, input, now);
    const joinCodeSchool = codeAttempt ? await repos.schools.findByJoinCode(input.text) : undefined;
    const personalCode = codeAttempt && !joinCodeSchool ? parseClaimCode(input.text) : null;
    const claimTeacher = personalCode ? await repos.teachers.findByClaimCode(personalCode) : undefined;
    const name = state.kind === 'full_name' && input.type === 'text' ? parseFullName(input.text) : undefined;
    const rosterNameTaken = state.kind === 'full_name' && name?.ok ? await repos.teachers.unclaimedNameExists(state.schoolId, name.value) : undefined;
    const links = teacher ? linksToCheck(state, input, checklist) : [];
    const linkOwners = teacher && links.length > 0 ? await repos.completions.linkOwners(teacher.schoolId, links) : [];

    const context = { checklist, teacher, school, completions, joinCodeSchool, claimTeacher, rosterNameTaken, linkOwners, now, today: localDate(now, timeZone) };
    const result = transition(state, input, context);

    // The writes go out together, in order, and are waited for once (see `inOneRoundTrip`). Only a
    // registration is waited for on its own: the effects after it need the new teacher's id.
    const writes: Promise<unknown>[] = [];
    let erased = false;
    for (const effect of result.effects) {
      if (effect.type === 'erase') erased = true;
      else if (effect.type === 'register') teacher = await register(repos, effect, vkUserId, now);
      else if (effect.type === 'claim') teacher = await claim(repos, effect.teacherId, vkUserId, now);
      else writes.push(...applyEffect(repos, effect, { teacher, vkUserId, now, timeZone }));
    }
    const teacherId = teacher?.id ?? null;
    if (erased && teacher) {
      await inOneRoundTrip(writes);
      // Last: the erasure also deletes this conversation, so nothing is saved after it.
      const { completionsKept } = await repos.roster.erase(teacher.id, now);
      // Who erased the row stays on record, as a pseudonym: the erased person's VK id is not kept.
      await repos.audit.append({ schoolId: teacher.schoolId, teacherId: teacher.id, actor: 'teacher', actorVkId: vkUserId, pseudonymous: true, action: 'data_erased', details: { by: 'teacher', completionsKept }, at: now });
    } else {
      writes.push(repos.conversations.save(vkUserId, teacher?.schoolId ?? null, result.state));
      await inOneRoundTrip(writes);
    }
    return { duplicate: false, replies: result.replies, facts: { state: result.state.kind, effects: result.effects.map((e) => e.type), teacherId } };
  }

  async function decide({ eventId, vkUserId, input }: IncomingMessage): Promise<HandledMessage> {
      // Files are read and short names resolved before the transaction, and only for administrators.
      let adminInput = input as Parameters<AdminHandler['handle']>[2];
      // A roster line has separators: ordinary messages skip this extra read.
      if (admin && (input.type === 'document' || (input.type === 'text' && /[;\t\n]/.test(input.text)))) {
        const [session, seen] = await uow.transaction((repos) => Promise.all([repos.admins.find(vkUserId), repos.events.seen(eventId)]));
        // A redelivery of a handled update is a duplicate: its file is not downloaded and parsed again.
        if (seen) return { duplicate: true, replies: [], facts: { state: 'duplicate', effects: [], teacherId: null } };
        adminInput = await admin.prepare(input, session);
      }
      return uow.transaction(async (repos: AdminRepositories): Promise<HandledMessage> => {
        // The claim goes first; the administrator's row is locked right after it, in the same round
        // trip (for a duplicate that lock is taken for nothing, and released at once).
        const [claimed, session] = await inOneRoundTrip([repos.events.claim(eventId), admin ? repos.admins.lock(vkUserId) : null] as const);
        if (!claimed) {
          return { duplicate: true, replies: [], facts: { state: 'duplicate', effects: [], teacherId: null } };
        }
        const now = clock.now();
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


/**
 * Waits for statements that were all started before the first of them answered. On Postgres they
 * share one round trip: postgres.js pipelines the statements of a transaction that are issued
 * without waiting, and the server runs them in the order they were issued. Each repository call must therefore be a single statement, or the order of its
 * later statements is no longer the order of the calls. If one fails, the transaction is aborted,
 * the later ones fail with it and it rolls back as a whole.
 */
function inOneRoundTrip<T extends readonly unknown[]>(writes: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  return Promise.all(writes);
}

async function register(repos: Repositories, effect: Extract<Effect, { type: 'register' }>, vkUserId: number, now: Date): Promise<Teacher> {
  const created = await repos.teachers.create({ schoolId: effect.schoolId, vkId: vkUserId, fullName: effect.fullName, classes: effect.classes, startedAt: now });
  await repos.audit.append({ schoolId: created.schoolId, teacherId: created.id, actor: 'teacher', actorVkId: vkUserId, action: 'registered', details: { classes: effect.classes }, at: now });
  return created;
}

/** A personal code opened a roster row: link it to this VK user, and record who claimed it. */
async function claim(repos: Repositories, teacherId: string, vkUserId: number, now: Date): Promise<Teacher> {
  const claimed = await repos.teachers.claim(teacherId, vkUserId, now);
  await repos.audit.append({ schoolId: claimed.schoolId, teacherId: claimed.id, actor: 'teacher', actorVkId: vkUserId, action: 'claimed', at: now });
  return claimed;
}

/** Starts the statements of one effect, each a single statement, without waiting for them. */
function applyEffect(
  repos: Repositories,
  effect: Exclude<Effect, { type: 'erase' | 'register' | 'claim' }>,
  ctx: { teacher: Teacher | null; vkUserId: number; now: Date; timeZone: string },
): Promise<void>[] {
  const { now, vkUserId } = ctx;
  const teacher = ctx.teacher;
  if (!teacher) throw new Error(`effect "${effect.type}" needs a registered teacher`);
  const audit = { schoolId: teacher.schoolId, teacherId: teacher.id, actor: 'teacher', actorVkId: vkUserId, at: now } as const;
  switch (effect.type) {
    case 'start':
      // Opening the conversation set started_at; the audit records the first contact.
      return [repos.audit.append({ ...audit, action: 'started' })];
    case 'complete':
      return [
        repos.completions.recordDone(teacher, effect.task, effect.className, effect.evidence, now),
        repos.audit.append({ ...audit, action: 'task_done', taskCode: effect.task, className: effect.className, details: { evidence: effect.evidence.kind } }),
      ];
    case 'not_applicable':
      return [
        repos.completions.recordNotApplicable(teacher, effect.task, effect.reason, now),
        repos.audit.append({ ...audit, action: 'task_not_applicable', taskCode: effect.task, details: { reason: effect.reason } }),
      ];
    case 'finish':
      return [repos.teachers.markFinished(teacher.id, now), repos.audit.append({ ...audit, action: 'checklist_finished' })];
    case 'snooze':
      // From the start of that local day: the day's first reminder tick may send.
      return [repos.teachers.snooze(teacher.id, localInstant(effect.until, ctx.timeZone)), repos.audit.append({ ...audit, action: 'reminders_snoozed', details: { until: effect.until } })];
    case 'leave':
      return [repos.teachers.setLeave(teacher.id, effect.until), repos.audit.append({ ...audit, action: 'leave_set', details: { until: effect.until } })];
    default: {
      const unreachable: never = effect;
      return unreachable;
    }
  }
}
