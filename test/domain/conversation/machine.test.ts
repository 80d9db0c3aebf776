import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import { type ConversationContext, MAX_INPUT_LENGTH, type Transition, applyAnswer, transition } from '../../../src/domain/conversation/machine.js';
import type { ConversationState } from '../../../src/domain/conversation/state.js';
import type { Completion, Input, Teacher } from '../../../src/domain/model.js';
import { button, linksFor, photo, text } from '../../support/conversation-driver.js';

const now = new Date('2026-09-10T09:00:00+03:00');
const school = { id: 'school-1', name: 'МКОУ «СОШ №4»' };

const teacherWith = (overrides: Partial<Teacher> = {}): Teacher => ({
  id: 't-1',
  schoolId: school.id,
  vkId: 100,
  fullName: 'Иванова Мария Петровна',
  classes: ['5А'],
  startedAt: now,
  finishedAt: null,
  ...overrides,
});

const context = (overrides: Partial<ConversationContext> = {}): ConversationContext => ({
  checklist: defaultChecklist,
  teacher: teacherWith(),
  school,
  completions: [],
  now,
  today: '2026-09-10',
  ...overrides,
});

const taskState = (task: string, overrides: Partial<Extract<ConversationState, { kind: 'task' }>> = {}): ConversationState => ({
  kind: 'task',
  task,
  className: null,
  item: 0,
  draft: {},
  ...overrides,
});

const done = (task: string, className: string | null = null): Completion => ({
  task,
  className,
  status: 'done',
  evidence: { kind: 'confirm' },
  reason: null,
  at: now,
});

/** Runs inputs one after another, feeding effects back in as the service would. */
function run(state: ConversationState, inputs: Input[], ctx = context()): { state: ConversationState; steps: Transition[] } {
  let current = state;
  let completions = [...ctx.completions];
  let teacher = ctx.teacher;
  const steps: Transition[] = [];
  for (const input of inputs) {
    const step = transition(current, input, { ...ctx, teacher, completions });
    for (const effect of step.effects) {
      if (effect.type === 'complete' || effect.type === 'not_applicable') completions = applyAnswer(completions, effect, now);
      if (effect.type === 'finish' && teacher) teacher = { ...teacher, finishedAt: now };
    }
    steps.push(step);
    current = step.state;
  }
  return { state: current, steps };
}

const replyText = (t: Transition): string => t.replies.map((r) => r.text).join('\n');
const labels = (t: Transition): string[] => t.replies.flatMap((r) => r.buttons ?? []).flat().map((b) => b.label);

describe('registration', () => {
  const stranger = context({ teacher: null, school: null });

  it('asks a stranger for the join code and keeps asking after a wrong one', () => {
    const first = transition({ kind: 'start' }, text('Привет'), stranger);
    expect(first.state).toEqual({ kind: 'join_code', attempts: 0, lockedUntil: null });
    expect(replyText(first)).toContain('код школы');
    const wrong = transition(first.state, text('000000'), { ...stranger, joinCodeSchool: null });
    expect(wrong.state).toEqual({ kind: 'join_code', attempts: 1, lockedUntil: null });
    expect(wrong.effects).toEqual([]);
  });

  it('asks name, then classes, then registers and starts the first task', () => {
    const afterCode = transition({ kind: 'join_code', attempts: 0, lockedUntil: null }, text('SOSH4'), { ...stranger, joinCodeSchool: school });
    expect(afterCode.state).toEqual({ kind: 'full_name', schoolId: school.id });
    const badName = transition(afterCode.state, text('Мария'), stranger);
    expect(badName.state).toEqual(afterCode.state);
    expect(replyText(badName)).toContain('фамилия, имя и отчество');
    const named = transition(afterCode.state, text('иванова мария петровна'), stranger);
    expect(named.state).toEqual({ kind: 'classes', schoolId: school.id, fullName: 'Иванова Мария Петровна' });
    expect(labels(named)).toEqual(['Нет своего класса']);
    const badClasses = transition(named.state, text('5Z, 12А'), stranger);
    expect(badClasses.state).toEqual(named.state);
    expect(replyText(badClasses)).toContain('число от 1 до 11');
    const registered = transition(named.state, button({ a: 'no_classes' }), stranger);
    expect(registered.effects).toEqual([{ type: 'register', schoolId: school.id, fullName: 'Иванова Мария Петровна', classes: [] }]);
    expect(registered.state).toMatchObject({ kind: 'task', task: 'messengers' });
    expect(replyText(registered)).toContain('Я храню ваши ФИО');
  });

  it('a teacher removed from the roster starts over instead of continuing', () => {
    const t = transition(taskState('chats', { className: '5А' }), text('https://vk.me/join/AbCdEf123456'), context({ teacher: null, school: null }));
    expect(t.state.kind).toBe('join_code');
    expect(t.effects).toEqual([]);
  });
});

describe('walkthrough', () => {
  it('greets a rostered teacher by name once and records the first contact', () => {
    const t = transition({ kind: 'start' }, text('Добрый день'), context({ teacher: teacherWith({ startedAt: null }) }));
    expect(t.effects).toEqual([{ type: 'start' }]);
    expect(replyText(t)).toContain('Здравствуйте, Мария Петровна!');
    expect(t.state).toMatchObject({ kind: 'task', task: 'messengers' });
  });

  it('completes a confirm task by button or by a typed «готово!»', () => {
    expect(transition(taskState('messengers'), button({ a: 'done', t: 'messengers' }), context()).effects).toEqual([
      { type: 'complete', task: 'messengers', className: null, evidence: { kind: 'confirm' } },
    ]);
    expect(transition(taskState('messengers'), text('Готово!'), context()).effects).toHaveLength(1);
    const unsure = transition(taskState('messengers'), text('не знаю'), context());
    expect(unsure.effects).toEqual([]);
    expect(replyText(unsure)).toContain('нажмите «Подтверждаю»');
  });

  it('asks both links per class, rejecting wrong links and a repeated one', () => {
    const start = taskState('chats', { className: '5А' });
    const links = linksFor('5А');
    const wrong = transition(start, text('https://t.me/joinchat/abcdef'), context());
    expect(wrong.state).toEqual(start);
    expect(replyText(wrong)).toContain('Это не ссылка-приглашение');
    expect(replyText(wrong)).toContain('https://sferum.ru/?p=messages&join=');
    const first = transition(start, text(`вот: ${links.withTeacher}`), context());
    expect(first.state).toMatchObject({ item: 1, draft: { with_teacher: links.withTeacher } });
    const same = transition(first.state, text(links.withTeacher), context());
    expect(same.state).toEqual(first.state);
    expect(replyText(same)).toContain('та же ссылка');
    const second = transition(first.state, text(links.parentsOnly), context({ completions: [done('messengers')] }));
    expect(second.effects[0]).toEqual({
      type: 'complete',
      task: 'chats',
      className: '5А',
      evidence: { kind: 'links', links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly } },
    });
    expect(second.state).toMatchObject({ kind: 'task', task: 'qr', className: '5А' });
  });

  it('wants a real photo for the poster, and accepts one sent from the menu', () => {
    const asking = transition(taskState('qr', { className: '5А' }), text('повесила'), context());
    expect(asking.effects).toEqual([]);
    expect(replyText(asking)).toContain('нужна фотография');
    const ctx = context({ completions: [done('messengers'), done('chats', '5А')] });
    const fromMenu = transition({ kind: 'menu' }, photo(3), ctx);
    expect(fromMenu.effects[0]).toMatchObject({ type: 'complete', task: 'qr', className: '5А', evidence: { kind: 'photo' } });
  });

  it('validates the parents report: dates in the past, joined not above total', () => {
    const s = taskState('parents');
    expect(replyText(transition(s, text('31.02.2026'), context()))).toContain('Не понял дату');
    expect(replyText(transition(s, text('01.10.2026'), context()))).toContain('ещё не наступила');
    const { state, steps } = run(s, [text('вчера'), text('25'), text('30')]);
    expect(state).toMatchObject({ item: 2, draft: { meeting_date: '2026-09-09', parents_total: 25 } });
    expect(replyText(steps[2]!)).toContain('больше, чем всего (25)');
  });

  it('an optional screenshot task completes with the button and no photo', () => {
    const t = transition(taskState('eo_link'), button({ a: 'done', t: 'eo_link' }), context());
    expect(t.effects[0]).toEqual({ type: 'complete', task: 'eo_link', className: null, evidence: { kind: 'photo', photo: null } });
  });

  it('thanks exactly once when everything is closed', () => {
    const completions = ['messengers', 'parents', 'only_sferum'].map((task) => done(task)).concat(done('chats', '5А'), done('qr', '5А'));
    const last = transition(taskState('eo_link'), button({ a: 'done', t: 'eo_link' }), context({ completions }));
    expect(last.effects.map((e) => e.type)).toEqual(['complete', 'finish']);
    expect(replyText(last)).toContain('Все задания выполнены');
    const again = transition(taskState('eo_link'), button({ a: 'done', t: 'eo_link' }), context({ completions, teacher: teacherWith({ finishedAt: now }) }));
    expect(again.effects.map((e) => e.type)).toEqual(['complete']);
    expect(replyText(again)).not.toContain('🎉');
  });
});

describe('menu and corrections', () => {
  it('menu, progress and help keep the pending question', () => {
    const s = taskState('chats', { className: '5А', item: 1, draft: { with_teacher: linksFor('5А').withTeacher } });
    for (const input of [button({ a: 'menu' }), button({ a: 'progress' }), button({ a: 'help' }), text('Меню'), text('прогресс')]) {
      expect(transition(s, input, context()).state).toEqual(s);
    }
    expect(replyText(transition(s, text('помощь'), context()))).toContain('№ 149-ФЗ');
    const resumed = transition(s, button({ a: 'next' }), context());
    expect(resumed.state).toEqual(s);
    expect(replyText(resumed)).toContain('«Родители 5А» (без учителя)');
  });

  it('shows progress as ✅/⬜/➖ with N of M', () => {
    const t = transition({ kind: 'menu' }, button({ a: 'progress' }), context({ teacher: teacherWith({ classes: ['5А', '7Б'] }), completions: [done('messengers'), done('chats', '5А')] }));
    expect(replyText(t)).toBe(
      [
        'Ваш прогресс: 1 из 6.',
        '✅ Отказ от иностранных мессенджеров',
        '⬜ Родительские чаты в Сферуме (1 из 2 кл.)',
        '⬜ QR-коды чатов в классе (0 из 2 кл.)',
        '⬜ Разъяснение родителям',
        '⬜ Общение только через Сферум',
        '⬜ Связь с «Электронным образованием Дагестана»',
      ].join('\n'),
    );
  });

  it('a stale or forged button changes nothing and repeats the question', () => {
    const s = taskState('messengers');
    for (const input of [button({ a: 'done', t: 'eo_link' }), button({ a: 'na', t: 'qr' }), button({ a: 'no_classes' }), { type: 'forged_button' } as Input]) {
      const t = transition(s, input, context());
      expect(t.state).toEqual(s);
      expect(t.effects).toEqual([]);
      expect(replyText(t)).toContain('Подтверждаю');
    }
  });

  it('refuses to redo a class the teacher does not have', () => {
    const t = transition({ kind: 'menu' }, button({ a: 'redo', t: 'chats', c: '9В' }), context());
    expect(t.state).toEqual({ kind: 'menu' });
    expect(t.effects).toEqual([]);
  });

  it('too long, empty and unsupported messages change nothing', () => {
    const s = taskState('chats', { className: '5А' });
    for (const input of [text('x'.repeat(MAX_INPUT_LENGTH + 1)), text('a'.repeat(10_000)), { type: 'unsupported' } as Input]) {
      const t = transition(s, input, context());
      expect(t.state).toEqual(s);
      expect(t.effects).toEqual([]);
      expect(t.replies).toHaveLength(1);
    }
  });

  it('asks a reason for "not applicable", validates it, and can be cancelled', () => {
    const s = taskState('only_sferum');
    const asking = transition(s, button({ a: 'na', t: 'only_sferum' }), context());
    expect(asking.state).toEqual({ kind: 'na_reason', task: 'only_sferum' });
    expect(transition(asking.state, text('...'), context()).effects).toEqual([]);
    expect(transition(asking.state, text('я'.repeat(301)), context()).effects).toEqual([]);
    expect(transition(asking.state, button({ a: 'cancel' }), context()).state).toEqual(s);
    const recorded = transition(asking.state, text('  Работаю только  с 10–11 классами '), context());
    expect(recorded.effects[0]).toEqual({ type: 'not_applicable', task: 'only_sferum', reason: 'Работаю только с 10–11 классами' });
  });

  it('never sends more buttons than a VK inline keyboard holds', () => {
    const many = teacherWith({ classes: ['1А', '2А', '3А', '4А', '5А', '6А', '7А', '8А'] });
    const completions = many.classes.map((c) => done('chats', c)).concat(done('messengers'));
    const replies = [
      transition({ kind: 'menu' }, button({ a: 'edit' }), context({ teacher: many, completions })),
      transition({ kind: 'menu' }, button({ a: 'redo', t: 'chats' }), context({ teacher: many, completions })),
      transition(taskState('eo_link'), text('что'), context()),
    ].flatMap((t) => t.replies);
    for (const reply of replies) {
      const rows = reply.buttons ?? [];
      expect(rows.length).toBeLessThanOrEqual(6);
      expect(rows.flat().length).toBeLessThanOrEqual(10);
      for (const b of rows.flat()) expect(b.label.length).toBeLessThanOrEqual(40);
    }
  });
});

describe('snooze and leave', () => {
  it('"remind me tomorrow" and "next week" keep the pending question and record the day reminders resume', () => {
    const s = taskState('chats', { className: '5А', item: 1, draft: { with_teacher: linksFor('5А').withTeacher } });
    const tomorrow = transition(s, button({ a: 'snooze', d: 1 }), context());
    expect(tomorrow.state).toEqual(s);
    expect(tomorrow.effects).toEqual([{ type: 'snooze', until: '2026-09-11' }]);
    expect(replyText(tomorrow)).toContain('сегодня больше не напомню');
    const week = transition(s, button({ a: 'snooze', d: 7 }), context());
    expect(week.effects).toEqual([{ type: 'snooze', until: '2026-09-17' }]);
    expect(replyText(week)).toContain('напомню через неделю — 17.09.2026');
  });

  it('asks the last day of a leave, validates it and records it', () => {
    const { state, steps } = run({ kind: 'task', task: 'messengers', className: null, item: 0, draft: {} }, [
      button({ a: 'leave' }),
      text('завтра'),
      text('01.09.2026'),
      text('30.09.2026'),
    ]);
    expect(steps.map((step) => step.state.kind)).toEqual(['leave_date', 'leave_date', 'leave_date', 'menu']);
    expect(replyText(steps[0]!)).toContain('До какого дня вы в отпуске');
    expect(labels(steps[0]!)).toEqual(['Отмена']);
    expect(replyText(steps[1]!)).toContain('Не понял дату');
    expect(replyText(steps[2]!)).toContain('Эта дата уже прошла');
    expect(steps.slice(0, 3).every((step) => step.effects.length === 0)).toBe(true);
    expect(steps[3]!.effects).toEqual([{ type: 'leave', until: '2026-09-30' }]);
    expect(replyText(steps[3]!)).toBe('Хорошо, до 30.09.2026 включительно напоминать не буду. Хорошего отдыха!');
    expect(state).toEqual({ kind: 'menu' });
  });

  it('cancelling the leave question records nothing and shows the menu', () => {
    const { state, steps } = run({ kind: 'menu' }, [button({ a: 'leave' }), button({ a: 'cancel' })]);
    expect(state).toEqual({ kind: 'menu' });
    expect(steps.flatMap((step) => step.effects)).toEqual([]);
    expect(replyText(steps[1]!)).toContain('Меню');
  });

  it('offers snooze and leave in the menu, within VK\'s 10 buttons', () => {
    const menu = transition({ kind: 'menu' }, button({ a: 'menu' }), context());
    expect(labels(menu)).toEqual(['Следующее задание', 'Мой прогресс', 'Изменить ответ', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…', 'Помощь']);
    expect(menu.replies[0]!.buttons!.length).toBeLessThanOrEqual(6);
  });

  it('refuses an administrator\'s button as unknown, revealing nothing', () => {
    const s = taskState('messengers');
    const t = transition(s, button({ a: 'remind_laggards', s: '6f1c2a8e-1b2c-4d3e-8f90-123456789abc' }), context());
    expect(t.state).toEqual(s);
    expect(t.effects).toEqual([]);
    expect(replyText(t)).toContain('Не знаю такой кнопки');
  });
});
