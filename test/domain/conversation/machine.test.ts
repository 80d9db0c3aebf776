import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { Checklist } from '../../../src/domain/checklist/schema.js';
import { type ConversationContext, MAX_INPUT_LENGTH, type Transition, applyAnswer, transition } from '../../../src/domain/conversation/machine.js';
import type { ConversationState } from '../../../src/domain/conversation/state.js';
import type { Completion, Input, Teacher } from '../../../src/domain/model.js';
import { button, linksFor, maxLinksFor, photo, photoOf, text } from '../../support/conversation-driver.js';

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

const linkSet = (className = '5А') => ({ with_teacher: linksFor(className).withTeacher, parents_only: linksFor(className).parentsOnly });
const chatsDone = (className: string, links = linkSet(className), at = now): Completion => ({
  task: 'chats',
  className,
  status: 'done',
  evidence: { kind: 'links', links },
  reason: null,
  at,
});
const posterDone = (className: string, links = linkSet(className)): Completion => ({
  task: 'qr',
  className,
  status: 'done',
  evidence: { kind: 'poster', links, photo: photoOf(1) },
  reason: null,
  at: now,
});

/** Runs inputs one after another, feeding effects back in as the service would. */
function run(state: ConversationState, inputs: Input[], ctx = context()): { state: ConversationState; steps: Transition[]; completions: Completion[] } {
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
  return { state: current, steps, completions };
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
    expect(replyText(wrong)).toContain('https://max.ru/join/');
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

  it('takes both links of a class from one message, in order', () => {
    const links = maxLinksFor('5А');
    const both = transition(taskState('chats', { className: '5А' }), text(`с учителем ${links.withTeacher}\nбез учителя ${links.parentsOnly}`), context({ completions: [done('messengers')] }));
    expect(both.effects[0]).toMatchObject({ type: 'complete', task: 'chats', className: '5А', evidence: { links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly } } });
    const tooMany = transition(taskState('chats', { className: '5А', item: 1, draft: { with_teacher: links.withTeacher } }), text(`${maxLinksFor('7Б').withTeacher} ${links.parentsOnly}`), context());
    expect(tooMany.effects).toEqual([]);
    expect(replyText(tooMany)).toContain('В сообщении 2 ссылки, а нужна одна');
  });

  it.each([
    ['cut', `${maxLinksFor('5А').withTeacher.slice(0, 30)}…`, 'обрезана'],
    ['spaced', `${maxLinksFor('5А').withTeacher.slice(0, 35)} ${maxLinksFor('5А').withTeacher.slice(35)}`, 'пробел'],
    ['wrapped', `ссылка${maxLinksFor('5А').withTeacher}`, 'слилась с текстом'],
    ['too short', maxLinksFor('5А').withTeacher.slice(0, 40), 'слишком короткая'],
  ])('explains a %s link and keeps the question', (_name, input, hint) => {
    const start = taskState('chats', { className: '5А' });
    const t = transition(start, text(input), context());
    expect(t.state).toEqual(start);
    expect(t.effects).toEqual([]);
    expect(replyText(t)).toContain(hint);
  });

  it('refuses a chat already given for another class, naming it, and accepts a chat two teachers of one class share', () => {
    const links = maxLinksFor('5А');
    const teacher = teacherWith({ classes: ['5А', '7Б'] });
    const mine = transition(taskState('chats', { className: '7Б' }), text(links.withTeacher), context({ teacher, linkOwners: [{ link: links.withTeacher, teacherId: 't-1', className: '5А' }] }));
    expect(mine.effects).toEqual([]);
    expect(replyText(mine)).toContain('уже указана для 5А');
    const colleagues = transition(taskState('chats', { className: '7Б' }), text(links.withTeacher), context({ teacher, linkOwners: [{ link: links.withTeacher, teacherId: 't-2', className: '5А' }] }));
    expect(replyText(colleagues)).toContain('уже указана для 5А');
    const shared = transition(taskState('chats', { className: '5А' }), text(links.withTeacher), context({ teacher, linkOwners: [{ link: links.withTeacher, teacherId: 't-2', className: '5А' }] }));
    expect(shared.state).toMatchObject({ item: 1, draft: { with_teacher: links.withTeacher } });
    expect(replyText(shared)).toContain('общий чат класса');
    // The teacher's own earlier answer for the same class is no conflict: a changed answer keeps its link.
    const again = transition(taskState('chats', { className: '5А' }), text(links.withTeacher), context({ teacher, linkOwners: [{ link: links.withTeacher, teacherId: 't-1', className: '5А' }] }));
    expect(replyText(again)).not.toContain('общий');
    expect(again.state).toMatchObject({ item: 1 });
  });

  it('wants a real photo of the hung poster, and accepts one sent from the menu', () => {
    const ctx = context({ completions: [done('messengers'), chatsDone('5А')] });
    const asking = transition(taskState('qr', { className: '5А' }), text('повесила'), ctx);
    expect(asking.effects).toEqual([]);
    expect(replyText(asking)).toContain('нужна фотография');
    const fromMenu = transition({ kind: 'menu' }, photo(3), ctx);
    expect(fromMenu.effects[0]).toEqual({
      type: 'complete',
      task: 'qr',
      className: '5А',
      evidence: { kind: 'poster', links: linkSet(), photo: photoOf(3) },
    });
  });

  it('validates the parents report: dates in the past, joined not above total', () => {
    const s = taskState('parents');
    expect(replyText(transition(s, text('31.02.2026'), context()))).toContain('Не понял дату');
    expect(replyText(transition(s, text('01.10.2026'), context()))).toContain('ещё не наступила');
    const { state, steps } = run(s, [text('вчера'), text('25'), text('30')]);
    // Either number may be the wrong one: both are named, and the total is asked again.
    expect(state).toMatchObject({ item: 1, draft: { meeting_date: '2026-09-09', parents_total: 25 } });
    expect(replyText(steps[2]!)).toContain('Вступили в чаты — 30, а родителей всего — 25: так не бывает.');
    expect(replyText(steps[2]!)).toContain('Сколько всего родителей');
    expect(steps[2]!.effects).toEqual([]);
  });

  it('reads a date as people write it, refuses a date where a number is asked, and repeats back what it recorded', () => {
    const s = taskState('parents');
    for (const [typed, iso] of [['1 сентября', '2026-09-01'], ['2 сентября', '2026-09-02'], ['с 5 сентября', '2026-09-05'], ['вчера', '2026-09-09']] as const) {
      expect(transition(s, text(typed), context()).state).toMatchObject({ item: 1, draft: { meeting_date: iso } });
    }
    const { steps } = run(s, [text('1 сентября'), text('1 сентября'), text('25'), text('18 человек')]);
    expect(replyText(steps[1]!)).toContain('Похоже, это дата, а здесь нужно число');
    expect(steps[1]!.state).toMatchObject({ item: 1 });
    expect(steps[3]!.effects[0]).toMatchObject({ type: 'complete', evidence: { kind: 'report', values: { meeting_date: '2026-09-01', parents_total: 25, parents_joined: 18 } } });
    expect(replyText(steps[3]!)).toContain('Записал: дата собрания — 01.09.2026, родителей всего — 25, вступили в чаты — 18.');
  });

  it('tells a teacher without classes which tasks are skipped and why, and skips the per-class parents report', () => {
    const noClasses = teacherWith({ classes: [] });
    const asked = transition(taskState('messengers'), button({ a: 'done', t: 'messengers' }), context({ teacher: noClasses }));
    expect(replyText(asked)).toContain('Задания 2 („Родительские чаты в Сферуме“), 3 („QR-коды чатов в классе“) и 4 („Разъяснение родителям“) к вам не относятся: у вас нет своего класса.');
    expect(asked.state).toMatchObject({ kind: 'task', task: 'only_sferum' });
  });

  it('an optional screenshot task completes with the button and no photo', () => {
    const t = transition(taskState('eo_link'), button({ a: 'done', t: 'eo_link' }), context());
    expect(t.effects[0]).toEqual({ type: 'complete', task: 'eo_link', className: null, evidence: { kind: 'photo', photo: null } });
  });

  it('thanks exactly once when everything is closed', () => {
    const completions = ['messengers', 'only_sferum'].map((task) => done(task)).concat(chatsDone('5А'), posterDone('5А'), done('parents', '5А'));
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
    expect(replyText(transition(s, text('помощь'), context()))).toContain('«Пригласить по ссылке»');
    expect(replyText(transition({ kind: 'menu' }, text('помощь'), context()))).toContain('№ 149-ФЗ');
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
        '⬜ Разъяснение родителям (0 из 2 кл.)',
        '⬜ Общение только через Сферум',
        '⬜ Привязка к „Электронному образованию“',
      ].join('\n'),
    );
  });

  it('«Родители в чатах» updates one class\'s counts at any time, keeping the meeting date', () => {
    const report = (className: string, joined: number, total: number): Completion => ({
      ...done('parents', className),
      evidence: { kind: 'report', values: { meeting_date: '2026-09-05', parents_total: total, parents_joined: joined } },
    });
    const ctx = context({ teacher: teacherWith({ classes: ['5А', '7Б'] }), completions: [done('messengers'), report('5А', 18, 25)] });
    const menu = transition({ kind: 'menu' }, button({ a: 'menu' }), ctx);
    expect(labels(menu)).toContain('Родители в чатах');
    expect(labels(menu)).toHaveLength(10);
    const choice = transition({ kind: 'menu' }, text('родители в чатах'), ctx);
    expect(replyText(choice)).toBe('Для какого класса обновить цифры? Сейчас:\n5А: 18 из 25 (72 %)\n7Б: цифр ещё нет');
    expect(labels(choice)).toEqual(['5А', '7Б', 'Меню']);
    const { state, steps } = run({ kind: 'menu' }, [button({ a: 'parents', c: '5А' }), text('26'), text('21')], ctx);
    expect(replyText(steps[0]!)).toContain('Обновим цифры. Было: 18 из 25.');
    expect(replyText(steps[0]!)).toContain('Сколько всего родителей в 5А?');
    expect(steps[2]!.effects[0]).toEqual({ type: 'complete', task: 'parents', className: '5А', evidence: { kind: 'report', values: { meeting_date: '2026-09-05', parents_total: 26, parents_joined: 21 } } });
    expect(state.kind).toBe('task');
    // A class without figures yet gets the whole report, from the date.
    expect(replyText(transition({ kind: 'menu' }, button({ a: 'parents', c: '7Б' }), ctx))).toContain('Когда прошло собрание');
    // A teacher without a class has no such button.
    expect(labels(transition({ kind: 'menu' }, button({ a: 'menu' }), context({ teacher: teacherWith({ classes: [] }) })))).not.toContain('Родители в чатах');
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

describe('QR posters', () => {
  const twoClasses = teacherWith({ classes: ['5А', '7Б'] });
  const posterOf = (t: Transition) => t.replies.find((r) => r.poster)?.poster;
  const menuLabels = ['Следующее задание', 'Мой прогресс', 'Изменить ответ', 'Плакат с QR-кодами', 'Родители в чатах', 'Помощь', 'Удалить мои данные'];

  it('sends the poster of a class as soon as its links are in, as a message of its own, then asks the next question', () => {
    const ctx = context({ teacher: twoClasses, completions: [done('messengers')] });
    const links = linksFor('5А');
    const t = transition(taskState('chats', { className: '5А', item: 1, draft: { with_teacher: links.withTeacher } }), text(links.parentsOnly), ctx);
    expect(t.replies).toHaveLength(3);
    const [lead, posterReply, next] = t.replies;
    expect(lead?.text).toContain('✅ Принято.');
    expect(lead?.text).toContain('Плакат для 5А готов и придёт отдельным сообщением');
    expect(lead?.poster).toBeUndefined();
    expect(posterReply?.text).toBe('Плакат для 5А — PDF для печати на листе А4.');
    // The PDF alone: one file save per poster.
    expect(posterReply?.poster).toEqual({
      filename: 'plakat-5A.pdf',
      previews: false,
      pages: [
        {
          schoolName: 'МКОУ «СОШ №4»',
          className: '5А',
          heading: 'Чаты родителей 5А класса в «Сферуме»',
          chats: [
            { title: 'Родители с учителем', link: links.withTeacher },
            { title: 'Родители без учителя', link: links.parentsOnly },
          ],
          stepsTitle: 'Как вступить в чат (мессенджер MAX)',
          steps: [expect.stringContaining('Установите MAX'), expect.any(String), expect.stringContaining('номер телефона видят другие участники')],
          warning: expect.stringContaining('сбросить ссылку чата'),
        },
      ],
    });
    // If VK will not take the files, the teacher hears why and can ask again.
    expect(posterReply?.withoutFiles?.text).toBe('⚠️ Не получилось отправить файл плаката. Попробуйте чуть позже: «Меню» → «Плакат с QR-кодами».');
    expect(posterReply?.withoutFiles?.buttons).toEqual([[{ label: 'Прислать плакат ещё раз', payload: { a: 'poster', c: '5А' } }]]);
    expect(next?.text).toContain('Класс 7Б.');
    expect(next?.poster).toBeUndefined();
  });

  it('then asks for the photo of the hung poster, with a button to get the poster again', () => {
    const ctx = context({ teacher: twoClasses, completions: [done('messengers'), chatsDone('5А')] });
    const links = linksFor('7Б');
    const t = transition(taskState('chats', { className: '7Б', item: 1, draft: { with_teacher: links.withTeacher } }), text(links.parentsOnly), ctx);
    expect(posterOf(t)?.pages.map((p) => p.className)).toEqual(['7Б']);
    expect(t.state).toMatchObject({ kind: 'task', task: 'qr', className: '5А' });
    expect(t.replies[2]?.text).toContain('Задание 3 из 6 (п. 2 приказа). QR-коды чатов в классе');
    expect(t.replies[2]?.text).toContain('Распечатайте плакат для 5А, повесьте в классе и пришлите фото');
    expect(t.replies[2]?.buttons?.[0]).toEqual([{ label: 'Прислать плакат ещё раз', payload: { a: 'poster', c: '5А' } }]);
  });

  it('changing a link sends a new poster to reprint; progress shows the old one outdated until its photo arrives', () => {
    const oldLinks = linkSet('5А');
    const completions = [done('messengers'), chatsDone('5А', oldLinks), posterDone('5А', oldLinks), done('parents', '5А'), done('only_sferum'), done('eo_link')];
    const finished = context({ completions, teacher: teacherWith({ finishedAt: now }) });
    const changed = 'https://vk.me/join/BrandNewToken777';
    const { state, steps, completions: after } = run({ kind: 'menu' }, [button({ a: 'redo', t: 'chats' }), text(changed), text(oldLinks.parents_only)], finished);
    const last = steps[2]!;
    expect(last.replies[0]?.text).toContain('Ответ обновлён');
    expect(last.replies[0]?.text).toContain('Ссылки для 5А изменились');
    expect(last.replies[0]?.text).toContain('вместо старого');
    expect(last.replies[1]?.poster?.pages[0]?.chats.map((c) => c.link)).toEqual([changed, oldLinks.parents_only]);
    expect(state).toMatchObject({ kind: 'task', task: 'qr', className: '5А' });
    expect(last.replies[2]?.text).toContain('⚠️ Ссылки на чаты 5А изменились');

    const withNewLinks = { ...finished, completions: after };
    const progress = transition(state, button({ a: 'progress' }), withNewLinks);
    expect(replyText(progress)).toContain('Ваш прогресс: 5 из 6.');
    expect(replyText(progress)).toContain('⬜ QR-коды чатов в классе — ⚠️ плакат 5А устарел — распечатайте новый');

    const hung = transition(state, photo(9), withNewLinks);
    expect(hung.effects).toEqual([
      { type: 'complete', task: 'qr', className: '5А', evidence: { kind: 'poster', links: { with_teacher: changed, parents_only: oldLinks.parents_only }, photo: photoOf(9) } },
    ]);
    expect(replyText(hung)).toContain('Ваш прогресс: 6 из 6.');
    expect(replyText(hung)).not.toContain('🎉');
  });

  it('the same links again leave the printed poster valid: no new poster', () => {
    const links = linkSet('5А');
    const ctx = context({ completions: [done('messengers'), chatsDone('5А', links), posterDone('5А', links)] });
    const { steps } = run({ kind: 'menu' }, [button({ a: 'redo', t: 'chats' }), text(links.with_teacher), text(links.parents_only)], ctx);
    const last = steps[2]!;
    expect(last.replies.some((r) => r.poster)).toBe(false);
    expect(last.replies[0]?.text).toContain('Ссылки не изменились, поэтому плакат прежний');
    expect(last.state).toMatchObject({ kind: 'task', task: 'parents' });
  });

  it('makes no poster for a teacher who marked the poster task not applicable', () => {
    const na: Completion = { task: 'qr', className: null, status: 'not_applicable', evidence: null, reason: 'плакаты вешает завуч', at: now };
    const links = linksFor('5А');
    const t = transition(taskState('chats', { className: '5А', item: 1, draft: { with_teacher: links.withTeacher } }), text(links.parentsOnly), context({ completions: [done('messengers'), na] }));
    expect(t.replies.some((r) => r.poster)).toBe(false);
    expect(t.effects).toHaveLength(1);
    expect(t.state).toMatchObject({ task: 'parents' });
  });

  it('the poster button: all classes in one PDF, one class, a polite word without links', () => {
    const both = context({ teacher: twoClasses, completions: [chatsDone('5А'), chatsDone('7Б')] });
    const all = transition({ kind: 'menu' }, button({ a: 'poster' }), both);
    expect(all.state).toEqual({ kind: 'menu' });
    expect(all.effects).toEqual([]);
    expect(posterOf(all)).toMatchObject({ filename: 'plakat-5A-7B.pdf', previews: false });
    expect(posterOf(all)?.pages.map((p) => p.className)).toEqual(['5А', '7Б']);
    expect(replyText(all)).toContain('по странице на класс');
    expect(labels(all)).toEqual(menuLabels);

    const one = transition({ kind: 'menu' }, button({ a: 'poster', c: '7Б' }), both);
    expect(posterOf(one)).toMatchObject({ filename: 'plakat-7B.pdf', previews: false });
    expect(one.replies.map((r) => r.text)).toEqual([expect.stringContaining('Плакат для 7Б придёт отдельным сообщением'), 'Плакат для 7Б — PDF для печати на листе А4.']);
    expect(posterOf(transition({ kind: 'menu' }, text('Плакат'), both))?.pages).toHaveLength(2);

    const half = transition({ kind: 'menu' }, button({ a: 'poster' }), context({ teacher: twoClasses, completions: [chatsDone('5А')] }));
    expect(posterOf(half)?.pages.map((p) => p.className)).toEqual(['5А']);
    expect(replyText(half)).toContain('Для 7Б ещё нет ссылок на чаты.');

    const none = transition({ kind: 'menu' }, button({ a: 'poster' }), context({ teacher: twoClasses }));
    expect(none.replies.some((r) => r.poster)).toBe(false);
    expect(replyText(none)).toContain('Пока нет ссылок на чаты ни для одного класса');

    expect(replyText(transition({ kind: 'menu' }, button({ a: 'poster', c: '9В' }), both))).toContain('Не знаю такой кнопки');
    const noClasses = transition({ kind: 'menu' }, button({ a: 'poster' }), context({ teacher: teacherWith({ classes: [] }) }));
    expect(noClasses.replies.some((r) => r.poster)).toBe(false);
    expect(replyText(noClasses)).toContain('нет своего класса');
  });

  it('mid-task, the poster comes and the pending question is asked again, unchanged', () => {
    const links = linksFor('7Б');
    const pending = taskState('chats', { className: '7Б', item: 1, draft: { with_teacher: links.withTeacher } });
    const t = transition(pending, button({ a: 'poster', c: '5А' }), context({ teacher: twoClasses, completions: [chatsDone('5А')] }));
    expect(t.state).toEqual(pending);
    expect(t.replies).toHaveLength(3);
    expect(t.replies[1]?.text).toContain('«Родители 7Б» (без учителя)');
    expect(t.replies[2]?.poster?.pages[0]?.className).toBe('5А');
  });

  it('asks for links first when the poster task is reached for a class without them', () => {
    const t = transition({ kind: 'menu' }, button({ a: 'redo', t: 'qr', c: '7Б' }), context({ teacher: twoClasses, completions: [chatsDone('5А')] }));
    expect(replyText(t)).toContain('Для 7Б ещё нет ссылок на чаты');
    const photoAnyway = transition(t.state, photo(2), context({ teacher: twoClasses, completions: [chatsDone('5А')] }));
    expect(photoAnyway.effects).toEqual([]);
  });

  it('a school may make the photo optional: a button or «готово» completes the poster step', () => {
    const optional: Checklist = {
      ...defaultChecklist,
      tasks: defaultChecklist.tasks.map((t) => (t.code === 'qr' ? { ...t, step: { kind: 'poster', links: 'chats', photoRequired: false, button: 'Повесила' } } : t)),
    };
    const ctx = context({ checklist: optional, completions: [done('messengers'), chatsDone('5А')] });
    const asked = transition({ kind: 'menu' }, button({ a: 'next' }), ctx);
    expect(replyText(asked)).toContain('нажмите «Повесила». Можно приложить фото.');
    expect(labels(asked)).toEqual(['Повесила', 'Прислать плакат ещё раз', 'Не относится ко мне', 'Меню']);
    const evidence = { kind: 'poster', links: linkSet('5А'), photo: null };
    expect(transition(asked.state, button({ a: 'done', t: 'qr' }), ctx).effects[0]).toMatchObject({ type: 'complete', evidence });
    expect(transition(asked.state, text('Готово'), ctx).effects[0]).toMatchObject({ type: 'complete', evidence });
    expect(transition(asked.state, photo(4), ctx).effects[0]).toMatchObject({ evidence: { kind: 'poster', photo: photoOf(4) } });
    const unclear = transition(asked.state, text('не то'), ctx);
    expect(unclear.effects).toEqual([]);
    expect(replyText(unclear)).toContain('Пришлите фото плаката или нажмите «Повесила»');
    // The required-photo default does not take the button.
    expect(transition(asked.state, button({ a: 'done', t: 'qr' }), context({ completions: ctx.completions })).effects).toEqual([]);
  });

  it('the menu offers the poster to a teacher with classes only, within VK\'s limits', () => {
    const fullMenu = ['Следующее задание', 'Мой прогресс', 'Изменить ответ', 'Плакат с QR-кодами', 'Родители в чатах', 'Помощь', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…', 'Удалить мои данные'];
    expect(labels(transition({ kind: 'menu' }, button({ a: 'menu' }), context()))).toEqual(fullMenu);
    expect(labels(transition({ kind: 'menu' }, button({ a: 'menu' }), context({ teacher: teacherWith({ classes: [] }) })))).toEqual(
      fullMenu.filter((l) => l !== 'Плакат с QR-кодами' && l !== 'Родители в чатах'),
    );
    const noPosters: Checklist = { ...defaultChecklist, tasks: defaultChecklist.tasks.filter((t) => t.code !== 'qr') };
    expect(labels(transition({ kind: 'menu' }, button({ a: 'menu' }), context({ checklist: noPosters })))).not.toContain('Плакат с QR-кодами');
  });
});

describe('admin commands from someone who is not an administrator', () => {
  const refusal = 'Эта команда доступна только администрации школы.';

  // The conversation service turns them into `admin_only` (test/integration/admin-authorization.test.ts);
  // an admin button that reaches the machine anyway is refused the same way.
  it.each([
    ['an admin button or command', { type: 'admin_only' } as const],
    ['an admin button that reached the machine anyway', button({ a: 'ad_erase_yes', t: '11111111-1111-4111-8111-111111111111' })],
  ])('%s: a refusal, the same question again, nothing changed', (_name, input) => {
    const state = taskState('chats', { className: '5А', item: 1, draft: { with_teacher: 'https://vk.me/join/Abcdefgh1' } });
    const result = transition(state, input, context());
    expect(result.state).toEqual(state);
    expect(result.effects).toEqual([]);
    expect(replyText(result).startsWith(refusal)).toBe(true);
    expect(replyText(result)).toContain('без учителя');
  });

  it('a stranger gets the refusal and the request for the join code, nothing else', () => {
    const result = transition({ kind: 'start' }, { type: 'admin_only' }, context({ teacher: null, school: null }));
    expect(replyText(result).startsWith(refusal)).toBe(true);
    expect(result.state).toEqual({ kind: 'start' });
  });

  it('a document is not a photo: the teacher is asked again', () => {
    const state = taskState('qr', { className: '5А' });
    const result = transition(state, { type: 'document', document: { url: 'http://x/f.pdf', filename: 'f.pdf', size: 1 }, text: '' }, context());
    expect(result.state).toEqual(state);
    expect(replyText(result)).toContain('Я понимаю текст, кнопки и фотографии');
  });
});

describe('delete my data', () => {
  it('is in the menu, asks for confirmation, and only the confirmation erases', () => {
    const menu = transition({ kind: 'menu' }, text('меню'), context());
    expect(labels(menu)).toContain('Удалить мои данные');
    expect(labels(menu).length).toBeLessThanOrEqual(10);
    const { state, steps } = run({ kind: 'menu' }, [button({ a: 'forget' }), button({ a: 'cancel' })]);
    expect(replyText(steps[0]!)).toContain('Удалить ваши данные?');
    expect(labels(steps[0]!)).toEqual(['Да, удалить', 'Отмена']);
    expect(state).toEqual({ kind: 'menu' });
    expect(steps.flatMap((s) => s.effects)).toEqual([]);

    expect(transition({ kind: 'menu' }, button({ a: 'forget_yes' }), context()).effects).toEqual([]);
    const erased = run({ kind: 'menu' }, [text('Удалить мои данные'), button({ a: 'forget_yes' })]);
    expect(erased.steps[1]?.effects).toEqual([{ type: 'erase' }]);
    expect(replyText(erased.steps[1]!)).toContain('Ваши данные удалены');
  });
});

describe('the school\'s own eo_link instructions', () => {
  it('follow the task text when the school set them', () => {
    const ctx = context({ school: { ...school, eoInstructions: 'Зайдите в профиль на e-dag.ru.' } });
    const result = transition({ kind: 'menu' }, button({ a: 'redo', t: 'eo_link' }), ctx);
    expect(replyText(result)).toContain('Инструкция школы:\nЗайдите в профиль на e-dag.ru.');
    expect(replyText(transition({ kind: 'menu' }, button({ a: 'redo', t: 'eo_link' }), context()))).not.toContain('Инструкция школы');
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
      text('скоро'),
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
    expect(labels(menu)).toEqual(['Следующее задание', 'Мой прогресс', 'Изменить ответ', 'Плакат с QR-кодами', 'Родители в чатах', 'Помощь', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…', 'Удалить мои данные']);
    expect(labels(menu).length).toBeLessThanOrEqual(10);
    expect(menu.replies[0]!.buttons!.length).toBeLessThanOrEqual(6);
  });

  it('refuses an administrator\'s button, revealing nothing', () => {
    const s = taskState('messengers');
    const t = transition(s, button({ a: 'ad_remind' }), context());
    expect(t.state).toEqual(s);
    expect(t.effects).toEqual([]);
    expect(replyText(t)).toContain('Эта команда доступна только администрации школы.');
  });
});
