import type { Completion } from '../../src/domain/model.js';
import type { TeacherStanding } from '../../src/domain/standing.js';

let nextId = 0;

/** A started, reachable teacher of class 5А with nothing done; override what the test is about. */
export function standing(overrides: Partial<TeacherStanding> = {}): TeacherStanding {
  nextId += 1;
  return {
    id: `t-${nextId}`,
    vkId: 10_000 + nextId,
    fullName: 'Иванова Мария Петровна',
    classes: ['5А'],
    addedAt: new Date('2026-09-01T09:00:00+03:00'),
    startedAt: new Date('2026-09-01T10:00:00+03:00'),
    finishedAt: null,
    unreachableAt: null,
    snoozedUntil: null,
    leaveUntil: null,
    erased: false,
    completions: [],
    lastReminderOn: null,
    ...overrides,
  };
}

export const doneAnswer = (task: string, className: string | null = null, at = new Date('2026-09-02T10:00:00+03:00')): Completion => ({
  task,
  className,
  status: 'done',
  evidence: null,
  reason: null,
  at,
});

export const notApplicable = (task: string, reason = 'нет класса'): Completion => ({
  task,
  className: null,
  status: 'not_applicable',
  evidence: null,
  reason,
  at: new Date('2026-09-02T10:00:00+03:00'),
});

/** Every task of the default checklist done, for a teacher of 5А. */
export const allDone = (): Completion[] =>
  ['messengers', 'only_sferum', 'eo_link'].map((task) => doneAnswer(task)).concat(doneAnswer('chats', '5А'), doneAnswer('qr', '5А'), doneAnswer('parents', '5А'));

/** The parents report of one class: `joined` of `total` parents in the class chats. */
export const parentsAnswer = (className: string | null, joined: number, total: number): Completion => ({
  ...doneAnswer('parents', className),
  evidence: { kind: 'report', values: { meeting_date: '2026-09-05', parents_total: total, parents_joined: joined } },
});
