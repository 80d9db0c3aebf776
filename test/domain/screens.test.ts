import { describe, expect, it } from 'vitest';
import { adminMenu, auditReply, importPreviewReply, schoolTasksReply, schoolsReply, settingsReply, teacherReply, teachersReply } from '../../src/domain/admin/views.js';
import type { RosterTeacher, SchoolSettings } from '../../src/domain/admin/model.js';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { type ConversationContext, applyAnswer, transition } from '../../src/domain/conversation/machine.js';
import type { ConversationState } from '../../src/domain/conversation/state.js';
import { KEYBOARD_LIMITS, keyboardProblem } from '../../src/domain/keyboard.js';
import type { Completion, Evidence, Input, Reply, Teacher } from '../../src/domain/model.js';
import type { Payload } from '../../src/domain/payload.js';
import { reminderButtons } from '../../src/domain/reminders/message.js';
import { MAX_CLASSES } from '../../src/domain/validation/class-list.js';
import { fitInline } from '../../src/vk/keyboard.js';
import { button, linksFor, photo, text } from '../support/conversation-driver.js';

/**
 * Every screen in every state against VK's keyboard limits (issue 13, item 1): the teacher's
 * conversation for teachers with no class, one class and the most classes allowed, at every stage
 * of the checklist, in every state, answering every button and typical texts; the administrator's
 * screens with the largest lists; reminders. One keyboard over the limits and VK sends nothing.
 */
const now = new Date('2026-12-03T09:00:00+03:00');
const today = '2026-12-03';
const school = { id: 'school-1', name: 'МКОУ «СОШ №4»', eoInstructions: 'Войдите на e-dag.ru и привяжите Сферум.' };
const allClasses = ['1А', '2Б', '3В', '4Г', '5А', '6Б', '7В', '11Д'].slice(0, MAX_CLASSES);

const evidenceFor = (code: string, className: string | null): Evidence => {
  const task = defaultChecklist.tasks.find((t) => t.code === code)!;
  const links = className ? linksFor(className) : linksFor('5А');
  const linkSet = { with_teacher: links.withTeacher, parents_only: links.parentsOnly };
  switch (task.step.kind) {
    case 'links':
      return { kind: 'links', links: linkSet };
    case 'poster':
      return { kind: 'poster', links: linkSet, photo: null };
    case 'report':
      return { kind: 'report', values: { meeting_date: '2026-12-01', parents_total: 25, parents_joined: 18 } };
    case 'photo':
      return { kind: 'photo', photo: null };
    case 'confirm':
      return { kind: 'confirm' };
  }
};

/** Completions after the first `done` tasks, every class answered, and the rest as they are. */
function stage(classes: readonly string[], done: number, naLast = false): Completion[] {
  let completions: Completion[] = [];
  defaultChecklist.tasks.slice(0, done).forEach((task) => {
    const names = task.perClass ? classes : [null];
    for (const className of names) {
      completions = applyAnswer(completions, { type: 'complete', task: task.code, className, evidence: evidenceFor(task.code, className) }, now);
    }
  });
  const last = defaultChecklist.tasks.at(-1)!;
  if (naLast) completions = applyAnswer(completions, { type: 'not_applicable', task: last.code, reason: 'нет доступа' }, now);
  return completions;
}

function statesFor(classes: readonly string[]): ConversationState[] {
  const states: ConversationState[] = [
    { kind: 'start' },
    { kind: 'join_code', attempts: 0, lockedUntil: null },
    { kind: 'full_name', schoolId: school.id },
    { kind: 'classes', schoolId: school.id, fullName: 'Иванова Мария Петровна' },
    { kind: 'menu' },
    { kind: 'forget_confirm' },
    { kind: 'leave_date' },
  ];
  for (const task of defaultChecklist.tasks) {
    states.push({ kind: 'na_reason', task: task.code });
    const names = task.perClass ? [...classes, null] : [null];
    const items = task.step.kind === 'links' ? task.step.chats.length : task.step.kind === 'report' ? task.step.fields.length : 1;
    for (const className of names) for (let item = 0; item < items; item += 1) states.push({ kind: 'task', task: task.code, className, item, draft: {} });
  }
  return states;
}

function inputsFor(classes: readonly string[]): Input[] {
  const payloads: Payload[] = [
    { a: 'menu' },
    { a: 'next' },
    { a: 'progress' },
    { a: 'help' },
    { a: 'edit' },
    { a: 'edit', p: 1 },
    { a: 'edit', p: 9 },
    { a: 'no_classes' },
    { a: 'poster' },
    { a: 'cancel' },
    { a: 'forget' },
    { a: 'forget_yes' },
    { a: 'snooze', d: 1 },
    { a: 'snooze', d: 7 },
    { a: 'leave' },
  ];
  for (const task of defaultChecklist.tasks) {
    payloads.push({ a: 'redo', t: task.code }, { a: 'done', t: task.code }, { a: 'na', t: task.code });
    for (const c of classes) payloads.push({ a: 'redo', t: task.code, c });
  }
  for (const c of classes) payloads.push({ a: 'poster', c });
  const texts = ['Здравствуйте', 'SOSH4-2026', '?', 'как это сделать?', 'помощь', 'меню', 'готово', 'что-то', '1 декабря', '25', '5А, 7Б', 'Иванова Мария Петровна', linksFor('5А').withTeacher];
  return [...payloads.map(button), ...texts.map(text), photo(1)];
}

const keyboards = (reply: Reply): Reply['buttons'][] => [reply.buttons, reply.withoutFiles?.buttons].filter((b) => b !== undefined);

describe('every teacher screen fits VK\'s inline keyboard', () => {
  for (const classes of [[], ['5А'], allClasses]) {
    it(`a teacher with ${classes.length} classes, at every stage, in every state, after every input`, () => {
      const teacher: Teacher = { id: 't-1', schoolId: school.id, vkId: 100, fullName: 'Иванова Мария Петровна', classes, startedAt: now, finishedAt: null };
      const stages = [0, 1, 2, 3, 4, 5, 6].map((done) => stage(classes, done)).concat([stage(classes, 5, true)]);
      let screens = 0;
      const problems: string[] = [];
      for (const completions of stages) {
        for (const registered of [true, false]) {
          const ctx: ConversationContext = {
            checklist: defaultChecklist,
            teacher: registered ? { ...teacher, finishedAt: completions.length > 0 ? now : null } : null,
            school,
            completions,
            joinCodeSchool: null,
            now,
            today,
          };
          for (const state of statesFor(classes)) {
            for (const input of inputsFor(classes)) {
              for (const reply of transition(state, input, ctx).replies) {
                for (const rows of keyboards(reply)) {
                  screens += 1;
                  const problem = keyboardProblem(rows!);
                  if (problem) problems.push(`${state.kind}/${JSON.stringify(input).slice(0, 60)}: ${problem}`);
                }
              }
            }
          }
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
      expect(screens).toBeGreaterThan(1000);
    });
  }
});

describe('every administrator screen fits', () => {
  const settings: SchoolSettings = { id: 's', name: 'МКОУ «СОШ №4»', joinCode: 'SOSH4-2026', deadline: '2026-12-20', eoInstructions: 'x', holidays: [], tasks: [] };
  const teacher = (i: number): RosterTeacher => ({
    id: `t-${i}`,
    schoolId: 's',
    vkId: 1000 + i,
    fullName: `Длиннофамильная-Двойная${i} Александра Константиновна`,
    classes: allClasses,
    active: i % 3 !== 0,
    startedAt: now,
    finishedAt: null,
    unreachableAt: null,
    leaveUntil: null,
    claimCode: null,
    completions: stage(allClasses, i % 7),
  });
  const roster = Array.from({ length: 40 }, (_, i) => teacher(i));

  it('the menu, lists, the teacher card, import preview, school tasks, settings', () => {
    const replies: Reply[] = [
      adminMenu(settings.name, { regional: true }),
      adminMenu(settings.name, { regional: false }),
      schoolsReply(Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, name: `Муниципальное казённое общеобразовательное учреждение №${i}`, teachers: 10, started: 5, finished: 1, parents: { joined: 40, total: 50 }, parentsDelta: 2 }))),
      ...[0, 1, 3, 6, 99].map((page) => teachersReply(roster, page)),
      ...roster.slice(0, 7).map((t) => teacherReply(defaultChecklist, t, 'Europe/Moscow')),
      auditReply(defaultChecklist, roster[0]!, [], 'Europe/Moscow'),
      importPreviewReply([{ kind: 'new', line: { line: 2, fullName: 'Иванова Мария Петровна', vkId: 5, classes: ['5А'] } }], [], 1),
      importPreviewReply([], [], 0),
      schoolTasksReply(settings, 'Europe/Moscow'),
      settingsReply(settings),
    ];
    for (const reply of replies) expect(keyboardProblem(reply.buttons ?? []), reply.text.slice(0, 60)).toBeNull();
  });

  it('the reminder', () => {
    expect(keyboardProblem(reminderButtons())).toBeNull();
  });
});

describe('the VK renderer never produces a keyboard VK refuses', () => {
  const b = (label: string) => ({ label, payload: { a: 'menu' } as Payload });
  it.each([
    ['7 rows', Array.from({ length: 7 }, (_, i) => [b(`Кнопка ${i}`)])],
    ['12 buttons', Array.from({ length: 6 }, (_, i) => [b(`А${i}`), b(`Б${i}`)])],
    ['a row of 7', [Array.from({ length: 7 }, (_, i) => b(`${i}`))]],
    ['a long label', [[b('Связь с «Электронным образованием Дагестана» и ещё текст')]]],
  ])('%s', (_name, rows) => {
    const fitted = fitInline(rows);
    expect(keyboardProblem(fitted)).toBeNull();
    expect(fitted.flat().length).toBe(Math.min(rows.flat().length, KEYBOARD_LIMITS.inline.buttons));
    // The last button (the «Меню» of a screen) is never the one dropped.
    expect(fitted.flat().at(-1)).toEqual(rows.flat().at(-1) && { ...rows.flat().at(-1)!, label: fitted.flat().at(-1)!.label });
  });
});
