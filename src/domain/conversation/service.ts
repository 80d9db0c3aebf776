import { isAdminOnlyInput } from '../admin/commands.js';
import type { AdminHandler } from '../admin/service.js';
import type { Checklist } from '../checklist/schema.js';
import { localDate, localInstant } from '../calendar.js';
import type { Input, Reply, Teacher } from '../model.js';
import type { Clock, OutboxMessage, Repositories, UnitOfWork } from '../ports.js';
import { replyMessages } from '../replies.js';
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
  /** What the update answered, as queued in the outbox (posters not rendered yet). */
  replies: Reply[];
  /** Keys of the outbox messages that carry the replies: the text, and the files that follow it. */
  queued: { text: string[]; files: string[] };
  /** Log-safe facts about what happened (no personal data). */
  facts: {
    state: string;
    effects: string[];
    teacherId: string | null;
    admin?: boolean;
  };
}

export interface ConversationService {
  handle(message: IncomingMessage): Promise<HandledMessage>;
}

/**
 * Loads a conversation, runs the pure state machine and stores its effects and its replies (in the
 * outbox), all in one transaction together with the update's id, so a duplicate delivery or a crash
 * halfway changes nothing twice, and a reply is never lost once the step is recorded.
 *
 * Routing: a sender found in `admins` (checked inside the same transaction, by the sender's id,
 * never by anything in the message) talks to the admin menu, unless they switched to their own
 * teacher checklist with «учитель». Everyone else talks to the teacher conversation, which
 * refuses admin commands without saying anything about anyone.
 */
export function createConversationService(deps: {
  uow: UnitOfWork;
  checklist: Checklist;
  clock: Clock;
  timeZone: string;
  /** Without it nobody is an administrator (teacher-only deployments and tests). */
  admin?: AdminHandler;
}): ConversationService {
  const { uow, checklist, clock, timeZone, admin } = deps;

  /** Queues the replies in the outbox: a single statement, so it can share a round trip with the writes. */
  type Queue = (replies: readonly Reply[], schoolId: string | null, teacherId: string | null) => Promise<unknown>;

  async function handleTeacher(repos: Repositories, vkUserId: number, input: Input, now: Date, queue: Queue): Promise<{ replies: Reply[]; facts: HandledMessage['facts'] }> {
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

    // Admin buttons and commands reach here only from someone who is not an administrator.
    const teacherInput: Input = isAdminOnlyInput(input) ? { type: 'admin_only' } : input;
    const context = { checklist, teacher, school, completions, joinCodeSchool, claimTeacher, rosterNameTaken, linkOwners, now, today: localDate(now, timeZone) };
    const result = transition(state, teacherInput, context);

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
      await inOneRoundTrip([
        repos.audit.append({ schoolId: teacher.schoolId, teacherId: teacher.id, actor: 'teacher', actorVkId: vkUserId, pseudonymous: true, action: 'data_erased', details: { by: 'teacher', completionsKept }, at: now }),
        queue(result.replies, teacher.schoolId, teacherId),
      ]);
    } else {
      writes.push(repos.conversations.save(vkUserId, teacher?.schoolId ?? null, result.state), queue(result.replies, teacher?.schoolId ?? null, teacherId));
      await inOneRoundTrip(writes);
    }
    return { replies: result.replies, facts: { state: result.state.kind, effects: result.effects.map((e) => e.type), teacherId } };
  }

  async function decide({ eventId, vkUserId, input }: IncomingMessage): Promise<HandledMessage> {
      // Files are read and short names resolved before the transaction, and only for administrators.
      let adminInput = input as Parameters<AdminHandler['handle']>[2];
      // A roster line has separators: ordinary messages skip this extra read.
      if (admin && (input.type === 'document' || (input.type === 'text' && /[;\t\n]/.test(input.text)))) {
        const [session, seen] = await uow.transaction((repos) => Promise.all([repos.admins.find(vkUserId), repos.events.seen(eventId)]));
        // A redelivery of a handled update is a duplicate: its file is not downloaded and parsed again.
        if (seen) return { duplicate: true, replies: [], queued: { text: [], files: [] }, facts: { state: 'duplicate', effects: [], teacherId: null } };
        adminInput = await admin.prepare(input, session);
      }
      return uow.transaction(async (repos: Repositories): Promise<HandledMessage> => {
        // The claim goes first; the administrator's row is locked right after it, in the same round
        // trip (for a duplicate that lock is taken for nothing, and released at once).
        const [claimed, session] = await inOneRoundTrip([repos.events.claim(eventId), admin ? repos.admins.lock(vkUserId) : null] as const);
        if (!claimed) {
          return { duplicate: true, replies: [], queued: { text: [], files: [] }, facts: { state: 'duplicate', effects: [], teacherId: null } };
        }
        const now = clock.now();
        let messages: OutboxMessage[] = [];
        const queue: Queue = (replies, schoolId, teacherId) => {
          messages = replyMessages({ eventId, recipientVkId: vkUserId, schoolId, teacherId, replies });
          return repos.outbox.enqueue(messages);
        };
        let handled: { replies: Reply[]; facts: HandledMessage['facts'] };
        if (admin && session && admin.wantsAdmin(adminInput, session)) {
          const outcome = await admin.handle(repos, session, adminInput, now);
          await inOneRoundTrip([repos.admins.saveState(vkUserId, outcome.state), queue(outcome.replies, session.admin.schoolId, null)]);
          handled = { replies: outcome.replies, facts: { state: outcome.state.step.kind, effects: [outcome.intent], teacherId: null, admin: true } };
        } else {
          handled = await handleTeacher(repos, vkUserId, input, now, queue);
        }
        const keysOf = (kind: OutboxMessage['kind']) => messages.filter((m) => m.kind === kind).map((m) => m.key);
        return { duplicate: false, ...handled, queued: { text: keysOf('reply'), files: keysOf('file') } };
      });
  }

  return { handle: decide };
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
