import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import { type SummaryInput, buildSummary } from '../../../src/domain/summary/model.js';
import { VK_MESSAGE_LIMIT, pack, renderSummary } from '../../../src/domain/summary/render.js';
import type { TeacherStanding } from '../../../src/domain/standing.js';
import { allDone, doneAnswer, notApplicable, parentsAnswer, standing } from '../../support/standings.js';

const school = { id: '6f1c2a8e-1b2c-4d3e-8f90-123456789abc', name: 'МКОУ «СОШ №4»' };
const now = new Date('2026-12-08T09:00:00+03:00');

function summary(standings: TeacherStanding[], overrides: Partial<SummaryInput> = {}) {
  return buildSummary({ school, checklist: defaultChecklist, standings, deadline: null, now, timeZone: 'Europe/Moscow', previous: null, ...overrides });
}

/** A small school: one done, two lagging, one unreachable, one who never wrote, one without classes. */
function seeded(): TeacherStanding[] {
  return [
    standing({ id: 'done', fullName: 'Алиева Патимат Магомедовна', completions: [...allDone().filter((c) => c.task !== 'parents'), parentsAnswer('5А', 18, 25)], finishedAt: new Date('2026-12-07T15:00:00+03:00') }),
    standing({ id: 'lag1', fullName: 'Иванова Мария Петровна', completions: [doneAnswer('messengers'), doneAnswer('chats', '5А')] }),
    standing({ id: 'lag2', fullName: 'Петров Иван Ильич', classes: ['7Б', '8В'], completions: [doneAnswer('messengers')], leaveUntil: '2026-12-20' }),
    standing({ id: 'blocked', fullName: 'Сидоров Алексей Андреевич', unreachableAt: new Date('2026-12-01T10:00:00+03:00') }),
    standing({ id: 'silent', fullName: 'Кузнецова Елена Викторовна', startedAt: null }),
    standing({ id: 'noclass', fullName: 'Гасанов Руслан Ахмедович', classes: [], completions: [doneAnswer('messengers'), notApplicable('eo_link', 'нет доступа')] }),
  ];
}

describe('buildSummary', () => {
  it('counts teachers, who started and who is done, and each task done of applicable', () => {
    const model = summary(seeded());
    expect(model).toMatchObject({ date: '2026-12-08', teachers: 6, started: 5, finished: 1, deadline: null, daysToDeadline: null });
    expect(model.tasks.map((t) => [t.number, t.code, t.done, t.applicable, t.notApplicable])).toEqual([
      [1, 'messengers', 4, 6, 0],
      [2, 'chats', 2, 5, 1],
      [3, 'qr', 1, 5, 1],
      [4, 'parents', 1, 5, 1],
      [5, 'only_sferum', 1, 6, 0],
      [6, 'eo_link', 1, 5, 1],
    ]);
  });

  it('puts every teacher who is not done in exactly one group', () => {
    const model = summary(seeded());
    expect(model.laggards.map((l) => l.teacherId).sort()).toEqual(['lag1', 'lag2', 'noclass']);
    expect(model.unreachable.map((p) => p.teacherId)).toEqual(['blocked']);
    expect(model.neverStarted.map((p) => p.teacherId)).toEqual(['silent']);
    expect(model.unreachable[0]?.name).toBe('Сидоров А. А.');
  });

  it('lists what each laggard misses and sorts by days overdue, then by tasks missing', () => {
    const model = summary(
      [
        ...seeded(),
        // Added after the deadline: overdue counts from the day they were added.
        standing({ id: 'late', fullName: 'Новикова Ольга Сергеевна', addedAt: new Date('2026-12-05T12:00:00+03:00') }),
      ],
      { deadline: '2026-12-01' },
    );
    expect(model.daysToDeadline).toBe(-7);
    expect(model.laggards.map((l) => [l.teacherId, l.missing, l.daysOverdue, l.leaveUntil])).toEqual([
      ['lag2', [2, 3, 4, 5, 6], 7, '2026-12-20'],
      ['lag1', [3, 4, 5, 6], 7, null],
      ['noclass', [5], 7, null],
      ['late', [1, 2, 3, 4, 5, 6], 3, null],
    ]);
  });

  it('has no overdue days before the deadline', () => {
    expect(summary(seeded(), { deadline: '2026-12-15' }).laggards.every((l) => l.daysOverdue === 0)).toBe(true);
  });

  it('compares with the previous summary', () => {
    const previous = { date: '2026-12-07', data: { at: '2026-12-07T09:00:00+03:00', teachers: 5, started: 3, finished: 0, tasks: { messengers: 2, chats: 2, qr: 1 } } };
    const changes = summary(seeded(), { previous }).changes;
    expect(changes).toEqual({
      since: '2026-12-07',
      teachers: 1,
      started: 2,
      finished: 1,
      tasks: [
        { number: 1, title: 'Отказ от иностранных мессенджеров', delta: 2 },
        { number: 4, title: 'Разъяснение родителям', delta: 1 },
        { number: 5, title: 'Общение только через Сферум', delta: 1 },
        { number: 6, title: 'Привязка к „Электронному образованию“', delta: 1 },
      ],
      newlyFinished: [{ teacherId: 'done', name: 'Алиева П. М.' }],
    });
  });

  it('takes a snapshot of what it reported', () => {
    expect(summary(seeded()).snapshot).toEqual({
      at: now.toISOString(),
      teachers: 6,
      started: 5,
      finished: 1,
      tasks: { messengers: 4, chats: 2, qr: 1, parents: 1, only_sferum: 1, eo_link: 1 },
      parents: { joined: 18, total: 25, classes: { 'done:5А': 18 } },
    });
  });

  it('never names a teacher whose data was erased', () => {
    const model = summary([standing({ fullName: 'Удалённая Анна Ивановна', erased: true })]);
    expect(JSON.stringify(model)).not.toContain('Удалённая');
    expect(model.laggards[0]?.name).toBe('Учитель (данные удалены)');
  });
});

describe('renderSummary', () => {
  it('renders the seeded school as an administrator reads it', () => {
    const previous = { date: '2026-12-07', data: { at: '2026-12-07T09:00:00+03:00', teachers: 6, started: 4, finished: 0, tasks: { messengers: 3 } } };
    const [reply, ...rest] = renderSummary(summary(seeded(), { deadline: '2026-12-15', previous }));
    expect(rest).toEqual([]);
    expect(reply?.text).toBe(
      [
        '📊 Сводка на 08.12.2026 — МКОУ «СОШ №4»',
        'Срок — 15.12.2026, осталось 7 дней.',
        'Учителей: 6. Начали работу с ботом: 5. Выполнили всё: 1.',
        '',
        'Задания (сделано из тех, к кому относится):',
        '1. Отказ от иностранных мессенджеров — 4 из 6',
        '2. Родительские чаты в Сферуме — 2 из 5 (не относится: 1)',
        '3. QR-коды чатов в классе — 1 из 5 (не относится: 1)',
        '4. Разъяснение родителям — 1 из 5 (не относится: 1)',
        '5. Общение только через Сферум — 1 из 6',
        '6. Привязка к „Электронному образованию“ — 1 из 5 (не относится: 1)',
        '',
        'Родители в чатах класса: 18 из 25 (72 %).',
        '• Алиева П. М. (5А): 18 из 25 (72 %)',
        'Ещё не прислали цифры (или не по всем классам): 4 учителя.',
        '',
        'Отстают — 3:',
        '• Петров И. И. — не сделаны 2, 3, 4, 5, 6 (в отпуске до 20.12.2026)',
        '• Иванова М. П. — не сделаны 3, 4, 5, 6',
        '• Гасанов Р. А. — не сделано 5',
        '',
        'Не удаётся написать (запретили сообщения от сообщества) — 1: Сидоров А. А.',
        '',
        'Ещё не писали боту — 1: Кузнецова Е. В.',
        '',
        'С прошлой сводки (07.12.2026): начали +1, выполнили всё +1, задание 1: +1, задание 2: +2, задание 3: +1, задание 4: +1, задание 5: +1, задание 6: +1.',
        'Выполнили всё: Алиева П. М.',
      ].join('\n'),
    );
    expect(reply?.buttons).toEqual([
      [{ label: 'Напомнить отстающим сейчас', payload: { a: 'ad_remind' }, color: 'primary' }],
      [{ label: 'Выгрузить в Excel', payload: { a: 'ad_export_xlsx' } }],
    ]);
  });

  it('says when the deadline is today, has passed, or is not set, and when it is the first summary', () => {
    const text = (deadline: string | null) => renderSummary(summary(seeded(), { deadline }))[0]!.text;
    expect(text('2026-12-08')).toContain('Срок — сегодня, 08.12.2026.');
    expect(text('2026-12-05')).toContain('Срок (05.12.2026) прошёл 3 дня назад.');
    expect(text('2026-12-05')).toContain('просрочено 3 дня');
    expect(text(null)).toContain('Срок не назначен.');
    expect(text(null)).toContain('Это первая сводка.');
  });

  it('says so when nothing changed, and offers no reminder button when nobody lags', () => {
    const everyoneDone = [standing({ completions: allDone() })];
    const previous = { date: '2026-12-07', data: summary(everyoneDone).snapshot };
    const [reply] = renderSummary(summary(everyoneDone, { previous: { ...previous, data: { ...previous.data, at: '2026-12-07T09:00:00+03:00' } } }));
    expect(reply?.text).toContain('Отстающих нет.');
    expect(reply?.text).toContain('С прошлой сводки (07.12.2026) изменений нет.');
    expect(reply?.buttons).toEqual([[{ label: 'Выгрузить в Excel', payload: { a: 'ad_export_xlsx' } }]]);
  });

  it('cuts long lists with «и ещё N»', () => {
    const many = Array.from({ length: 45 }, (_, i) => standing({ fullName: `Учитель${'абвгдеёжзийклмнопрстуфхцчшщэюя'[i % 30]} Имя Отчество` }));
    const silent = Array.from({ length: 40 }, () => standing({ startedAt: null }));
    const text = renderSummary(summary([...many, ...silent]))[0]!.text;
    expect(text).toContain('Отстают — 45:');
    expect(text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(20);
    expect(text).toContain('и ещё 25.');
    expect(text).toContain('Ещё не писали боту — 40:');
    expect(text).toMatch(/Ещё не писали боту — 40: (\S+ \S+ \S+, ){14}\S+ \S+ \S+ и ещё 25$/m);
  });

  it('splits a summary longer than VK allows, keeping every line and the buttons under the last part', () => {
    const many = Array.from({ length: 400 }, (_, i) => standing({ fullName: `Фамилия${i} Имя Отчество` }));
    const model = summary(many);
    const replies = renderSummary(model, { maxLaggards: 400 });
    expect(replies.length).toBeGreaterThan(1);
    for (const reply of replies) expect(reply.text.length).toBeLessThanOrEqual(VK_MESSAGE_LIMIT);
    expect(replies.slice(0, -1).every((r) => r.buttons === undefined)).toBe(true);
    expect(replies.at(-1)?.buttons).toHaveLength(2);
    const lines = replies.map((r) => r.text).join('\n').split('\n').filter((line) => line.startsWith('• '));
    expect(lines).toHaveLength(400);
  });
});

describe('pack', () => {
  it('joins sections while they fit and never exceeds the limit', () => {
    expect(pack(['aaa', 'bbb', 'ccc'], 8)).toEqual(['aaa\n\nbbb', 'ccc']);
    expect(pack(['a\nb\nc\nd'], 3)).toEqual(['a\nb', 'c\nd']);
    expect(pack(['x'.repeat(10)], 4)).toEqual(['xxxx', 'xxxx', 'xx']);
  });
});
