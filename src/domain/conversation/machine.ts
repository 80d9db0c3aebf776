import { addDays, formatRuDate } from '../calendar.js';
import type { Checklist, Task } from '../checklist/schema.js';
import type { Button, Completion, Evidence, Input, LocalDate, Reply, School, Teacher } from '../model.js';
import type { Payload } from '../payload.js';
import { type Progress, computeProgress, nextOpenItem } from '../progress.js';
import { parseClassList } from '../validation/class-list.js';
import { addressName, parseFullName } from '../validation/full-name.js';
import { parseInviteLink } from '../validation/invite-link.js';
import { parseLeaveDate } from '../validation/leave-date.js';
import { parseCount, parseReportDate } from '../validation/report-values.js';
import type { ConversationState, TaskState } from './state.js';
import { textCommands, texts } from './texts.js';

/** Longest text the bot reads; longer messages get a polite "shorter, please" and change nothing. */
export const MAX_INPUT_LENGTH = 1000;
export const MAX_REASON_LENGTH = 300;
export const MAX_JOIN_ATTEMPTS = 5;
export const JOIN_LOCK_MINUTES = 15;

export interface ConversationContext {
  checklist: Checklist;
  teacher: Teacher | null;
  /** The teacher's school, or null for someone not registered yet. */
  school: School | null;
  completions: readonly Completion[];
  /** Set by the caller when the text was a join-code attempt: the school it opens, or null. */
  joinCodeSchool?: School | null;
  now: Date;
  today: LocalDate;
}

/** A change to persist, applied by the caller in the same transaction as the new state. */
export type Effect =
  | { type: 'register'; schoolId: string; fullName: string; classes: string[] }
  | { type: 'start' }
  | { type: 'complete'; task: string; className: string | null; evidence: Evidence }
  | { type: 'not_applicable'; task: string; reason: string }
  | { type: 'finish' }
  /** No reminders before local date `until`; one is due that day. */
  | { type: 'snooze'; until: LocalDate }
  /** On leave through local date `until`, inclusive: no reminders. */
  | { type: 'leave'; until: LocalDate };

export interface Transition {
  state: ConversationState;
  replies: Reply[];
  effects: Effect[];
}

/** True when this input must be checked against the schools' join codes before `transition`. */
export function isJoinCodeAttempt(state: ConversationState, input: Input, now: Date): input is { type: 'text'; text: string } {
  return (
    state.kind === 'join_code' &&
    input.type === 'text' &&
    input.text.length <= MAX_INPUT_LENGTH &&
    !(state.lockedUntil !== null && new Date(state.lockedUntil) > now)
  );
}

/**
 * The teacher's conversation as a pure function: (state, input, context) → new state, replies, effects.
 * Wrong input never changes the state: it gets a precise correction and the same question again.
 */
export function transition(state: ConversationState, input: Input, ctx: ConversationContext): Transition {
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
  if (input.type === 'button' && input.payload.a === 'help') return stay(texts.helpRegistration);
  switch (state.kind) {
    case 'join_code': {
      if (state.lockedUntil !== null && new Date(state.lockedUntil) > ctx.now) {
        const minutes = Math.max(1, Math.ceil((new Date(state.lockedUntil).getTime() - ctx.now.getTime()) / 60_000));
        return { state, effects: [], replies: [{ text: texts.joinCodeLocked(minutes) }] };
      }
      if (input.type !== 'text') return stay(texts.unsupported);
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
        replies: [{ text: `${texts.registered(addressName(state.fullName))}\n\n${texts.privacy}` }, ...next.replies],
      };
    }
    default: {
      // A first message, or a registered state whose teacher was removed: start over.
      const next: ConversationState = { kind: 'join_code', attempts: 0, lockedUntil: null };
      return { state: next, effects: [], replies: [{ text: texts.welcomeStranger }] };
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
  if (input.type === 'unsupported') return stay(texts.unsupported);

  const command =
    input.type === 'button' ? input.payload : input.type === 'text' ? commandFromText(input.text) : undefined;
  if (command) return onCommand(state, command, ctx, teacher);

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
        replies: [{ text: texts.leaveRecorded(formatRuDate(date.value)), buttons: menuButtons() }],
      };
    }
    default: {
      const next = presentNext(ctx, teacher, ctx.completions);
      if (input.type !== 'photo') return next;
      // A photo sent from the menu answers the next task when that task wants one.
      if (next.state.kind === 'task' && findTask(ctx.checklist, next.state.task)?.step.kind === 'photo') {
        return answerTask(next.state, input, ctx, teacher);
      }
      return { ...next, replies: next.replies.map((reply, i) => (i === 0 ? withPrefix(texts.photoNotNow, reply) : reply)) };
    }
  }
}

function commandFromText(text: string): Payload | undefined {
  const word = text.trim().toLocaleLowerCase('ru').replace(/[.!]+$/, '');
  const command = textCommands[word];
  return command ? { a: command } : undefined;
}

function onCommand(state: ConversationState, payload: Payload, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const progress = computeProgress(ctx.checklist, teacher.classes, ctx.completions);
  switch (payload.a) {
    case 'menu':
      return { state, effects: [], replies: [{ text: texts.menuTitle, buttons: menuButtons({ reminders: true }) }] };
    case 'progress':
      return { state, effects: [], replies: [{ text: progressText(progress), buttons: menuButtons() }] };
    case 'help':
      return { state, effects: [], replies: [{ text: texts.help, buttons: menuButtons() }] };
    case 'next':
      return state.kind === 'task' || state.kind === 'na_reason'
        ? { state, effects: [], replies: [ask(state, ctx, { intro: true })] }
        : presentNext(ctx, teacher, ctx.completions);
    case 'edit':
      return { state, effects: [], replies: [editReply(progress)] };
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
      return stay(texts.staleButton);
    }
    case 'na':
      if (state.kind !== 'task' || state.task !== payload.t) return stay(texts.staleButton);
      return { state: { kind: 'na_reason', task: state.task }, effects: [], replies: [ask({ kind: 'na_reason', task: state.task }, ctx)] };
    case 'cancel':
      if (state.kind === 'na_reason') {
        const back = startOf(ctx.checklist, state.task, teacher, progress);
        return { state: back, effects: [], replies: [ask(back, ctx, { intro: true })] };
      }
      return {
        state: state.kind === 'leave_date' ? { kind: 'menu' } : state,
        effects: [],
        replies: [{ text: texts.menuTitle, buttons: menuButtons({ reminders: true }) }],
      };
    case 'no_classes':
      return stay(texts.staleButton);
    case 'snooze': {
      // Keeps whatever question is pending: the teacher continues there when they come back.
      const until = addDays(ctx.today, payload.d);
      const text = payload.d === 1 ? texts.snoozedTomorrow : texts.snoozedWeek(formatRuDate(until));
      return { state, effects: [{ type: 'snooze', until }], replies: [{ text, buttons: [[{ label: texts.menuButtons.menu, payload: { a: 'menu' } }]] }] };
    }
    case 'leave':
      return { state: { kind: 'leave_date' }, effects: [], replies: [ask({ kind: 'leave_date' }, ctx)] };
    case 'remind_laggards':
      // Administrators' buttons are routed elsewhere; reaching here means it was not theirs to press.
      return stay(texts.unknownButton);
    default: {
      const unreachable: never = payload;
      return unreachable;
    }
  }
}

function answerTask(state: TaskState, input: Input, ctx: ConversationContext, teacher: Teacher): Transition {
  const stay = (prefix: string): Transition => ({ state, effects: [], replies: [withPrefix(prefix, ask(state, ctx))] });
  const task = findTask(ctx.checklist, state.task);
  if (!task) return presentNext(ctx, teacher, ctx.completions);
  const { step } = task;
  switch (step.kind) {
    case 'confirm':
      if (input.type === 'text' && isAffirmative(input.text)) {
        return complete(ctx, teacher, state, { kind: 'confirm' });
      }
      return stay(texts.confirmHint(step.button));
    case 'photo':
      if (input.type === 'photo') return complete(ctx, teacher, state, { kind: 'photo', photo: input.photo });
      if (!step.required && input.type === 'text' && isAffirmative(input.text)) {
        return complete(ctx, teacher, state, { kind: 'photo', photo: null });
      }
      return stay(texts.photoExpected);
    case 'links': {
      if (input.type !== 'text') return stay(texts.linkErrors.no_link);
      const link = parseInviteLink(input.text);
      if (!link.ok) return stay(texts.linkErrors[link.error]);
      if (Object.values(state.draft).includes(link.value)) return stay(texts.sameLinkTwice);
      const chat = step.chats[state.item];
      if (!chat) return presentNext(ctx, teacher, ctx.completions);
      const draft = { ...state.draft, [chat.key]: link.value };
      if (state.item + 1 < step.chats.length) {
        const next: TaskState = { ...state, item: state.item + 1, draft };
        return { state: next, effects: [], replies: [ask(next, ctx)] };
      }
      const links = Object.fromEntries(step.chats.map((c) => [c.key, String(draft[c.key])]));
      return complete(ctx, teacher, state, { kind: 'links', links });
    }
    case 'report': {
      const field = step.fields[state.item];
      if (!field) return presentNext(ctx, teacher, ctx.completions);
      if (input.type !== 'text') return stay(texts.unsupported);
      let value: string | number;
      if (field.type === 'date') {
        const date = parseReportDate(input.text, ctx.today);
        if (!date.ok) return stay(texts.dateErrors[date.error]);
        value = date.value;
      } else {
        const count = parseCount(input.text, field.max);
        if (!count.ok) return stay(texts.countErrors[count.error]);
        const limit = field.atMost === undefined ? undefined : state.draft[field.atMost];
        if (typeof limit === 'number' && count.value > limit) return stay(texts.countAboveTotal(limit));
        value = count.value;
      }
      const draft = { ...state.draft, [field.key]: value };
      if (state.item + 1 < step.fields.length) {
        const next: TaskState = { ...state, item: state.item + 1, draft };
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
  const answeredBefore = ctx.completions.some(
    (c) => c.task === state.task && c.className === state.className && c.status === 'done',
  );
  return afterAnswer(
    ctx,
    teacher,
    { type: 'complete', task: state.task, className: state.className, evidence },
    answeredBefore ? texts.updated : texts.accepted,
  );
}

/** Applies an answer in memory, then thanks the teacher once when all is closed, or asks the next open item. */
function afterAnswer(
  ctx: ConversationContext,
  teacher: Teacher,
  effect: Extract<Effect, { type: 'complete' | 'not_applicable' }>,
  prefix: string,
): Transition {
  const completions = applyAnswer(ctx.completions, effect, ctx.now);
  const progress = computeProgress(ctx.checklist, teacher.classes, completions);
  if (progress.complete) {
    if (teacher.finishedAt === null) {
      return { state: { kind: 'menu' }, effects: [effect, { type: 'finish' }], replies: [{ text: `${prefix}\n\n${texts.allDone}` }] };
    }
    return { state: { kind: 'menu' }, effects: [effect], replies: [{ text: `${prefix}\n\n${progressText(progress)}`, buttons: menuButtons() }] };
  }
  const next = presentNext(ctx, teacher, completions);
  return { state: next.state, effects: [effect], replies: next.replies.map((reply, i) => (i === 0 ? withPrefix(prefix, reply) : reply)) };
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
  if (!item) return { state: { kind: 'menu' }, effects: [], replies: [{ text: `${texts.nothingLeft}\n\n${progressText(progress)}`, buttons: menuButtons() }] };
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
      return { text: texts.menuTitle, buttons: menuButtons({ reminders: true }) };
    case 'na_reason':
      return { text: texts.askNaReason, buttons: [[{ label: texts.cancelButton, payload: { a: 'cancel' } }]] };
    case 'leave_date':
      return { text: texts.askLeaveDate, buttons: [[{ label: texts.cancelButton, payload: { a: 'cancel' } }]] };
    case 'task': {
      const index = ctx.checklist.tasks.findIndex((t) => t.code === state.task);
      const task = ctx.checklist.tasks[index];
      if (!task) return { text: texts.menuTitle, buttons: menuButtons() };
      const parts: string[] = [];
      if (options.intro && state.item === 0) {
        parts.push(texts.taskHeader(index + 1, ctx.checklist.tasks.length, task.title), task.text);
      }
      if (task.perClass && state.className) parts.push(texts.forClass(state.className));
      const { prompt, buttons } = stepPrompt(task, state);
      if (prompt) parts.push(prompt);
      return { text: parts.join('\n\n'), buttons: [...buttons, taskFooter(task)] };
    }
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

function stepPrompt(task: Task, state: TaskState): { prompt: string; buttons: Button[][] } {
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
        prompt: texts.optionalPhotoPrompt(step.skipButton ?? 'Готово'),
        buttons: [[{ label: step.skipButton ?? 'Готово', payload: { a: 'done', t: task.code }, color: 'positive' }]],
      };
    case 'links': {
      const chat = step.chats[state.item];
      return { prompt: chat ? chat.prompt.replaceAll('{class}', state.className ?? '') : '', buttons: [] };
    }
    case 'report':
      return { prompt: step.fields[state.item]?.prompt ?? '', buttons: [] };
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

const taskFooter = (task: Task): Button[] => [
  { label: texts.notApplicableButton, payload: { a: 'na', t: task.code } },
  { label: texts.menuButtons.menu, payload: { a: 'menu' } },
];

/** The menu; with `reminders`, also the snooze and leave buttons (7 buttons, within VK's 10). */
function menuButtons(options: { reminders?: boolean } = {}): Button[][] {
  const b = texts.menuButtons;
  const rows: Button[][] = [
    [{ label: b.next, payload: { a: 'next' }, color: 'primary' }],
    [
      { label: b.progress, payload: { a: 'progress' } },
      { label: b.edit, payload: { a: 'edit' } },
    ],
  ];
  if (options.reminders) {
    rows.push(
      [
        { label: b.snoozeTomorrow, payload: { a: 'snooze', d: 1 } },
        { label: b.snoozeWeek, payload: { a: 'snooze', d: 7 } },
      ],
      [{ label: b.leave, payload: { a: 'leave' } }],
    );
  }
  rows.push([{ label: b.help, payload: { a: 'help' } }]);
  return rows;
}

/** «Ваш прогресс: 3 из 6» and a ✅/⬜/➖ line per task. */
export function progressText(progress: Progress): string {
  const lines = progress.tasks.map((t) => {
    if (t.status === 'done') return `✅ ${t.task.title}`;
    if (t.status === 'not_applicable') return `➖ ${t.task.title} — ${t.reason ? texts.naBecause(t.reason) : texts.naNoClasses}`;
    const classes = t.task.perClass && t.classesTotal > 1 ? ` ${texts.classesDone(t.classesDone, t.classesTotal)}` : '';
    return `⬜ ${t.task.title}${classes}`;
  });
  return [texts.progressTitle(progress.closed, progress.total), ...lines].join('\n');
}

function editReply(progress: Progress): Reply {
  const editable = progress.tasks.filter((t) => t.status !== 'open' || t.classesDone > 0).filter((t) => !(t.task.perClass && t.classesTotal === 0));
  if (editable.length === 0) return { text: texts.editNothing, buttons: menuButtons() };
  const rows = editable.slice(0, 8).map((t): Button[] => [{ label: clip(t.task.title), payload: { a: 'redo', t: t.task.code } }]);
  return { text: texts.editTitle, buttons: [...rows, [{ label: texts.menuButtons.menu, payload: { a: 'menu' } }]] };
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

/** VK caps a button label at 40 characters. */
const clip = (label: string): string => (label.length <= 40 ? label : `${label.slice(0, 39)}…`);

const withPrefix = (prefix: string, reply: Reply): Reply => ({ ...reply, text: `${prefix}\n\n${reply.text}` });
