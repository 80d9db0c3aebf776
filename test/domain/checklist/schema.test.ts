import { describe, expect, it } from 'vitest';

import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import order641 from '../../../src/domain/checklist/order-64-1.json' with { type: 'json' };
import { type Step, type Task, parseChecklist } from '../../../src/domain/checklist/schema.js';

/** A minimal valid task (a confirm step); override any field. */
const task = (code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code,
  point: 1,
  title: `Задача ${code}`,
  text: 'Что сделать и зачем.',
  step: { kind: 'confirm', button: 'Готово' },
  ...overrides,
});

const checklist = (...tasks: unknown[]): Record<string, unknown> => ({ title: 'Приказ школы', tasks });

const chat = (key: string) => ({ key, title: `Чат ${key}`, prompt: `Пришлите ссылку на чат ${key} для {class}.` });
const linksTask = (code: string, perClass: boolean, ...keys: string[]) =>
  task(code, { perClass, step: { kind: 'links', chats: keys.map(chat) } });

const count = (key: string, atMost?: string) => ({ key, type: 'count', prompt: `Сколько ${key}?`, ...(atMost ? { atMost } : {}) });
const dateField = (key: string) => ({ key, type: 'date', prompt: `Когда ${key}?` });
const reportTask = (code: string, ...fields: unknown[]) => task(code, { step: { kind: 'report', fields } });
const posterTask = (code: string, links: string, overrides: Record<string, unknown> = {}) =>
  task(code, { perClass: true, step: { kind: 'poster', links, photoRequired: true }, ...overrides });

/** Problems of an input that must be rejected. */
function problemsOf(input: unknown): string[] {
  const result = parseChecklist(input);
  if (result.ok) throw new Error('expected the checklist to be rejected');
  return result.problems;
}

function stepOf<K extends Step['kind']>(t: Task | undefined, kind: K): Extract<Step, { kind: K }> {
  expect(t?.step.kind).toBe(kind);
  return t!.step as Extract<Step, { kind: K }>;
}

const byCode = (code: string): Task | undefined => defaultChecklist.tasks.find((t) => t.code === code);

describe('the default checklist (order №64/1)', () => {
  it('parses with parseChecklist and equals defaultChecklist', () => {
    expect(parseChecklist(order641)).toEqual({ ok: true, checklist: defaultChecklist });
  });

  it('is titled after order №64/1', () => {
    expect(defaultChecklist.title).toContain('64/1');
    expect(defaultChecklist.title).toContain('Сферум');
  });

  it('has the six tasks of the order in order', () => {
    expect(defaultChecklist.tasks.map((t) => t.code)).toEqual(['messengers', 'chats', 'qr', 'parents', 'only_sferum', 'eo_link']);
  });

  it('maps the tasks to points 1, 2, 2, 3, 4, 6 of the order', () => {
    expect(defaultChecklist.tasks.map((t) => t.point)).toEqual([1, 2, 2, 3, 4, 6]);
  });

  it('asks chats, qr and the parents report per class', () => {
    expect(defaultChecklist.tasks.filter((t) => t.perClass).map((t) => t.code)).toEqual(['chats', 'qr', 'parents']);
  });

  it('has a title and a text for every task', () => {
    for (const t of defaultChecklist.tasks) {
      expect(t.title.length, t.code).toBeGreaterThan(0);
      expect(t.text.length, t.code).toBeGreaterThan(0);
    }
  });

  it('messengers is a confirmation', () => {
    expect(stepOf(byCode('messengers'), 'confirm').button).toBe('Подтверждаю');
  });

  it('chats asks per class for two invite links: parents with the teacher and parents only', () => {
    const step = stepOf(byCode('chats'), 'links');
    expect(step.chats.map((c) => c.key)).toEqual(['with_teacher', 'parents_only']);
    for (const c of step.chats) expect(c.prompt).toContain('{class}');
  });

  it('qr sends a poster of the chats links per class and wants a photo of it hung', () => {
    expect(stepOf(byCode('qr'), 'poster')).toEqual({ kind: 'poster', links: 'chats', photoRequired: true, button: 'Плакат висит' });
  });

  it('parents is a report per class of the meeting date, parents in total and parents joined ≤ total', () => {
    const step = stepOf(byCode('parents'), 'report');
    expect(step.fields).toEqual([
      expect.objectContaining({ key: 'meeting_date', type: 'date' }),
      expect.objectContaining({ key: 'parents_total', type: 'count', max: 200 }),
      expect.objectContaining({ key: 'parents_joined', type: 'count', max: 200, atMost: 'parents_total' }),
    ]);
  });

  it('only_sferum is a confirmation', () => {
    expect(stepOf(byCode('only_sferum'), 'confirm').button).toBe('Старые чаты закрыты');
  });

  it('eo_link takes an optional photo with a skip button', () => {
    expect(stepOf(byCode('eo_link'), 'photo')).toEqual({ kind: 'photo', required: false, skipButton: 'Готово' });
  });
});

describe('parseChecklist', () => {
  describe('accepts a valid checklist', () => {
    it('with one confirm task, filling in defaults', () => {
      const result = parseChecklist(checklist(task('a')));
      expect(result).toEqual({
        ok: true,
        checklist: {
          title: 'Приказ школы',
          tasks: [{ code: 'a', point: 1, title: 'Задача a', text: 'Что сделать и зачем.', perClass: false, optOut: true, step: { kind: 'confirm', button: 'Готово' } }],
        },
      });
    });

    it('trims texts', () => {
      const result = parseChecklist({ title: '  Приказ  ', tasks: [task('a', { title: ' Задача ', text: '\nТекст\n' })] });
      expect(result.ok && [result.checklist.title, result.checklist.tasks[0]?.title, result.checklist.tasks[0]?.text]).toEqual([
        'Приказ',
        'Задача',
        'Текст',
      ]);
    });

    it('gives a count field max 1000 by default', () => {
      const result = parseChecklist(checklist(reportTask('r', count('n'))));
      expect(result.ok && result.checklist.tasks[0]?.step).toEqual({
        kind: 'report',
        fields: [{ key: 'n', type: 'count', prompt: 'Сколько n?', max: 1000 }],
      });
    });

    it('with a count field at most an earlier count field', () => {
      expect(parseChecklist(checklist(reportTask('r', count('total'), count('joined', 'total')))).ok).toBe(true);
    });

    it('with a poster of an earlier links task, the photo required or optional', () => {
      expect(parseChecklist(checklist(linksTask('chats', true, 'a', 'b'), posterTask('qr', 'chats'))).ok).toBe(true);
      const optional = parseChecklist(
        checklist(linksTask('chats', true, 'a'), posterTask('qr', 'chats', { step: { kind: 'poster', links: 'chats', photoRequired: false, button: 'Повесила' } })),
      );
      expect(optional.ok && optional.checklist.tasks[1]?.step).toEqual({ kind: 'poster', links: 'chats', photoRequired: false, button: 'Повесила' });
    });

    it('with a per-class links task of up to four chats', () => {
      expect(parseChecklist(checklist(linksTask('l', true, 'a', 'b', 'c', 'd'))).ok).toBe(true);
    });

    it('with codes of digits and underscores up to 32 characters', () => {
      expect(parseChecklist(checklist(task('a1_b2'), task(`a${'b'.repeat(31)}`))).ok).toBe(true);
    });

    it('with 20 tasks', () => {
      const tasks = Array.from({ length: 20 }, (_, i) => task(`t${i}`));
      expect(parseChecklist(checklist(...tasks)).ok).toBe(true);
    });
  });

  describe('reports readable problems', () => {
    it('for a duplicate task code, pointing at the second task', () => {
      expect(problemsOf(checklist(task('a'), task('b'), task('a')))).toEqual(['tasks.2.code: duplicate task code "a"']);
    });

    it('for a links task that is not per class', () => {
      expect(problemsOf(checklist(task('a'), linksTask('l', false, 'x')))).toEqual(['tasks.1.perClass: a links step is asked per class']);
    });

    it('for a links task without perClass (it defaults to false)', () => {
      const { perClass: _omit, ...withoutPerClass } = linksTask('l', true, 'x');
      expect(problemsOf(checklist(withoutPerClass))).toEqual(['tasks.0.perClass: a links step is asked per class']);
    });

    it('for a poster that is not per class', () => {
      expect(problemsOf(checklist(linksTask('chats', true, 'a'), posterTask('qr', 'chats', { perClass: false })))).toEqual([
        'tasks.1.perClass: a poster step is made per class',
      ]);
    });

    it('for a poster of a links task that comes later, does not exist or is not a links task', () => {
      const problem = (index: number) => `tasks.${index}.step.links: "chats" must be the code of an earlier task with a links step`;
      expect(problemsOf(checklist(posterTask('qr', 'chats'), linksTask('chats', true, 'a')))).toEqual([problem(0)]);
      expect(problemsOf(checklist(task('a'), posterTask('qr', 'chats')))).toEqual([problem(1)]);
      expect(problemsOf(checklist(task('chats'), posterTask('qr', 'chats')))).toEqual([problem(1)]);
    });

    it('for duplicate chat keys in a links task', () => {
      expect(problemsOf(checklist(linksTask('l', true, 'x', 'x')))).toEqual(['tasks.0.step.chats: duplicate chat key']);
    });

    it('for a links task with more than four chats', () => {
      expect(problemsOf(checklist(linksTask('l', true, 'a', 'b', 'c', 'd', 'e')))).toEqual([
        expect.stringMatching(/^tasks\.0\.step\.chats: /),
      ]);
    });

    it('for atMost referring to a later field', () => {
      expect(problemsOf(checklist(reportTask('r', count('joined', 'total'), count('total'))))).toEqual([
        'tasks.0.step.fields: field "joined" refers to "total", which must be an earlier count field',
      ]);
    });

    it('for atMost referring to an unknown field', () => {
      expect(problemsOf(checklist(task('a'), reportTask('r', count('total'), count('joined', 'nobody'))))).toEqual([
        'tasks.1.step.fields: field "joined" refers to "nobody", which must be an earlier count field',
      ]);
    });

    it('for atMost referring to the field itself', () => {
      expect(problemsOf(checklist(reportTask('r', count('n', 'n'))))).toEqual([
        'tasks.0.step.fields: field "n" refers to "n", which must be an earlier count field',
      ]);
    });

    it.each([
      ['upper case', 'Chats'],
      ['a hyphen', 'only-sferum'],
      ['a leading digit', '1chats'],
      ['a leading underscore', '_chats'],
      ['Cyrillic', 'чаты'],
      ['an empty string', ''],
      ['33 characters', `a${'b'.repeat(32)}`],
    ])('for a task code with %s', (_name, code) => {
      expect(problemsOf(checklist(task('ok'), task(code)))).toEqual([
        'tasks.1.code: lowercase latin, digits and _, up to 32 characters',
      ]);
    });

    it('for a bad chat key', () => {
      expect(problemsOf(checklist(linksTask('l', true, 'With-Teacher')))).toEqual([
        'tasks.0.step.chats.0.key: lowercase latin, digits and _, up to 32 characters',
      ]);
    });

    it('for an empty task list', () => {
      expect(problemsOf(checklist())).toEqual([expect.stringMatching(/^tasks: /)]);
    });

    it('for more than 20 tasks', () => {
      const tasks = Array.from({ length: 21 }, (_, i) => task(`t${i}`));
      expect(problemsOf(checklist(...tasks))).toEqual([expect.stringMatching(/^tasks: /)]);
    });

    it('for a report without fields', () => {
      expect(problemsOf(checklist(reportTask('r')))).toEqual([expect.stringMatching(/^tasks\.0\.step\.fields: /)]);
    });

    it('for an unknown step kind', () => {
      expect(problemsOf(checklist(task('a', { step: { kind: 'video' } })))).toEqual([expect.stringMatching(/^tasks\.0\.step\.kind: /)]);
    });

    it('for a point outside 1–20', () => {
      expect(problemsOf(checklist(task('a', { point: 0 }), task('b', { point: 21 }), task('c', { point: 1.5 })))).toEqual([
        expect.stringMatching(/^tasks\.0\.point: /),
        expect.stringMatching(/^tasks\.1\.point: /),
        expect.stringMatching(/^tasks\.2\.point: /),
      ]);
    });

    it('for a blank title and a missing text', () => {
      const { text: _omit, ...withoutText } = task('a', { title: '   ' });
      expect(problemsOf(checklist(withoutText))).toEqual([
        expect.stringMatching(/^tasks\.0\.title: /),
        expect.stringMatching(/^tasks\.0\.text: /),
      ]);
    });

    it('for a count max that is not a positive whole number', () => {
      expect(problemsOf(checklist(reportTask('r', { ...count('n'), max: 0 })))).toEqual([
        expect.stringMatching(/^tasks\.0\.step\.fields\.0\.max: /),
      ]);
    });

    it('for a missing checklist title', () => {
      expect(problemsOf({ tasks: [task('a')] })).toEqual([expect.stringMatching(/^title: /)]);
    });

    it.each([
      ['null', null],
      ['an array', []],
      ['a string', 'order'],
    ])('at the root for %s', (_name, input) => {
      expect(problemsOf(input)).toEqual([expect.stringMatching(/^\(root\): /)]);
    });

    it('reports every problem at once', () => {
      const problems = problemsOf(checklist(task('a'), task('a'), task('Bad'), linksTask('l', false, 'x')));
      expect(problems).toHaveLength(3);
      expect(problems).toEqual(
        expect.arrayContaining([
          'tasks.1.code: duplicate task code "a"',
          'tasks.2.code: lowercase latin, digits and _, up to 32 characters',
          'tasks.3.perClass: a links step is asked per class',
        ]),
      );
    });
  });
});

describe('parseChecklist regressions', () => {
  it('rejects a count limited by a date field', () => {
    expect(parseChecklist(checklist(reportTask('r', dateField('d'), count('n', 'd'))))).toEqual({
      ok: false,
      problems: ['tasks.0.step.fields: field "n" refers to "d", which must be an earlier count field'],
    });
  });

  it('rejects duplicate report field keys', () => {
    expect(parseChecklist(checklist(reportTask('r', count('n'), count('n'))))).toEqual({
      ok: false,
      problems: ['tasks.0.step.fields: duplicate field key "n"'],
    });
  });
});
