import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { Checklist } from '../../../src/domain/checklist/schema.js';
import { formatReach, parentsReports, reachFields, sumReach } from '../../../src/domain/parents.js';
import { type SummaryInput, buildSummary } from '../../../src/domain/summary/model.js';
import { parentsSection } from '../../../src/domain/summary/render.js';
import type { TeacherStanding } from '../../../src/domain/standing.js';
import { doneAnswer, parentsAnswer, standing } from '../../support/standings.js';

const school = { id: '6f1c2a8e-1b2c-4d3e-8f90-123456789abc', name: 'МКОУ «СОШ №4»' };
const now = new Date('2026-12-08T09:00:00+03:00');

function summary(standings: TeacherStanding[], overrides: Partial<SummaryInput> = {}) {
  return buildSummary({ school, checklist: defaultChecklist, standings, deadline: null, now, timeZone: 'Europe/Moscow', previous: null, ...overrides });
}

const seeded = (): TeacherStanding[] => [
  standing({ id: 'two', fullName: 'Петров Иван Ильич', classes: ['7Б', '5А'], completions: [parentsAnswer('5А', 18, 25), parentsAnswer('7Б', 20, 20)] }),
  standing({ id: 'half', fullName: 'Иванова Мария Петровна', classes: ['6В', '9Г'], completions: [parentsAnswer('6В', 5, 30)] }),
  // An answer for a class the teacher no longer has, and a teacher-level one from before the task was per class: neither counts.
  standing({ id: 'moved', fullName: 'Алиева Патимат Магомедовна', classes: ['8А'], completions: [parentsAnswer('8Б', 10, 10), parentsAnswer(null, 40, 50)] }),
  standing({ id: 'none', fullName: 'Гасанов Руслан Ахмедович', classes: [], completions: [doneAnswer('messengers')] }),
  standing({ id: 'gone', fullName: 'Учитель', erased: true, classes: ['10А'], completions: [parentsAnswer('10А', 25, 25)] }),
];

describe('parents reached', () => {
  it('finds the "joined of total" fields of the checklist, whatever they are called', () => {
    expect(reachFields(defaultChecklist)).toEqual({ task: 'parents', perClass: true, joined: 'parents_joined', total: 'parents_total' });
    const own: Checklist = {
      title: 'Своя школа',
      tasks: [
        { code: 'talk', point: 3, title: 'Собрание', text: 'Текст', perClass: false, optOut: true, step: { kind: 'report', fields: [{ key: 'all', type: 'count', prompt: 'Всего?', max: 99 }, { key: 'in', type: 'count', prompt: 'В чате?', max: 99, atMost: 'all' }] } },
      ],
    };
    expect(reachFields(own)).toEqual({ task: 'talk', perClass: false, joined: 'in', total: 'all' });
    expect(reachFields({ ...own, tasks: [{ ...own.tasks[0]!, step: { kind: 'confirm', button: 'Да' } }] })).toBeNull();
  });

  it('reads a teacher-level report when the step is asked per teacher', () => {
    const fields = { task: 'parents', perClass: false, joined: 'parents_joined', total: 'parents_total' };
    expect(parentsReports(fields, ['5А'], [parentsAnswer(null, 40, 50), parentsAnswer('5А', 1, 2)])).toEqual([{ className: null, joined: 40, total: 50 }]);
  });

  it('counts per class in the teacher\'s order, per teacher and for the school; no class and erased teachers add nothing', () => {
    const parents = summary(seeded()).parents!;
    expect(parents.teachers.map((t) => [t.teacherId, t.name, t.joined, t.total, t.classes.map((c) => [c.className, c.joined, c.total])])).toEqual([
      ['half', 'Иванова М. П.', 5, 30, [['6В', 5, 30]]],
      ['two', 'Петров И. И.', 38, 45, [['7Б', 20, 20], ['5А', 18, 25]]],
    ]);
    expect(sumReach(parents.teachers)).toEqual({ joined: 43, total: 75 });
    expect(parents).toMatchObject({ joined: 43, total: 75, delta: null });
    // Owing: «half» lacks 9Г, «moved» has nothing for 8А; the teacher without a class owes nothing, the erased one is not asked.
    expect(parents.owing).toBe(2);
    expect(formatReach(parents)).toBe('43 из 75 (57 %)');
  });

  it('says what changed since the previous summary, by class, teacher and school, and stores today\'s figures', () => {
    const first = summary(seeded());
    expect(first.snapshot.parents).toEqual({ joined: 43, total: 75, classes: { 'two:7Б': 20, 'two:5А': 18, 'half:6В': 5 } });
    const later = seeded();
    later[0]!.completions = [parentsAnswer('5А', 21, 25), parentsAnswer('7Б', 20, 20)];
    later[1]!.completions = [parentsAnswer('6В', 5, 30), parentsAnswer('9Г', 12, 28)];
    const next = summary(later, { previous: { date: '2026-12-07', data: first.snapshot } }).parents!;
    expect(next.delta).toEqual({ joined: 15, total: 28 });
    const byId = Object.fromEntries(next.teachers.map((t) => [t.teacherId, t]));
    expect(byId.two).toMatchObject({ delta: 3, classes: [{ className: '7Б', delta: 0 }, { className: '5А', delta: 3 }] });
    expect(byId.half).toMatchObject({ joined: 17, total: 58, delta: 0, classes: [{ className: '6В', delta: 0 }, { className: '9Г', delta: null }] });
  });

  it('reads an older snapshot without parents as "no comparison"', () => {
    const first = summary(seeded());
    const { parents: _dropped, ...older } = first.snapshot;
    expect(summary(seeded(), { previous: { date: '2026-12-07', data: older } }).parents!.delta).toBeNull();
  });

  it('renders the school, each teacher with classes and change, and who owes figures', () => {
    const first = summary(seeded());
    const later = seeded();
    later[0]!.completions = [parentsAnswer('5А', 21, 25), parentsAnswer('7Б', 20, 20)];
    const text = parentsSection(summary(later, { previous: { date: '2026-12-07', data: first.snapshot } }).parents!, 20);
    expect(text).toBe(
      [
        'Родители в чатах класса: 46 из 75 (61 %), +3 с прошлой сводки.',
        '• Иванова М. П. (6В): 5 из 30 (17 %)',
        '• Петров И. И. — 7Б 20/20, 5А 21/25: 41 из 45 (91 %), +3',
        'Ещё не прислали цифры (или не по всем классам): 2 учителя.',
      ].join('\n'),
    );
    expect(parentsSection(summary([standing({ classes: ['5А'] })]).parents!, 20)).toBe(
      'Родители в чатах класса: цифр пока никто не прислал.\nЕщё не прислали цифры (или не по всем классам): 1 учитель.',
    );
  });

  it('is absent when the checklist asks for no such figures', () => {
    const checklist: Checklist = { ...defaultChecklist, tasks: defaultChecklist.tasks.filter((t) => t.code !== 'parents') };
    expect(summary(seeded(), { checklist }).parents).toBeNull();
  });
});
