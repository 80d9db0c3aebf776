import { describe, expect, it } from 'vitest';

import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { type Checklist, checklistSchema } from '../../src/domain/checklist/schema.js';
import type { Completion } from '../../src/domain/model.js';
import { type Progress, type TaskProgress, computeProgress, linksOf, nextOpenItem, sameLinks } from '../../src/domain/progress.js';

const AT = new Date('2026-09-10T09:00:00Z');

const done = (task: string, className: string | null = null): Completion => ({
  task,
  className,
  status: 'done',
  evidence: { kind: 'confirm' },
  reason: null,
  at: AT,
});

const notApplicable = (task: string, reason: string | null = 'нет своего класса'): Completion => ({
  task,
  className: null,
  status: 'not_applicable',
  evidence: null,
  reason,
  at: AT,
});

/** A small checklist: a plain task, a per-class task, another plain task. */
const small: Checklist = checklistSchema.parse({
  title: 'Тест',
  tasks: [
    { code: 'first', point: 1, title: 'Первая', text: 'т', step: { kind: 'confirm', button: 'Да' } },
    { code: 'per_class', point: 2, title: 'По классам', text: 'т', perClass: true, step: { kind: 'photo', required: true } },
    { code: 'last', point: 3, title: 'Последняя', text: 'т', step: { kind: 'confirm', button: 'Да' } },
  ],
});

const ALL_PLAIN = ['messengers', 'only_sferum', 'eo_link'];

function taskOf(progress: Progress, code: string): TaskProgress {
  const found = progress.tasks.find((t) => t.task.code === code);
  if (!found) throw new Error(`no task ${code}`);
  return found;
}

const statuses = (progress: Progress): Record<string, string> =>
  Object.fromEntries(progress.tasks.map((t) => [t.task.code, t.status]));

describe('computeProgress', () => {
  it('lists every task in checklist order, all open for a new teacher with classes', () => {
    const progress = computeProgress(defaultChecklist, ['5А'], []);
    expect(progress.tasks.map((t) => t.task.code)).toEqual(defaultChecklist.tasks.map((t) => t.code));
    expect(progress.tasks.every((t) => t.status === 'open')).toBe(true);
    expect(progress).toMatchObject({ closed: 0, total: 6, complete: false });
  });

  it('refers to the checklist task objects themselves', () => {
    const progress = computeProgress(defaultChecklist, ['5А'], []);
    progress.tasks.forEach((t, i) => {
      expect(t.task).toBe(defaultChecklist.tasks[i]);
    });
  });

  describe('plain tasks', () => {
    it('are done with a done completion without a class', () => {
      const progress = computeProgress(small, ['5А'], [done('first')]);
      expect(taskOf(progress, 'first')).toMatchObject({ status: 'done', openClasses: [], classesDone: 0, classesTotal: 0, reason: null });
      expect(taskOf(progress, 'last').status).toBe('open');
      expect(progress).toMatchObject({ closed: 1, total: 3, complete: false });
    });

    it('are not done by a completion that carries a class name', () => {
      expect(taskOf(computeProgress(small, ['5А'], [done('first', '5А')]), 'first').status).toBe('open');
    });

    it('are not applicable with the teacher\'s reason', () => {
      const progress = computeProgress(small, ['5А'], [notApplicable('last', 'уже сделано в прошлом году')]);
      expect(taskOf(progress, 'last')).toMatchObject({ status: 'not_applicable', reason: 'уже сделано в прошлом году' });
      expect(progress.closed).toBe(1);
    });

    it('prefer not applicable over done when both are recorded', () => {
      const progress = computeProgress(small, ['5А'], [done('first'), notApplicable('first', 'причина')]);
      expect(taskOf(progress, 'first')).toMatchObject({ status: 'not_applicable', reason: 'причина' });
    });

    it('ignore completions of other tasks and of tasks not in the checklist', () => {
      const progress = computeProgress(small, ['5А'], [done('unknown'), done('last')]);
      expect(statuses(progress)).toEqual({ first: 'open', per_class: 'open', last: 'done' });
      expect(progress.total).toBe(3);
    });
  });

  describe('per-class tasks', () => {
    it('are open with every class open when nothing is answered', () => {
      const progress = computeProgress(small, ['5А', '7Б'], []);
      expect(taskOf(progress, 'per_class')).toMatchObject({
        status: 'open',
        openClasses: ['5А', '7Б'],
        classesDone: 0,
        classesTotal: 2,
        reason: null,
      });
    });

    it('stay open until every class is answered, counting the answered ones', () => {
      const progress = computeProgress(small, ['5А', '7Б', '9В'], [done('per_class', '7Б')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({ status: 'open', openClasses: ['5А', '9В'], classesDone: 1, classesTotal: 3 });
    });

    it('are done when every class is answered', () => {
      const progress = computeProgress(small, ['5А', '7Б'], [done('per_class', '5А'), done('per_class', '7Б')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({ status: 'done', openClasses: [], classesDone: 2, classesTotal: 2 });
    });

    it('keep open classes in the teacher\'s order, not the order of answers', () => {
      const progress = computeProgress(small, ['9В', '5А', '7Б', '11А'], [done('per_class', '5А')]);
      expect(taskOf(progress, 'per_class').openClasses).toEqual(['9В', '7Б', '11А']);
    });

    it('ignore answers for classes the teacher no longer has', () => {
      const progress = computeProgress(small, ['5А'], [done('per_class', '6Б')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({ status: 'open', openClasses: ['5А'], classesDone: 0, classesTotal: 1 });
    });

    it('ignore a task-level done without a class', () => {
      const progress = computeProgress(small, ['5А'], [done('per_class')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({ status: 'open', openClasses: ['5А'] });
    });

    it('count a class answered twice once', () => {
      const progress = computeProgress(small, ['5А', '7Б'], [done('per_class', '5А'), done('per_class', '5А')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({ status: 'open', openClasses: ['7Б'], classesDone: 1 });
    });

    it('are not applicable with the reason when marked so, however many classes are open', () => {
      const progress = computeProgress(small, ['5А', '7Б'], [done('per_class', '5А'), notApplicable('per_class', 'QR повесила завуч')]);
      expect(taskOf(progress, 'per_class')).toMatchObject({
        status: 'not_applicable',
        reason: 'QR повесила завуч',
        openClasses: [],
        classesDone: 1,
        classesTotal: 2,
      });
    });
  });

  describe('a teacher without classes', () => {
    it('has chats, qr and parents not applicable automatically, with no reason', () => {
      const progress = computeProgress(defaultChecklist, [], []);
      for (const code of ['chats', 'qr', 'parents']) {
        expect(taskOf(progress, code)).toMatchObject({ status: 'not_applicable', reason: null, openClasses: [], classesDone: 0, classesTotal: 0 });
      }
      for (const code of ALL_PLAIN) expect(taskOf(progress, code).status).toBe('open');
      expect(progress).toMatchObject({ closed: 3, total: 6, complete: false });
    });

    it('is complete after the three plain tasks', () => {
      const progress = computeProgress(defaultChecklist, [], ALL_PLAIN.map((code) => done(code)));
      expect(progress).toMatchObject({ closed: 6, total: 6, complete: true });
    });

    it('keeps an explicit reason over the automatic not applicable', () => {
      const progress = computeProgress(defaultChecklist, [], [notApplicable('chats', 'я завуч')]);
      expect(taskOf(progress, 'chats')).toMatchObject({ status: 'not_applicable', reason: 'я завуч' });
    });
  });

  it('is complete for a teacher with classes when every task and class is closed', () => {
    const completions = [
      done('messengers'),
      done('chats', '5А'),
      done('chats', '7Б'),
      done('qr', '5А'),
      done('qr', '7Б'),
      done('parents', '5А'),
      done('parents', '7Б'),
      done('only_sferum'),
      notApplicable('eo_link', 'нет инструкции'),
    ];
    const progress = computeProgress(defaultChecklist, ['5А', '7Б'], completions);
    expect(statuses(progress)).toEqual({
      messengers: 'done',
      chats: 'done',
      qr: 'done',
      parents: 'done',
      only_sferum: 'done',
      eo_link: 'not_applicable',
    });
    expect(progress).toMatchObject({ closed: 6, total: 6, complete: true });
  });

  it('is not complete while one class of one per-class task is open', () => {
    const completions = [...ALL_PLAIN.map((code) => done(code)), done('chats', '5А'), done('chats', '7Б'), done('qr', '5А'), done('parents', '5А'), done('parents', '7Б')];
    const progress = computeProgress(defaultChecklist, ['5А', '7Б'], completions);
    expect(progress).toMatchObject({ closed: 5, complete: false });
    expect(taskOf(progress, 'qr').openClasses).toEqual(['7Б']);
  });
});

describe('poster tasks', () => {
  const LATER = new Date(AT.getTime() + 60_000);
  const links = (suffix: string) => ({ with_teacher: `https://vk.me/join/With${suffix}`, parents_only: `https://vk.me/join/Only${suffix}` });
  const chats = (className: string, suffix: string, at = AT): Completion => ({
    task: 'chats',
    className,
    status: 'done',
    evidence: { kind: 'links', links: links(suffix) },
    reason: null,
    at,
  });
  const poster = (className: string, suffix: string, at = AT): Completion => ({
    task: 'qr',
    className,
    status: 'done',
    evidence: { kind: 'poster', links: links(suffix), photo: null },
    reason: null,
    at,
  });

  it('count a poster showing the class\'s current links as done', () => {
    const progress = computeProgress(defaultChecklist, ['5А'], [chats('5А', 'A'), poster('5А', 'A', LATER)]);
    expect(taskOf(progress, 'qr')).toMatchObject({ status: 'done', openClasses: [], outdatedClasses: [], classesDone: 1 });
  });

  it('reopen a class whose links changed after its poster was hung, whatever the times', () => {
    // The poster is even recorded later than the links: what counts is which links it shows.
    const progress = computeProgress(defaultChecklist, ['5А', '7Б'], [
      done('messengers'),
      chats('5А', 'B'),
      poster('5А', 'A', LATER),
      chats('7Б', 'C'),
      poster('7Б', 'C'),
    ]);
    expect(taskOf(progress, 'qr')).toMatchObject({ status: 'open', openClasses: ['5А'], outdatedClasses: ['5А'], classesDone: 1, classesTotal: 2 });
    expect(nextOpenItem(progress)).toEqual({ task: byCodeOf('qr'), className: '5А' });
  });

  it('judge a plain-photo answer from before posters carried links by time', () => {
    const legacy = (at: Date): Completion => ({ ...done('qr', '5А'), evidence: { kind: 'photo', photo: null }, at });
    expect(taskOf(computeProgress(defaultChecklist, ['5А'], [chats('5А', 'A', LATER), legacy(AT)]), 'qr').outdatedClasses).toEqual(['5А']);
    expect(taskOf(computeProgress(defaultChecklist, ['5А'], [chats('5А', 'A', AT), legacy(LATER)]), 'qr').status).toBe('done');
  });

  it('are not applicable, with the teacher\'s reason, when the chats are', () => {
    const progress = computeProgress(defaultChecklist, ['5А'], [notApplicable('chats', 'чаты ведёт завуч')]);
    expect(taskOf(progress, 'qr')).toMatchObject({ status: 'not_applicable', reason: 'чаты ведёт завуч', openClasses: [] });
  });

  it('forget an outdated poster once the poster task is marked not applicable', () => {
    const progress = computeProgress(defaultChecklist, ['5А'], [chats('5А', 'B'), poster('5А', 'A'), notApplicable('qr', 'плакаты вешает школа')]);
    expect(taskOf(progress, 'qr')).toMatchObject({ status: 'not_applicable', outdatedClasses: [] });
  });

  it('find the links of a class and compare link sets by key', () => {
    expect(linksOf([chats('5А', 'A')], 'chats', '5А')).toEqual(links('A'));
    expect(linksOf([chats('5А', 'A')], 'chats', '7Б')).toBeNull();
    expect(sameLinks(links('A'), { ...links('A') })).toBe(true);
    expect(sameLinks(links('A'), links('B'))).toBe(false);
    expect(sameLinks(links('A'), { with_teacher: links('A').with_teacher })).toBe(false);
  });
});

const byCodeOf = (code: string) => defaultChecklist.tasks.find((t) => t.code === code);

describe('nextOpenItem', () => {
  it('is the first task for a new teacher', () => {
    expect(nextOpenItem(computeProgress(defaultChecklist, ['5А'], []))).toEqual({ task: defaultChecklist.tasks[0], className: null });
  });

  it('is the first open task in checklist order, skipping closed ones', () => {
    const progress = computeProgress(small, ['5А'], [done('first'), done('per_class', '5А')]);
    expect(nextOpenItem(progress)).toEqual({ task: small.tasks[2], className: null });
  });

  it('follows checklist order even when a later task was done first', () => {
    const progress = computeProgress(small, ['5А'], [done('last')]);
    expect(nextOpenItem(progress)?.task.code).toBe('first');
  });

  it('names the first open class of a per-class task in the teacher\'s order', () => {
    const progress = computeProgress(small, ['9В', '5А', '7Б'], [done('first'), done('per_class', '9В')]);
    expect(nextOpenItem(progress)).toEqual({ task: small.tasks[1], className: '5А' });
  });

  it('skips per-class tasks for a teacher without classes', () => {
    const progress = computeProgress(defaultChecklist, [], [done('messengers')]);
    expect(nextOpenItem(progress)?.task.code).toBe('only_sferum');
  });

  it('skips a per-class task marked not applicable', () => {
    const progress = computeProgress(small, ['5А'], [done('first'), notApplicable('per_class')]);
    expect(nextOpenItem(progress)?.task.code).toBe('last');
  });

  it('is null when everything is closed', () => {
    const progress = computeProgress(small, ['5А'], [done('first'), done('per_class', '5А'), notApplicable('last')]);
    expect(progress.complete).toBe(true);
    expect(nextOpenItem(progress)).toBeNull();
  });
});
