import type { Input, LocalDate } from '../model.js';
import { adminActionOfText } from './commands.js';
import type { RosterFileProblem, RosterLine } from './model.js';
import { MAX_EO_INSTRUCTIONS, MAX_NOTE, isClearWord, parseAdminDate, parseHolidays, parseLocalAct } from './parsers.js';
import { type AdminPayload, isAdminPayload } from './payload.js';
import type { RosterProblem } from './roster.js';
import type { AdminStep } from './state.js';
import { adminTexts as t, isGreeting } from './texts.js';

/** What an administrator sent, after the service read any roster file or pasted roster lines. */
export type AdminInput =
  | Input
  | { type: 'roster'; lines: RosterLine[]; problems: RosterProblem[]; dataLines: number }
  | { type: 'roster_error'; problem: RosterFileProblem };

/** What the service is to do; it checks the school scope, touches storage and renders. */
export type Intent =
  | { type: 'menu'; notice?: string }
  | { type: 'summary' }
  | { type: 'laggards' }
  | { type: 'remind' }
  | { type: 'export'; format: 'xlsx' | 'csv' }
  | { type: 'school_tasks' }
  | { type: 'settings' }
  | { type: 'poster' }
  | { type: 'schools' }
  | { type: 'pick_school'; schoolId: string }
  | { type: 'teacher_mode' }
  /** A personal link to the administrators' web page. */
  | { type: 'page' }
  | { type: 'teachers'; page: number }
  | { type: 'teacher'; teacherId: string }
  | { type: 'audit'; teacherId: string }
  | { type: 'set_active'; teacherId: string; active: boolean }
  /** Show the question of `step` (after checking the teacher it names, if any). */
  | { type: 'ask'; step: AdminStep; hint?: string }
  | { type: 'preview'; lines: RosterLine[]; problems: RosterProblem[]; dataLines: number }
  | { type: 'apply'; lines: RosterLine[] }
  | { type: 'nothing_to_apply' }
  | { type: 'roster_error'; problem: RosterFileProblem }
  | { type: 'local_act'; number: string; date: LocalDate }
  | { type: 'school_link'; note: string | null }
  | { type: 'deadline'; date: LocalDate | null; back: 'settings' | 'school_tasks' }
  | { type: 'holidays'; dates: LocalDate[] }
  | { type: 'eo'; text: string | null }
  | { type: 'rotate_code' }
  | { type: 'edit'; teacherId: string; line: RosterLine }
  | { type: 'leave'; teacherId: string; until: LocalDate | null }
  | { type: 'erase'; teacherId: string }
  | { type: 'stale' };

export interface Decision {
  /** The step to store; the service may still reset it (e.g. a teacher of another school). */
  step: AdminStep;
  intent: Intent;
}

const menu: AdminStep = { kind: 'menu' };

/**
 * The administrator's conversation as a pure function: a button or a command always wins and
 * leaves any pending question; otherwise the text answers the pending question. Wrong answers
 * repeat the question with a hint and change nothing.
 */
export function decide(step: AdminStep, input: AdminInput): Decision {
  if (input.type === 'roster') {
    if (step.kind === 'edit_teacher') {
      const [line] = input.lines;
      if (input.lines.length !== 1 || input.problems.length > 0 || !line) {
        return { step, intent: { type: 'ask', step, hint: input.problems.length > 0 ? undefined : t.editOneLine } };
      }
      return { step: menu, intent: { type: 'edit', teacherId: step.teacherId, line } };
    }
    return { step: { kind: 'import_preview', lines: input.lines }, intent: { type: 'preview', lines: input.lines, problems: input.problems, dataLines: input.dataLines } };
  }
  if (input.type === 'roster_error') return { step, intent: { type: 'roster_error', problem: input.problem } };

  const payload =
    input.type === 'button' && isAdminPayload(input.payload)
      ? input.payload
      : input.type === 'text'
        ? textCommand(input.text)
        : undefined;
  if (payload) return onCommand(step, payload);
  if (input.type === 'button') return { step, intent: { type: 'stale' } };
  if (input.type !== 'text') return { step, intent: step.kind === 'menu' ? { type: 'menu', notice: t.notUnderstood } : { type: 'ask', step } };
  return onAnswer(step, input.text.trim());
}

function textCommand(text: string): AdminPayload | undefined {
  const action = adminActionOfText(text);
  if (action === 'ad_teachers') return { a: 'ad_teachers', p: 0 };
  // The rest of the text commands carry no arguments.
  return action === undefined ? undefined : ({ a: action } as AdminPayload);
}

function onCommand(step: AdminStep, payload: AdminPayload): Decision {
  const to = (intent: Intent, next: AdminStep = menu): Decision => ({ step: next, intent });
  const ask = (next: AdminStep): Decision => ({ step: next, intent: { type: 'ask', step: next } });
  switch (payload.a) {
    case 'ad_menu':
      return to({ type: 'menu' });
    case 'ad_cancel':
      // A question opened from «Школьные задачи» goes back there.
      return to(step.kind === 'deadline' && step.back === 'school_tasks' ? { type: 'school_tasks' } : { type: 'menu' });
    case 'ad_summary':
      return to({ type: 'summary' });
    case 'ad_laggards':
      return to({ type: 'laggards' });
    case 'ad_remind':
      return to({ type: 'remind' });
    case 'ad_import':
      return ask({ kind: 'await_import' });
    case 'ad_import_apply':
      return step.kind === 'import_preview' ? to({ type: 'apply', lines: step.lines }) : to({ type: 'nothing_to_apply' });
    case 'ad_export_xlsx':
      return to({ type: 'export', format: 'xlsx' });
    case 'ad_export_csv':
      return to({ type: 'export', format: 'csv' });
    case 'ad_school_tasks':
      return to({ type: 'school_tasks' });
    case 'ad_local_act':
      return ask({ kind: 'local_act' });
    case 'ad_school_link':
      return ask({ kind: 'school_link' });
    case 'ad_settings':
      return to({ type: 'settings' });
    case 'ad_deadline':
      return ask({ kind: 'deadline', back: payload.b ?? 'settings' });
    case 'ad_holidays':
      return ask({ kind: 'holidays' });
    case 'ad_eo':
      return ask({ kind: 'eo' });
    case 'ad_code':
      return ask({ kind: 'code_confirm' });
    case 'ad_code_yes':
      return step.kind === 'code_confirm' ? to({ type: 'rotate_code' }) : to({ type: 'stale' }, step);
    case 'ad_poster':
      return to({ type: 'poster' });
    case 'ad_schools':
      return to({ type: 'schools' });
    case 'ad_school':
      return to({ type: 'pick_school', schoolId: payload.s });
    case 'ad_teacher_mode':
      return to({ type: 'teacher_mode' });
    case 'ad_page':
      return to({ type: 'page' });
    case 'ad_teachers':
      return to({ type: 'teachers', page: payload.p });
    case 'ad_teacher':
      return to({ type: 'teacher', teacherId: payload.t });
    case 'ad_audit':
      return to({ type: 'audit', teacherId: payload.t });
    case 'ad_edit':
      return ask({ kind: 'edit_teacher', teacherId: payload.t });
    case 'ad_leave':
      return ask({ kind: 'leave', teacherId: payload.t });
    case 'ad_deactivate':
      return to({ type: 'set_active', teacherId: payload.t, active: false });
    case 'ad_activate':
      return to({ type: 'set_active', teacherId: payload.t, active: true });
    case 'ad_erase':
      return ask({ kind: 'erase_confirm', teacherId: payload.t });
    case 'ad_erase_yes':
      // Only the confirmation of the same teacher's erasure counts: an old or forged button does nothing.
      return step.kind === 'erase_confirm' && step.teacherId === payload.t ? to({ type: 'erase', teacherId: payload.t }) : to({ type: 'stale' }, step);
    default: {
      const unreachable: never = payload;
      return unreachable;
    }
  }
}

function onAnswer(step: AdminStep, text: string): Decision {
  const again = (hint: string): Decision => ({ step, intent: { type: 'ask', step, hint } });
  // «Здравствуйте» is a greeting, not a wrong answer: greet and show the menu.
  if (isGreeting(text)) return { step: menu, intent: { type: 'menu', notice: t.hello } };
  const done = (intent: Intent): Decision => ({ step: menu, intent });
  switch (step.kind) {
    case 'local_act': {
      const act = parseLocalAct(text);
      return act.ok ? done({ type: 'local_act', ...act.value }) : again(t.localActErrors[act.error]);
    }
    case 'school_link': {
      if (text.length > MAX_NOTE) return again(t.tooLong(MAX_NOTE));
      const note = /^(готово|да|сделано|ок)\.?$/i.test(text) ? null : text.replace(/\s+/g, ' ');
      return done({ type: 'school_link', note });
    }
    case 'deadline': {
      if (isClearWord(text)) return done({ type: 'deadline', date: null, back: step.back });
      const date = parseAdminDate(text);
      return date.ok ? done({ type: 'deadline', date: date.value, back: step.back }) : again(t.dateErrors[date.error]);
    }
    case 'leave': {
      if (isClearWord(text)) return done({ type: 'leave', teacherId: step.teacherId, until: null });
      const date = parseAdminDate(text);
      return date.ok ? done({ type: 'leave', teacherId: step.teacherId, until: date.value }) : again(t.dateErrors[date.error]);
    }
    case 'holidays': {
      if (isClearWord(text)) return done({ type: 'holidays', dates: [] });
      const dates = parseHolidays(text);
      return dates.ok ? done({ type: 'holidays', dates: dates.value }) : again(t.dateErrors[dates.error]);
    }
    case 'eo': {
      if (isClearWord(text)) return done({ type: 'eo', text: null });
      if (text.length > MAX_EO_INSTRUCTIONS) return again(t.tooLong(MAX_EO_INSTRUCTIONS));
      return done({ type: 'eo', text });
    }
    case 'await_import':
    case 'edit_teacher':
      // Text here was turned into roster input before; what is left was not a roster.
      return again(t.editOneLine);
    case 'menu':
    case 'import_preview':
    case 'code_confirm':
    case 'erase_confirm':
      return { step, intent: { type: 'menu', notice: t.notUnderstood } };
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}
