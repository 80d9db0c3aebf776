import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import { type PlanInput, planReminders } from '../../../src/domain/reminders/due.js';
import { DEFAULT_REMINDER_POLICY } from '../../../src/domain/reminders/policy.js';
import { createSchoolCalendar } from '../../../src/domain/reminders/school-calendar.js';
import type { TeacherStanding } from '../../../src/domain/standing.js';
import { allDone, doneAnswer, standing } from '../../support/standings.js';

const TZ = 'Europe/Moscow';
/** 10:00 in Moscow on a local date. */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+03:00`);

function plan(standings: TeacherStanding[], overrides: Partial<PlanInput> = {}) {
  return planReminders({
    checklist: defaultChecklist,
    standings,
    policy: DEFAULT_REMINDER_POLICY,
    calendar: createSchoolCalendar(DEFAULT_REMINDER_POLICY, []),
    deadline: null,
    now: at('2026-12-08'),
    timeZone: TZ,
    ...overrides,
  });
}

/**
 * One teacher day by day: the reason of each day's reminder ('-' when none is due, or why the
 * school is closed), recording each reminder as the outbox would.
 */
function over(dates: string[], teacher: TeacherStanding, overrides: Partial<PlanInput> = {}) {
  let current = teacher;
  return dates.map((date) => {
    const result = plan([current], { now: at(date), ...overrides });
    if (result.due.length > 0) current = { ...current, lastReminderOn: date };
    return result.closed ?? result.due[0]?.reason ?? '-';
  });
}

describe('the calendar gate', () => {
  it('sends nothing on weekends and public holidays', () => {
    expect(plan([standing()], { now: at('2026-12-12') }).closed).toBe('not_working_day');
    expect(plan([standing()], { now: at('2026-12-13') }).closed).toBe('not_working_day');
    expect(plan([standing()], { now: at('2026-11-04') }).closed).toBe('not_working_day');
    expect(plan([standing()], { now: at('2027-01-05') }).closed).toBe('not_working_day');
  });

  it('sends nothing on a date the school set as a day off', () => {
    const calendar = createSchoolCalendar(DEFAULT_REMINDER_POLICY, ['2026-12-08']);
    expect(plan([standing()], { calendar }).closed).toBe('not_working_day');
  });

  it.each([
    ['08:59', 'outside_window'],
    ['09:00', null],
    ['17:59', null],
    ['18:00', 'outside_window'],
    ['23:30', 'outside_window'],
  ])('at %s the window is %s', (time, closed) => {
    const result = plan([standing()], { now: at('2026-12-08', time) });
    expect(result.closed).toBe(closed);
    expect(result.due).toHaveLength(closed ? 0 : 1);
  });

  it('reads the window in the school\'s time zone, not the server\'s', () => {
    // 06:30 UTC is 09:30 in Moscow but 11:30 in Yekaterinburg: both inside.
    expect(plan([standing()], { now: new Date('2026-12-08T06:30:00Z') }).closed).toBeNull();
    // 15:30 UTC is 18:30 in Moscow: closed; in Kaliningrad (+2) it is 17:30: open.
    expect(plan([standing()], { now: new Date('2026-12-08T15:30:00Z') }).closed).toBe('outside_window');
    expect(plan([standing()], { now: new Date('2026-12-08T15:30:00Z'), timeZone: 'Europe/Kaliningrad' }).closed).toBeNull();
  });
});

describe('who is reminded', () => {
  it('reminds teachers with open tasks and names the date of the plan', () => {
    const result = plan([standing({ id: 'a' }), standing({ id: 'b', completions: [doneAnswer('messengers')] })]);
    expect(result.date).toBe('2026-12-08');
    expect(result.due.map((d) => d.teacher.id)).toEqual(['a', 'b']);
    expect(result.due[1]?.next.task.code).toBe('chats');
    expect(result.due[1]?.next.className).toBe('5А');
  });

  it.each([
    ['everything is done', { completions: allDone() }, 'done'],
    ['done with "not applicable" for the rest', { classes: [], completions: ['messengers', 'parents', 'only_sferum', 'eo_link'].map((t) => doneAnswer(t)) }, 'done'],
    ['never wrote to the bot', { startedAt: null }, 'not_started'],
    ['no VK id is known', { vkId: null }, 'no_vk_id'],
    ['VK answered 901', { unreachableAt: new Date('2026-12-01T10:00:00+03:00') }, 'unreachable'],
    ['personal data erased', { erased: true }, 'erased'],
    ['on leave through today', { leaveUntil: '2026-12-08' }, 'on_leave'],
    ['on leave through next month', { leaveUntil: '2027-01-20' }, 'on_leave'],
    ['snoozed until tomorrow', { snoozedUntil: new Date('2026-12-09T00:00:00+03:00') }, 'snoozed'],
    ['already reminded today', { lastReminderOn: '2026-12-08' }, 'reminded_today'],
  ])('skips a teacher who %s', (_name, overrides, reason) => {
    const result = plan([standing(overrides as Partial<TeacherStanding>)]);
    expect(result.due).toEqual([]);
    expect(result.skipped).toEqual({ [reason]: 1 });
  });

  it('reminds again the day after a leave ends', () => {
    expect(plan([standing({ leaveUntil: '2026-12-07' })]).due).toHaveLength(1);
  });

  it('counts the skipped by reason', () => {
    const result = plan([standing(), standing({ completions: allDone() }), standing({ startedAt: null }), standing({ startedAt: null })]);
    expect(result.due).toHaveLength(1);
    expect(result.skipped).toEqual({ done: 1, not_started: 2 });
  });
});

describe('cadence without a deadline', () => {
  it('reminds at once, then every 2 working days, counting over the weekend', () => {
    // Mon 7 … Fri 11 December, then Mon 14, Tue 15.
    const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14', '2026-12-15'];
    expect(over(days, standing())).toEqual(['periodic', '-', 'periodic', '-', 'periodic', '-', 'periodic']);
  });

  it('follows the school\'s N', () => {
    const policy = { ...DEFAULT_REMINDER_POLICY, everyWorkingDays: 1 };
    expect(over(['2026-12-08'], standing({ lastReminderOn: '2026-12-07' }), { policy })).toEqual(['periodic']);
  });

  it('does not count holidays as working days', () => {
    // Reminded on Wed 30 Dec 2026; the New Year holidays last until Sun 10 Jan 2027.
    const teacher = standing({ lastReminderOn: '2026-12-30' });
    expect(over(['2027-01-11', '2027-01-12'], teacher)).toEqual(['-', 'periodic']);
  });
});

describe('cadence relative to the deadline', () => {
  // Deadline Tue 22 December 2026: 7 days before is Tue 15, 2 days before is Sun 20 (caught up Mon 21).
  const deadline = '2026-12-22';

  it('reminds 7 days before, 2 days before (on the next working day when that is a Sunday), then every working day once overdue', () => {
    const days = ['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-18', '2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-25', '2026-12-28'];
    expect(over(days, standing(), { deadline })).toEqual(['-', 'deadline_soon', '-', '-', 'deadline_soon', '-', 'overdue', 'overdue', 'overdue', 'overdue']);
  });

  it('catches up a missed mark: a bot started 5 days before the deadline reminds at once', () => {
    expect(over(['2026-12-17'], standing(), { deadline })).toEqual(['deadline_soon']);
  });

  it('stays quiet long before the deadline', () => {
    expect(over(['2026-12-01', '2026-12-14'], standing(), { deadline })).toEqual(['-', '-']);
  });

  it('is silent on overdue weekends and holidays', () => {
    expect(over(['2026-12-26', '2026-12-27', '2026-12-31'], standing({ lastReminderOn: '2026-12-25' }), { deadline })).toEqual([
      'not_working_day',
      'not_working_day',
      'not_working_day',
    ]);
  });
});

describe('snooze and the teacher\'s own request', () => {
  it('"remind me tomorrow" reminds the next day even when the cadence would not', () => {
    // Reminded Tue 8; without the request Wed 9 would be quiet (every 2 working days).
    const teacher = standing({ lastReminderOn: '2026-12-08', snoozedUntil: new Date('2026-12-09T00:00:00+03:00') });
    expect(over(['2026-12-09', '2026-12-10', '2026-12-11'], teacher)).toEqual(['requested', '-', 'periodic']);
  });

  it('a request that falls on a weekend is served on Monday', () => {
    const teacher = standing({ lastReminderOn: '2026-12-11', snoozedUntil: new Date('2026-12-12T00:00:00+03:00') });
    expect(over(['2026-12-12', '2026-12-14'], teacher)).toEqual(['not_working_day', 'requested']);
  });

  it('"next week" keeps quiet for the week, even when overdue', () => {
    const teacher = standing({ lastReminderOn: '2026-12-08', snoozedUntil: new Date('2026-12-15T00:00:00+03:00') });
    expect(over(['2026-12-09', '2026-12-14', '2026-12-15'], teacher, { deadline: '2026-12-01' })).toEqual(['-', '-', 'requested']);
  });

  it('once served, the request no longer counts', () => {
    const teacher = standing({ lastReminderOn: '2026-12-09', snoozedUntil: new Date('2026-12-09T00:00:00+03:00') });
    expect(over(['2026-12-10'], teacher)).toEqual(['-']);
  });
});

describe('"remind the laggards now"', () => {
  it('ignores the cadence but keeps every other rule', () => {
    const result = plan(
      [
        standing({ id: 'recent', lastReminderOn: '2026-12-07' }),
        standing({ id: 'today', lastReminderOn: '2026-12-08' }),
        standing({ id: 'leave', leaveUntil: '2026-12-20' }),
        standing({ id: 'snoozed', snoozedUntil: new Date('2026-12-10T00:00:00+03:00') }),
        standing({ id: 'done', completions: allDone() }),
      ],
      { manual: true, deadline: '2027-03-01' },
    );
    expect(result.due.map((d) => [d.teacher.id, d.reason])).toEqual([['recent', 'manual']]);
    expect(result.skipped).toEqual({ reminded_today: 1, on_leave: 1, snoozed: 1, done: 1 });
  });

  it('keeps the window', () => {
    expect(plan([standing()], { manual: true, now: at('2026-12-08', '20:00') }).closed).toBe('outside_window');
  });
});

describe('asking for new parents figures', () => {
  const reported = (joined: number, total: number, on = '2026-12-01'): TeacherStanding['completions'] => [
    ...allDone().filter((c) => c.task !== 'parents'),
    { ...doneAnswer('parents', '5А', at(on)), evidence: { kind: 'report', values: { meeting_date: '2026-11-30', parents_total: total, parents_joined: joined } } },
  ];

  it('asks a teacher with nothing else open once a week, at most once a day, until every parent is in', () => {
    const teacher = standing({ completions: reported(18, 25), finishedAt: at('2026-12-01') });
    // Reported on Tuesday 1 December: asked on the 8th, then a week later, never twice a day.
    expect(over(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-14', '2026-12-15', '2026-12-16'], teacher)).toEqual(['-', 'parents_update', '-', '-', 'parents_update', '-']);
    const [due] = plan([teacher]).due;
    expect(due).toMatchObject({ reason: 'parents_update', next: { task: { code: 'parents' }, className: '5А' } });
    expect(plan([{ ...teacher, lastReminderOn: '2026-12-08' }]).skipped).toEqual({ reminded_today: 1 });
  });

  it('counts the week from the latest figures', () => {
    expect(plan([standing({ completions: reported(18, 25, '2026-12-04') })]).skipped).toEqual({ not_due: 1 });
  });

  it('stops once joined equals total, and keeps every other rule', () => {
    expect(plan([standing({ completions: reported(25, 25) })]).skipped).toEqual({ done: 1 });
    expect(plan([standing({ completions: reported(18, 25), leaveUntil: '2026-12-20' })]).skipped).toEqual({ on_leave: 1 });
    expect(plan([standing({ completions: reported(18, 25), unreachableAt: at('2026-12-02') })]).skipped).toEqual({ unreachable: 1 });
    // "Remind the laggards now" is about open tasks only.
    expect(plan([standing({ completions: reported(18, 25) })], { manual: true }).skipped).toEqual({ done: 1 });
  });

  it('lets a due task reminder go first: one message a day', () => {
    const open = standing({ completions: reported(18, 25).filter((c) => c.task !== 'eo_link') });
    expect(plan([open]).due.map((d) => d.reason)).toEqual(['periodic']);
  });
});
