import { addDays, formatRuDate, isLocalDate } from '../calendar.js';
import type { Checklist, ReportField, Task } from '../checklist/schema.js';
import { commandOf } from '../commands.js';
import type { Button, Completion, Evidence, Input, LinkOwner, LocalDate, PosterRequest, Reply, School, Teacher } from '../model.js';
import { type TeacherPayload, isTeacherPayload } from '../payload.js';
import { formatReach, parentsReports, reachFields } from '../parents.js';
import { posterRequest } from '../poster.js';
import { type Progress, computeProgress, linksOf, nextOpenItem, sameLinks } from '../progress.js';
import { parseClassList } from '../validation/class-list.js';
import { addressName, parseFullName } from '../validation/full-name.js';
import { parseInviteLinks } from '../validation/invite-link.js';
import { parseLeaveDate } from '../validation/leave-date.js';
import { parseCount, parseReportDate } from '../validation/report-values.js';
import { type KeyboardPage, clipLabel, pageOf } from '../keyboard.js';
import type { ConversationState, TaskState } from './state.js';
import { isHelpRequest, textCommands, texts } from './texts.js';

/** Longest text the bot reads; longer messages get a polite "shorter, please" and change nothing. */
export const MAX_INPUT_LENGTH = 1000;
export const MAX_REASON_LENGTH = 300;
export const MAX_JOIN_ATTEMPTS = 5;
export const JOIN_LOCK_MINUTES = 15;
/** The task whose text is followed by the school's own instructions (schools.eo_instructions). */
export const EO_LINK_TASK = 'eo_link';

export interface ConversationContext {
  checklist: Checklist;
  teacher: Teacher | null;
  /** The teacher's school, or null for someone not registered yet. */
  school: School | null;
  completions: readonly Completion[];
  /** Set by the caller when the text was a join-code attempt: the school it opens, or null. */
  joinCodeSchool?: School | null;
  /** Set by the caller when the text was a join-code attempt: the roster row its personal code opens, or null. */
  claimTeacher?: Teacher | null;
  /** Set by the caller for a name given after the school's join code: the school's roster has that name unclaimed. */
  rosterNameTaken?: boolean;
  /** Set by the caller for the links of a message that answers a links task (see `linksToCheck`). */
  linkOwners?: readonly LinkOwner[];
  now: Date;
  today: LocalDate;
}

/** A change to persist, applied by the caller in the same transaction as the new state. */
export type Effect =
  | { type: 'register'; schoolId: string; fullName: string; classes: string[] }
  /** A personal code linked this VK user to the roster row `teacherId`. */
  | { type: 'claim'; teacherId: string }
  | { type: 'start' }
  | { type: 'complete'; task: string; className: string | null; evidence: Evidence }
  | { type: 'not_applicable'; task: string; reason: string }
  | { type: 'finish' }
  /** The teacher confirmed "delete my data". */
  | { type: 'erase' }
  /** No reminders before local date `until`; one is due that day. */
  | { type: 'snooze'; until: LocalDate }
  /** On leave through local date `until`, inclusive: no reminders. */
  | { type: 'leave'; until: LocalDate };

/**
 * The chat links in a message that answers a links task: the caller looks up who already gave
 * them (`ConversationContext.linkOwners`) before calling `transition`. Empty for anything else.
 */
export function linksToCheck(state: ConversationState, input: Input, checklist: Checklist): string[] {
  if (state.kind !== 'task' || input.type !== 'text' || input.text.length > MAX_INPUT_LENGTH) return [];
  if (findTask(checklist, state.task)?.step.kind !== 'links') return [];
  const links = parseInviteLinks(input.text);
  return links.ok ? links.value : [];
}

export interface Transition {
  state: ConversationState;
  replies: Reply[];
  effects: Effect[];
}

/** True when this input must be checked against the schools' join codes before `transition`. */
export function isJoinCodeAttempt(state: ConversationState, input: Input, now: Date): input is { type: 'text'; text: string } {
  if (input.type !== 'text' || input.text.length > MAX_INPUT_LENGTH || isHelpRequest(input.text)) return false;
  // A first message may already be the code (a teacher who has it from the poster writes it at once).
  if (state.kind === 'start') return true;
  return state.kind === 'join_code' && !(state.lockedUntil !== null && new Date(state.lockedUntil) > now);
}

/**
 * The teacher's conversation as a pure function: (state, input, context) → new state, replies, effects.
 * Wrong input never changes the state: it gets a precise correction and the same question again.
 */
export function transition(state: ConversationState, rawInput: Input, ctx: ConversationContext): Transition {
  // Teachers are asked for photos, not files; a document means nothing here.
  const input: Input = rawInput.type === 'document' ? { type: 'unsupported' } : rawInput;
  // An admin command from someone who is not an administrator: a refusal that names nothing.
  if (input.type === 'admin_only') return { state, effects: [], replies: [withPrefix(texts.adminOnly, ask(state, ctx))] };
  if ((input.type === 'text' || input.type === 'photo') && input.text.length > MAX_INPUT_LENGTH) {
    return { state, effects: [], replies: [withPrefix(texts.tooLong, ask(state, ctx))] };
  }
  if (!ctx.teacher) return register(state, input, ctx);
  if (state.kind === 'start' || state.kind === 'join_code' || state.kind === 'full_name' || state.kind === 'classes') {
    return welcome(ctx.teacher, ctx);
  }
  return converse(state, input, ctx, ctx.teacher);
}

// ---------------------------------------------------------------------------------------------
// Registration of someone the roster does not know.

function register(state: ConversationState, input: Input, ctx: ConversationContext): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const asks = (input.type === 'button' && input.payload.a === 'help') || (input.type === 'text' && isHelpRequest(input.text));
  if (asks && state.kind !== 'start') return stay(texts.helpRegistration[state.kind === 'join_code' ? 'join_code' : state.kind === 'full_name' ? 'full_name' : 'classes']);
  switch (state.kind) {
    case 'join_code': {
      if (state.lockedUntil !== null && new Date(state.lockedUntil) > ctx.now) {
        const minutes = Math.max(1, Math.ceil((new Date(state.lockedUntil).getTime() - ctx.now.getTime()) / 60_000));
        return { state, effects: [], replies: [{ text: texts.joinCodeLocked(minutes) }] };
      }
      if (input.type !== 'text') return stay(texts.unsupported);
      if (ctx.claimTeacher) {
        // The personal code the administrator handed out: this is that roster row's teacher.
        const claimed = welcome(ctx.claimTeacher, { ...ctx, teacher: ctx.claimTeacher, completions: [] });
        return { ...claimed, effects: [{ type: 'claim', teacherId: ctx.claimTeacher.id }, ...claimed.effects] };
      }
      if (ctx.joinCodeSchool) {
        return {
          state: { kind: 'full_name', schoolId: ctx.joinCodeSchool.id },
          effects: [],
          replies: [{ text: texts.joinCodeAccepted(ctx.joinCodeSchool.name) }],
        };
      }
      const attempts = state.attempts + 1;
      if (attempts >= MAX_JOIN_ATTEMPTS) {
        const lockedUntil = new Date(ctx.now.getTime() + JOIN_LOCK_MINUTES * 60_000).toISOString();
        return {
          state: { kind: 'join_code', attempts: 0, lockedUntil },
          effects: [],
          replies: [{ text: texts.joinCodeLocked(JOIN_LOCK_MINUTES) }],
        };
      }
      return { state: { kind: 'join_code', attempts, lockedUntil: null }, effects: [], replies: [{ text: texts.joinCodeWrong }] };
    }
    case 'full_name': {
      if (input.type !== 'text') return stay(texts.unsupported);
      const name = parseFullName(input.text);
      if (!name.ok) return stay(texts.fullNameErrors[name.error]);
      // A rostered name is claimed with its personal code only: the join code is public (posters).
      if (ctx.rosterNameTaken) return { state: { kind: 'join_code', attempts: 0, lockedUntil: null }, effects: [], replies: [{ text: texts.rosterNameTaken }] };
      const next: ConversationState = { kind: 'classes', schoolId: state.schoolId, fullName: name.value };
      return { state: next, effects: [], replies: [ask(next, ctx)] };
    }
    case 'classes': {
      let classes: string[];
      if (input.type === 'button' && input.payload.a === 'no_classes') {
        classes = [];
      } else if (input.type === 'text') {
        const parsed = parseClassList(input.text);
        if (!parsed.ok) return stay(texts.classErrors[parsed.error]);
        classes = parsed.value;
      } else {
        return stay(texts.unsupported);
      }
      const teacher: Teacher = {
        id: '',
        schoolId: state.schoolId,
        vkId: null,
        fullName: state.fullName,
        classes,
        startedAt: ctx.now,
        finishedAt: null,
      };
      const next = presentNext({ ...ctx, teacher }, teacher, []);
      return {
        state: next.state,
        effects: [{ type: 'register', schoolId: state.schoolId, fullName: state.fullName, classes }],
        replies: [{ text: `${texts.registered(addressName(state.fullName), classes)}\n\n${texts.privacy}` }, ...next.replies],
      };
    }
    default: {
      // A first message, or a registered state whose teacher was removed: start over.
      if (ctx.joinCodeSchool) {
        return {
          state: { kind: 'full_name', schoolId: ctx.joinCodeSchool.id },
          effects: [],
          replies: [{ text: texts.joinCodeAccepted(ctx.joinCodeSchool.name) }],
        };
      }
      const next: ConversationState = { kind: 'join_code', attempts: 0, lockedUntil: null };
      return { state: next, effects: [], replies: [{ text: asks ? `${texts.helpRegistration.join_code}\n\n${texts.welcomeStranger}` : texts.welcomeStranger }] };
    }
  }
}

/** First contact of a teacher the administrator imported: greet by name and start the first task. */
function welcome(teacher: Teacher, ctx: ConversationContext): Transition {
  const next = presentNext(ctx, teacher, []);
  const greeting = texts.greeting(addressName(teacher.fullName), ctx.checklist.title, ctx.checklist.tasks.length);
  return {
    state: next.state,
    effects: teacher.startedAt ? [] : [{ type: 'start' }],
    replies: [{ text: `${greeting}\n\n${texts.privacy}` }, ...next.replies],
  };
}

// ---------------------------------------------------------------------------------------------
// A registered teacher.

function converse(state: ConversationState, input: Input, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });

  if (input.type === 'forged_button') return stay(texts.unknownButton);
  if (input.type === 'unsupported' || input.type === 'document') return stay(texts.unsupported);
  if (input.type === 'admin_only' || (input.type === 'button' && !isTeacherPayload(input.payload))) return stay(texts.adminOnly);

  const command =
    input.type === 'button' ? (isTeacherPayload(input.payload) ? input.payload : undefined) : input.type === 'text' ? commandFromText(input.text) : undefined;
  if (command) return onCommand(state, command, ctx, teacher);
  // A question or a plea for help at any step («?», «не понимаю», «как это сделать?») gets a how-to,
  // not a correction; only a reason for «не относится» is free text that may end with «?».
  if (input.type === 'text' && state.kind !== 'na_reason' && isHelpRequest(input.text)) return helpReply(state, ctx);

  switch (state.kind) {
    case 'task':
      return answerTask(state, input, ctx, teacher);
    case 'na_reason': {
      if (input.type !== 'text') return stay(texts.naReasonEmpty);
      const reason = input.text.trim().replace(/\s+/g, ' ');
      if (reason.length > MAX_REASON_LENGTH) return stay(texts.naReasonTooLong);
      if (!/[\p{L}\p{N}]/u.test(reason)) return stay(texts.naReasonEmpty);
      return afterAnswer(ctx, teacher, { type: 'not_applicable', task: state.task, reason }, texts.naRecorded);
    }
    case 'leave_date': {
      if (input.type !== 'text') return stay(texts.leaveDateErrors.bad_date);
      const date = parseLeaveDate(input.text, ctx.today);
      if (!date.ok) return stay(texts.leaveDateErrors[date.error]);
      return {
        state: { kind: 'menu' },
        effects: [{ type: 'leave', until: date.value }],
        replies: [{ text: texts.leaveRecorded(formatRuDate(date.value)), buttons: menuButtons(ctx) }],
      };
    }
    default: {
      const next = presentNext(ctx, teacher, ctx.completions);
      if (input.type !== 'photo') return next;
      // A photo sent from the menu answers the next task when that task wants one.
      const wants = next.state.kind === 'task' ? findTask(ctx.checklist, next.state.task)?.step.kind : undefined;
      if (next.state.kind === 'task' && (wants === 'photo' || wants === 'poster')) {
        return answerTask(next.state, input, ctx, teacher);
      }
      return { ...next, replies: next.replies.map((reply, i) => (i === 0 ? withPrefix(texts.photoNotNow, reply) : reply)) };
    }
  }
}

function commandFromText(text: string): TeacherPayload | undefined {
  const command = commandOf(textCommands, text);
  return command ? { a: command } : undefined;
}

function onCommand(state: ConversationState, payload: TeacherPayload, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const progress = computeProgress(ctx.checklist, teacher.classes, ctx.completions);
  switch (payload.a) {
    case 'menu':
      return { state, effects: [], replies: [{ text: texts.menuTitle, buttons: menuButtons(ctx, { reminders: true }) }] };
    case 'progress':
      return { state, effects: [], replies: [{ text: progressText(progress), buttons: menuButtons(ctx) }] };
    case 'help':
      return helpReply(state, ctx);
    case 'next':
      return state.kind === 'task' || state.kind === 'na_reason'
        ? { state, effects: [], replies: [ask(state, ctx, { intro: true })] }
        : presentNext(ctx, teacher, ctx.completions);
    case 'edit':
      return { state, effects: [], replies: [editReply(progress, ctx, payload.p ?? 0)] };
    case 'redo': {
      const task = findTask(ctx.checklist, payload.t);
      if (!task) return stay(texts.unknownButton);
      if (task.perClass && teacher.classes.length === 0) return stay(texts.notForYouNoClasses);
      if (task.perClass && payload.c === undefined && teacher.classes.length > 1) {
        return { state, effects: [], replies: [classChoiceReply(task, teacher.classes)] };
      }
      if (task.perClass && payload.c !== undefined && !teacher.classes.includes(payload.c)) return stay(texts.unknownButton);
      const className = task.perClass ? (payload.c ?? teacher.classes[0] ?? null) : null;
      const next: TaskState = { kind: 'task', task: task.code, className, item: 0, draft: {} };
      return { state: next, effects: [], replies: [ask(next, ctx, { intro: true })] };
    }
    case 'done': {
      if (state.kind !== 'task' || state.task !== payload.t) return stay(texts.staleButton);
      const task = findTask(ctx.checklist, state.task);
      if (task?.step.kind === 'confirm') return complete(ctx, teacher, state, { kind: 'confirm' });
      if (task?.step.kind === 'photo' && !task.step.required) return complete(ctx, teacher, state, { kind: 'photo', photo: null });
      if (task?.step.kind === 'poster' && !task.step.photoRequired) {
        const links = state.className === null ? null : linksOf(ctx.completions, task.step.links, state.className);
        if (links) return complete(ctx, teacher, state, { kind: 'poster', links, photo: null });
      }
      return stay(texts.staleButton);
    }
    case 'na':
      if (state.kind !== 'task' || state.task !== payload.t) return stay(texts.staleButton);
      if (findTask(ctx.checklist, state.task)?.optOut === false) return stay(texts.naNotOffered);
      return { state: { kind: 'na_reason', task: state.task }, effects: [], replies: [ask({ kind: 'na_reason', task: state.task }, ctx)] };
    case 'cancel':
      if (state.kind === 'na_reason') {
        const back = startOf(ctx.checklist, state.task, teacher, progress);
        return { state: back, effects: [], replies: [ask(back, ctx, { intro: true })] };
      }
      return {
        state: state.kind === 'forget_confirm' || state.kind === 'leave_date' ? { kind: 'menu' } : state,
        effects: [],
        replies: [{ text: texts.menuTitle, buttons: menuButtons(ctx, { reminders: true }) }],
      };
    case 'no_classes':
      return stay(texts.staleButton);
    case 'poster':
      return sendPoster(state, payload.c, ctx, teacher);
    case 'parents':
      return updateParents(state, payload.c, ctx, teacher);
    case 'forget':
      return { state: { kind: 'forget_confirm' }, effects: [], replies: [ask({ kind: 'forget_confirm' }, ctx)] };
    case 'forget_yes':
      if (state.kind !== 'forget_confirm') return stay(texts.staleButton);
      return { state: { kind: 'start' }, effects: [{ type: 'erase' }], replies: [{ text: texts.forgotten }] };
    case 'snooze': {
      // Keeps whatever question is pending: the teacher continues there when they come back.
      const until = addDays(ctx.today, payload.d);
      const text = payload.d === 1 ? texts.snoozedTomorrow : texts.snoozedWeek(formatRuDate(until));
      return { state, effects: [{ type: 'snooze', until }], replies: [{ text, buttons: [[{ label: texts.menuButtons.menu, payload: { a: 'menu' } }]] }] };
    }
    case 'leave':
      return { state: { kind: 'leave_date' }, effects: [], replies: [ask({ kind: 'leave_date' }, ctx)] };
    default: {
      const unreachable: never = payload;
      return unreachable;
    }
  }
}

function answerTask(state: TaskState, input: Input, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  // A hint that already says what to press: the step's buttons, without its prompt said a second time.
  const hint = (text: string): Transition => ({ state, effects: [], replies: [{ text, buttons: ask(state, ctx).buttons ?? [] }] });
  const task = findTask(ctx.checklist, state.task);
  if (!task) return presentNext(ctx, teacher, ctx.completions);
  const { step } = task;
  switch (step.kind) {
    case 'confirm':
      if (input.type === 'text' && isAffirmative(input.text)) {
        return complete(ctx, teacher, state, { kind: 'confirm' });
      }
      return hint(texts.confirmHint(step.button));
    case 'photo':
      if (input.type === 'photo') return complete(ctx, teacher, state, { kind: 'photo', photo: input.photo });
      if (!step.required && input.type === 'text' && isAffirmative(input.text)) {
        return complete(ctx, teacher, state, { kind: 'photo', photo: null });
      }
      return step.required ? stay(texts.photoExpected) : hint(texts.optionalPhotoHint(step.skipButton ?? texts.doneButton));
    case 'poster': {
      const links = state.className === null ? null : linksOf(ctx.completions, step.links, state.className);
      if (!links) return { state, effects: [], replies: [ask(state, ctx)] };
      if (input.type === 'photo') return complete(ctx, teacher, state, { kind: 'poster', links, photo: input.photo });
      if (step.photoRequired) return stay(texts.photoExpected);
      if (input.type === 'text' && isAffirmative(input.text)) return complete(ctx, teacher, state, { kind: 'poster', links, photo: null });
      return hint(texts.posterOptionalHint(step.button ?? texts.posterHungButton));
    }
    case 'links': {
      if (input.type !== 'text') return stay(texts.linkErrors.no_link);
      const parsed = parseInviteLinks(input.text);
      if (!parsed.ok) return stay(texts.linkErrors[parsed.error]);
      const links = parsed.value;
      const left = step.chats.length - state.item;
      if (links.length > left) return stay(texts.tooManyLinks(links.length, left));
      if (links.some((link) => Object.values(state.draft).includes(link))) return stay(texts.sameLinkTwice);
      // One chat, one class. Another teacher's link for the same class is a chat the two share on
      // purpose (co-teachers of one class); for another class it is a mistake, whoever gave it.
      const others = (ctx.linkOwners ?? []).filter((o) => links.includes(o.link) && !(o.teacherId === teacher.id && o.className === state.className));
      const taken = others.find((o) => o.className !== state.className);
      if (taken) return stay(texts.linkTaken(taken.className ?? ''));
      const note = others.length > 0 && state.className !== null ? texts.linkShared(state.className) : null;
      const draft = { ...state.draft };
      links.forEach((link, i) => {
        const chat = step.chats[state.item + i];
        if (chat) draft[chat.key] = link;
      });
      const item = state.item + links.length;
      if (item < step.chats.length) {
        const next: TaskState = { ...state, item, draft };
        const reply = ask(next, ctx);
        return { state: next, effects: [], replies: [note ? withPrefix(note, reply) : reply] };
      }
      const answer = Object.fromEntries(step.chats.map((c) => [c.key, String(draft[c.key])]));
      const done = complete(ctx, teacher, state, { kind: 'links', links: answer });
      if (!note) return done;
      return { ...done, replies: done.replies.map((reply, i) => (i === 0 ? withPrefix(note, reply) : reply)) };
    }
    case 'report': {
      const index = state.item;
      const field = step.fields[index];
      if (!field) return presentNext(ctx, teacher, ctx.completions);
      if (input.type !== 'text') return stay(texts.unsupported);
      let value: string | number;
      if (field.type === 'date') {
        const date = parseReportDate(input.text, ctx.today);
        if (!date.ok) return stay(texts.dateErrors[date.error]);
        value = date.value;
      } else {
        const count = parseCount(input.text, field.max, ctx.today);
        if (!count.ok) return stay(texts.countErrors[count.error]);
        const boundField = field.atMost === undefined ? undefined : step.fields.findIndex((f) => f.key === field.atMost);
        const limit = field.atMost === undefined ? undefined : state.draft[field.atMost];
        if (boundField !== undefined && boundField >= 0 && typeof limit === 'number' && count.value > limit) {
          // Either number may be the wrong one: say both, and ask the total again.
          const back: TaskState = { ...state, item: boundField };
          const bound = step.fields[boundField];
          return {
            state: back,
            effects: [],
            replies: [withPrefix(texts.countAboveTotal(count.value, limit, fieldLabel(field), fieldLabel(bound ?? field)), ask(back, ctx))],
          };
        }
        value = count.value;
      }
      const draft = { ...state.draft, [field.key]: value };
      const nextItem = index + 1;
      if (nextItem < step.fields.length) {
        const next: TaskState = { ...state, item: nextItem, draft };
        return { state: next, effects: [], replies: [ask(next, ctx)] };
      }
      return complete(ctx, teacher, state, { kind: 'report', values: draft });
    }
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

function complete(ctx: ConversationContext, teacher: Teacher, state: TaskState, evidence: Evidence): Transition {
  const previous = ctx.completions.find((c) => c.task === state.task && c.className === state.className && c.status === 'done');
  const task = findTask(ctx.checklist, state.task);
  const recorded = evidence.kind === 'report' && task?.step.kind === 'report' ? texts.recorded(reportSummary(task.step.fields, evidence.values)) : '';
  const prefix = `${previous ? texts.updated : texts.accepted}${recorded}`;
  const lead =
    evidence.kind === 'links' && state.className !== null
      ? posterForNewLinks(ctx, state.task, state.className, evidence.links, previous, prefix)
      : undefined;
  return afterAnswer(ctx, teacher, { type: 'complete', task: state.task, className: state.className, evidence }, prefix, lead);
}

/**
 * Applies an answer in memory, then thanks the teacher once when all is closed, or asks the next
 * open item. The prefix («Принято») opens the first reply, unless `lead` messages (which then
 * carries it) goes first.
 */
function afterAnswer(
  ctx: ConversationContext,
  teacher: Teacher,
  effect: Extract<Effect, { type: 'complete' | 'not_applicable' }>,
  prefix: string,
  lead?: Reply[],
): Transition {
  const completions = applyAnswer(ctx.completions, effect, ctx.now);
  const progress = computeProgress(ctx.checklist, teacher.classes, completions);
  const open = (replies: Reply[]): Reply[] =>
    lead ? [...lead, ...replies] : replies.map((reply, i) => (i === 0 ? withPrefix(prefix, reply) : reply));
  if (progress.complete) {
    if (teacher.finishedAt === null) {
      return { state: { kind: 'menu' }, effects: [effect, { type: 'finish' }], replies: open([{ text: texts.allDone, buttons: menuButtons({ ...ctx, completions }) }]) };
    }
    return { state: { kind: 'menu' }, effects: [effect], replies: open([{ text: progressText(progress), buttons: menuButtons({ ...ctx, completions }) }]) };
  }
  const next = presentNext(ctx, teacher, completions);
  return { state: next.state, effects: [effect], replies: open(next.replies) };
}

/**
 * «Родители в чатах»: asks the parents' figures again, of one class (the teacher picks when they
 * have several). A class already reported keeps its other answers (the meeting date) and is asked
 * only the counts; a class not reported yet gets the whole report.
 */
function updateParents(state: ConversationState, className: string | undefined, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const fields = reachFields(ctx.checklist);
  const task = fields ? findTask(ctx.checklist, fields.task) : undefined;
  if (!fields || task?.step.kind !== 'report') return stay(texts.unknownButton);
  if (task.perClass && teacher.classes.length === 0) return stay(texts.notForYouNoClasses);
  if (task.perClass && className !== undefined && !teacher.classes.includes(className)) return stay(texts.unknownButton);
  if (task.perClass && className === undefined && teacher.classes.length > 1) {
    const reports = parentsReports(fields, teacher.classes, ctx.completions);
    const buttons = teacher.classes.map((name): Button => ({ label: name, payload: { a: 'parents', c: name } }));
    const rows: Button[][] = [];
    for (let i = 0; i < buttons.length; i += 4) rows.push(buttons.slice(i, i + 4));
    const lines = teacher.classes.map((name) => {
      const report = reports.find((r) => r.className === name);
      return report ? `${name}: ${formatReach(report)}` : `${name}: ${texts.parentsNotReported}`;
    });
    return { state, effects: [], replies: [{ text: [texts.parentsWhichClass, ...lines].join('\n'), buttons: [...rows, [{ label: texts.menuButtons.menu, payload: { a: 'menu' } }]] }] };
  }
  const name = task.perClass ? (className ?? teacher.classes[0]!) : null;
  const previous = ctx.completions.find((c) => c.task === task.code && c.className === name && c.status === 'done');
  const values = previous?.evidence?.kind === 'report' ? previous.evidence.values : null;
  // Start at the first count field when every field before it is answered already.
  const first = task.step.fields.findIndex((field) => field.key === fields.total || field.key === fields.joined);
  const known = values !== null && task.step.fields.slice(0, first).every((field) => values[field.key] !== undefined);
  const next: TaskState = { kind: 'task', task: task.code, className: name, item: known ? first : 0, draft: known ? { ...values } : {} };
  const now = values && typeof values[fields.joined] === 'number' && typeof values[fields.total] === 'number' ? texts.parentsNow(Number(values[fields.joined]), Number(values[fields.total])) : null;
  return { state: next, effects: [], replies: [known ? withPrefix(now ?? texts.parentsUpdate, ask(next, ctx)) : ask(next, ctx, { intro: true })] };
}

// ---------------------------------------------------------------------------------------------
// QR posters.

/**
 * The message that follows new links for a class: the poster (a first one, or a new one to print
 * instead of the old), or a note that unchanged links leave the printed poster valid.
 */
function posterForNewLinks(
  ctx: ConversationContext,
  linksTask: string,
  className: string,
  links: Record<string, string>,
  previous: Completion | undefined,
  prefix: string,
): Reply[] | undefined {
  const posterTask = ctx.checklist.tasks.find((t) => t.step.kind === 'poster' && t.step.links === linksTask);
  if (!posterTask) return undefined;
  const declined = ctx.completions.some((c) => c.task === posterTask.code && c.className === null && c.status === 'not_applicable');
  if (declined) return undefined;
  const before = previous?.evidence?.kind === 'links' ? previous.evidence.links : null;
  if (before && sameLinks(before, links)) return [{ text: `${prefix} ${texts.linksUnchanged}` }];
  const request = buildPoster(ctx, linksTask, [{ className, links }]);
  if (!request) return undefined;
  return [{ text: `${prefix}\n\n${before ? texts.posterReprint(className) : texts.posterReady(className)}` }, posterMessage(request, className)];
}

/** «Плакат с QR-кодами» and «Прислать плакат ещё раз»: the poster of one class, or of all with links. */
function sendPoster(state: ConversationState, className: string | undefined, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const posterTask = ctx.checklist.tasks.find((t) => t.step.kind === 'poster');
  if (posterTask?.step.kind !== 'poster') return stay(texts.unknownButton);
  if (teacher.classes.length === 0) return stay(texts.notForYouNoClasses);
  if (className !== undefined && !teacher.classes.includes(className)) return stay(texts.unknownButton);
  const source = posterTask.step.links;
  const wanted = className === undefined ? teacher.classes : [className];
  const pages = wanted.flatMap((name) => {
    const links = linksOf(ctx.completions, source, name);
    return links ? [{ className: name, links }] : [];
  });
  const [single] = pages;
  const request = buildPoster(ctx, source, pages);
  if (!single || !request) return stay(texts.posterNoLinks(className ?? null));
  const missing = wanted.filter((name) => !pages.some((p) => p.className === name));
  const text = [
    pages.length === 1 ? texts.posterResent(single.className) : texts.posterAll(pages.map((p) => p.className)),
    ...(missing.length > 0 ? [texts.posterMissing(missing)] : []),
  ].join(' ');
  // Mid-task the question is asked again after the poster; otherwise the menu stays at hand.
  const pending = state.kind === 'task' || state.kind === 'na_reason';
  const reply: Reply = { text, ...(pending ? {} : { buttons: menuButtons(ctx) }) };
  const poster = posterMessage(request, pages.length === 1 ? single.className : undefined);
  return { state, effects: [], replies: pending ? [reply, ask(state, ctx), poster] : [reply, poster] };
}

/**
 * The PDF alone: one file save per poster (a save is a VK request of its own, never batched), and
 * the links it carries are in the teacher's own messages to forward anyway.
 */
function buildPoster(ctx: ConversationContext, linksTask: string, pages: { className: string; links: Record<string, string> }[]): PosterRequest | null {
  const task = findTask(ctx.checklist, linksTask);
  if (!task || pages.length === 0) return null;
  return posterRequest({ schoolName: ctx.school?.name ?? '', linksTask: task, pages, previews: false });
}

/**
 * The poster as a message of its own, sent after the text (it never holds the text up), and what
 * is said instead when its file cannot be made or delivered.
 */
function posterMessage(request: PosterRequest, className: string | undefined): Reply {
  const again: Button = { label: texts.posterAgainButton, payload: className === undefined ? { a: 'poster' } : { a: 'poster', c: className } };
  return {
    text: texts.posterFile(request.pages.map((page) => page.className)),
    poster: request,
    withoutFiles: { text: texts.posterNotSent, buttons: [[again]] },
  };
}

/**
 * The in-memory twin of how answers are stored: an answer replaces the previous one for the same
 * task and class, and a "done" answer lifts a task-level "not applicable" mark.
 */
export function applyAnswer(
  completions: readonly Completion[],
  effect: Extract<Effect, { type: 'complete' | 'not_applicable' }>,
  at: Date,
): Completion[] {
  if (effect.type === 'not_applicable') {
    const rest = completions.filter((c) => !(c.task === effect.task && c.className === null));
    return [...rest, { task: effect.task, className: null, status: 'not_applicable', evidence: null, reason: effect.reason, at }];
  }
  const rest = completions.filter(
    (c) => !(c.task === effect.task && (c.className === effect.className || (c.className === null && c.status === 'not_applicable'))),
  );
  return [...rest, { task: effect.task, className: effect.className, status: 'done', evidence: effect.evidence, reason: null, at }];
}

function presentNext(ctx: ConversationContext, teacher: Teacher, completions: readonly Completion[]): Transition {
  const progress = computeProgress(ctx.checklist, teacher.classes, completions);
  const item = nextOpenItem(progress);
  if (!item) return { state: { kind: 'menu' }, effects: [], replies: [{ text: `${texts.nothingLeft}\n\n${progressText(progress)}`, buttons: menuButtons({ ...ctx, completions }) }] };
  const state: TaskState = { kind: 'task', task: item.task.code, className: item.className, item: 0, draft: {} };
  return { state, effects: [], replies: [ask(state, { ...ctx, completions }, { intro: true })] };
}

function startOf(checklist: Checklist, code: string, teacher: Teacher, progress: Progress): TaskState {
  const open = progress.tasks.find((t) => t.task.code === code);
  const className = findTask(checklist, code)?.perClass ? (open?.openClasses[0] ?? teacher.classes[0] ?? null) : null;
  return { kind: 'task', task: code, className, item: 0, draft: {} };
}

// ---------------------------------------------------------------------------------------------
// Rendering questions.

/** The question that the state is waiting for; `intro` adds the task's title and explanation. */
export function ask(state: ConversationState, ctx: ConversationContext, options: { intro?: boolean } = {}): Reply {
  switch (state.kind) {
    case 'start':
      return { text: texts.welcomeStranger };
    case 'join_code':
      return { text: texts.welcomeStranger };
    case 'full_name':
      return { text: texts.askFullName };
    case 'classes':
      return { text: texts.askClasses, buttons: [[{ label: texts.noClassesButton, payload: { a: 'no_classes' } }]] };
    case 'menu':
      return { text: texts.menuTitle, buttons: menuButtons(ctx, { reminders: true }) };
    case 'na_reason':
      return { text: texts.askNaReason, buttons: [[{ label: texts.cancelButton, payload: { a: 'cancel' } }]] };
    case 'forget_confirm':
      return {
        text: texts.forgetAsk,
        buttons: [[{ label: texts.forgetYesButton, payload: { a: 'forget_yes' }, color: 'negative' }, { label: texts.cancelButton, payload: { a: 'cancel' } }]],
      };
    case 'leave_date':
      return { text: texts.askLeaveDate, buttons: [[{ label: texts.cancelButton, payload: { a: 'cancel' } }]] };
    case 'task': {
      const index = ctx.checklist.tasks.findIndex((t) => t.code === state.task);
      const task = ctx.checklist.tasks[index];
      if (!task) return { text: texts.menuTitle, buttons: menuButtons(ctx) };
      const parts: string[] = [];
      if (options.intro && state.item === 0) {
        const skipped = skippedBefore(ctx, index);
        if (skipped.length > 0) parts.push(texts.skippedNoClasses(skipped));
        parts.push(texts.taskHeader(index + 1, ctx.checklist.tasks.length, task.title, task.point), task.text);
        // The school knows the real steps of linking with «Электронное образование» (DESIGN §1).
        if (task.code === EO_LINK_TASK) parts.push(ctx.school?.eoInstructions ? texts.schoolInstructions(ctx.school.eoInstructions) : texts.noSchoolInstructions);
      }
      if (task.perClass && state.className) parts.push(texts.forClass(state.className));
      const { prompt, buttons } = stepPrompt(task, state, ctx);
      if (prompt) parts.push(prompt);
      return { text: parts.join('\n\n'), buttons: [...buttons, taskFooter(task)] };
    }
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

function stepPrompt(task: Task, state: TaskState, ctx: ConversationContext): { prompt: string; buttons: Button[][] } {
  const { step } = task;
  switch (step.kind) {
    case 'confirm':
      return {
        prompt: texts.confirmPrompt(step.button),
        buttons: [[{ label: step.button, payload: { a: 'done', t: task.code }, color: 'positive' }]],
      };
    case 'photo':
      if (step.required) return { prompt: texts.photoPrompt(state.className), buttons: [] };
      return {
        prompt: texts.optionalPhotoPrompt(step.skipButton ?? texts.skipButton),
        buttons: [[{ label: step.skipButton ?? texts.skipButton, payload: { a: 'done', t: task.code }, color: 'positive' }]],
      };
    case 'poster': {
      const className = state.className;
      const links = className === null ? null : linksOf(ctx.completions, step.links, className);
      if (className === null || !links) return { prompt: texts.posterNoLinks(className), buttons: [] };
      const outdated = computeProgress(ctx.checklist, ctx.teacher?.classes ?? [], ctx.completions)
        .tasks.find((t) => t.task.code === task.code)
        ?.outdatedClasses.includes(className);
      const note = outdated ? `${texts.posterOutdatedNote(className)}\n\n` : '';
      const again: Button[] = [{ label: texts.posterAgainButton, payload: { a: 'poster', c: className } }];
      if (step.photoRequired) return { prompt: note + texts.posterPhotoPrompt(className), buttons: [again] };
      const label = step.button ?? texts.posterHungButton;
      return {
        prompt: note + texts.posterOptionalPrompt(className, label),
        buttons: [[{ label, payload: { a: 'done', t: task.code }, color: 'positive' }], again],
      };
    }
    case 'links': {
      const chat = step.chats[state.item];
      return { prompt: chat ? chat.prompt.replaceAll('{class}', state.className ?? '') : '', buttons: [] };
    }
    case 'report': {
      const field = step.fields[state.item];
      return { prompt: (field?.prompt ?? '').replaceAll('{class}', state.className ?? ''), buttons: [] };
    }
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

const taskFooter = (task: Task): Button[] => [
  ...(task.optOut ? [{ label: texts.notApplicableButton, payload: { a: 'na', t: task.code } } satisfies Button] : []),
  { label: texts.menuButtons.menu, payload: { a: 'menu' } },
];

const fieldLabel = (field: ReportField): string => field.label ?? field.key;

/** «дата собрания — 01.12.2026, родителей всего — 25»: what was recorded, in the checklist's words. */
export function reportSummary(fields: readonly ReportField[], values: Readonly<Record<string, string | number>>): string {
  return fields
    .filter((f) => values[f.key] !== undefined)
    .map((f) => {
      const value = values[f.key]!;
      return `${fieldLabel(f).toLocaleLowerCase('ru')} — ${typeof value === 'string' && isLocalDate(value) ? formatRuDate(value) : value}`;
    })
    .join(', ');
}

/**
 * The per-class tasks right before task `index` that a teacher without classes skips: said once,
 * on the task that follows them, so «Задание 1» → «Задание 4» is not a silent jump.
 */
function skippedBefore(ctx: ConversationContext, index: number): string[] {
  if (!ctx.teacher || ctx.teacher.classes.length > 0) return [];
  const skipped: string[] = [];
  for (let i = index - 1; i >= 0; i -= 1) {
    const task = ctx.checklist.tasks[i];
    if (!task?.perClass) break;
    skipped.unshift(texts.taskRef(i + 1, task.title));
  }
  return skipped;
}

/** A how-to for the step the teacher is on, who to ask at school, and the step's own buttons. */
function helpReply(state: ConversationState, ctx: ConversationContext): Transition {
  const pending = ask(state, ctx);
  if (state.kind === 'task') {
    const task = findTask(ctx.checklist, state.task);
    const howTo = task?.help ?? (task ? texts.stepHelp[task.step.kind] : texts.help);
    return { state, effects: [], replies: [{ text: `${howTo}\n\n${texts.whoToAsk}\n\n${pending.text}`, buttons: pending.buttons ?? [] }] };
  }
  if (state.kind === 'leave_date') return { state, effects: [], replies: [{ ...pending, text: `${texts.leaveDateHelp}\n\n${texts.whoToAsk}` }] };
  return { state, effects: [], replies: [{ text: `${texts.help}\n\n${texts.whoToAsk}`, buttons: menuButtons(ctx) }] };
}

/**
 * The menu, 10 buttons at most (VK's limit): «Плакат с QR-кодами» only for a teacher with classes
 * when the checklist makes posters, «Родители в чатах» when it asks for those figures (and, asked
 * per class, the teacher has a class); with `reminders` (the full menu), also snooze and leave.
 */
function menuButtons(ctx: ConversationContext, options: { reminders?: boolean } = {}): Button[][] {
  const b = texts.menuButtons;
  const posters = (ctx.teacher?.classes.length ?? 0) > 0 && ctx.checklist.tasks.some((t) => t.step.kind === 'poster');
  const fields = reachFields(ctx.checklist);
  const parents = fields !== null && (!fields.perClass || (ctx.teacher?.classes.length ?? 0) > 0);
  const help: Button = { label: b.help, payload: { a: 'help' } };
  const forget: Button = { label: b.forget, payload: { a: 'forget' } };
  const progressButton: Button = { label: b.progress, payload: { a: 'progress' } };
  const edit: Button = { label: b.edit, payload: { a: 'edit' } };
  const complete = ctx.teacher !== null && computeProgress(ctx.checklist, ctx.teacher.classes, ctx.completions).complete;
  const poster: Button = { label: b.poster, payload: { a: 'poster' } };
  const parentsButton: Button = { label: b.parents, payload: { a: 'parents' } };
  // Once every task is closed there is no next task and nothing to remind of; the parents' figures can still change.
  if (complete) return [[progressButton, edit], [...(posters ? [poster] : []), ...(parents ? [parentsButton] : []), help], [forget]];
  const rows: Button[][] = [
    [{ label: b.next, payload: { a: 'next' }, color: 'primary' }],
    [progressButton, edit],
    [...(posters ? [poster] : []), ...(parents ? [parentsButton] : []), help],
  ];
  if (options.reminders) {
    rows.push(
      [
        { label: b.snoozeTomorrow, payload: { a: 'snooze', d: 1 } },
        { label: b.snoozeWeek, payload: { a: 'snooze', d: 7 } },
      ],
      [{ label: b.leave, payload: { a: 'leave' } }, forget],
    );
  } else {
    rows.push([forget]);
  }
  return rows;
}

/** «Ваш прогресс: 3 из 6» and a ✅/⬜/➖ line per task. */
export function progressText(progress: Progress): string {
  const lines = progress.tasks.map((t) => {
    if (t.status === 'done') return `✅ ${t.task.title}`;
    if (t.status === 'not_applicable') return `➖ ${t.task.title} — ${t.reason ? texts.naBecause(t.reason) : texts.naNoClasses}`;
    const classes = t.task.perClass && t.classesTotal > 1 ? ` ${texts.classesDone(t.classesDone, t.classesTotal)}` : '';
    const outdated = t.outdatedClasses.length > 0 ? ` — ${texts.posterOutdated(t.outdatedClasses)}` : '';
    return `⬜ ${t.task.title}${classes}${outdated}`;
  });
  return [texts.progressTitle(progress.closed, progress.total), ...lines].join('\n');
}

/** Tasks a page of «Изменить ответ» lists: with the row of «Ещё»/«Назад» and «Меню», 6 rows at most. */
export const EDIT_PAGE_SIZE = 5;

function editReply(progress: Progress, ctx: ConversationContext, page: number): Reply {
  const editable = progress.tasks
    .map((t, index) => ({ ...t, number: index + 1 }))
    .filter((t) => t.status !== 'open' || t.classesDone > 0 || t.outdatedClasses.length > 0)
    .filter((t) => !(t.task.perClass && t.classesTotal === 0));
  if (editable.length === 0) return { text: texts.editNothing, buttons: menuButtons(ctx) };
  const shown: KeyboardPage<(typeof editable)[number]> = pageOf(editable, page, EDIT_PAGE_SIZE);
  const rows = shown.items.map((t): Button[] => [{ label: clipLabel(`${t.number}. ${t.task.title}`), payload: { a: 'redo', t: t.task.code } }]);
  const footer: Button[] = [];
  if (shown.page > 0) footer.push({ label: texts.pageBack, payload: { a: 'edit', p: shown.page - 1 } });
  if (shown.page + 1 < shown.pages) footer.push({ label: texts.pageMore, payload: { a: 'edit', p: shown.page + 1 } });
  footer.push({ label: texts.menuButtons.menu, payload: { a: 'menu' } });
  const title = shown.pages > 1 ? `${texts.editTitle} ${texts.pageOf(shown.page + 1, shown.pages)}` : texts.editTitle;
  return { text: title, buttons: [...rows, footer] };
}

function classChoiceReply(task: Task, classes: readonly string[]): Reply {
  const buttons = classes.map((c): Button => ({ label: c, payload: { a: 'redo', t: task.code, c } }));
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 4) rows.push(buttons.slice(i, i + 4));
  return { text: `${task.title}. ${texts.editWhichClass}`, buttons: [...rows, [{ label: texts.menuButtons.menu, payload: { a: 'menu' } }]] };
}

/** «Да», «готово!», «Сделано.» and the like. (`\b` would not do: JavaScript word boundaries are ASCII-only.) */
const isAffirmative = (text: string): boolean =>
  /^(да|готово|сделано|сделала?|подтверждаю|ок|ok)(?=$|[\s.,!)])/i.test(text.trim());

const findTask = (checklist: Checklist, code: string): Task | undefined => checklist.tasks.find((t) => t.code === code);


const withPrefix = (prefix: string, reply: Reply): Reply => ({ ...reply, text: `${prefix}\n\n${reply.text}` });
