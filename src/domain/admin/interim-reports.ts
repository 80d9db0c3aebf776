import type { Checklist } from '../checklist/schema.js';
import { formatDateTime, localDate } from '../calendar.js';
import type { Reply } from '../model.js';
import { computeProgress } from '../progress.js';
import type { RosterTeacher } from './model.js';
import type { AdminReports } from './ports.js';
import { fitText, laggardButtons, shortName } from './views.js';

/**
 * INTERIM, to be replaced at merge by issue 3's summary model (`buildSummary`/`renderSummary` in
 * src/domain/summary/): a plain summary and laggards list computed from the roster, so the admin
 * menu works on its own. Laggards = active teachers, not on leave, with open tasks.
 */
export function createInterimAdminReports(deps: { checklist: Checklist; timeZone: string }): AdminReports {
  const { checklist, timeZone } = deps;
  const laggardsOf = (teachers: RosterTeacher[], today: string) =>
    teachers.filter((t) => t.active && !(t.leaveUntil !== null && t.leaveUntil >= today) && !computeProgress(checklist, t.classes, t.completions).complete);
  return {
    async summary(repos, schoolId, now) {
      const teachers = (await repos.roster.list(schoolId)).filter((t) => t.active);
      const progress = teachers.map((t) => computeProgress(checklist, t.classes, t.completions));
      const lines = [
        `Сводка на ${formatDateTime(now, timeZone)}`,
        `Учителей: ${teachers.length}`,
        `Начали работу с ботом: ${teachers.filter((t) => t.startedAt !== null).length}`,
        `Выполнили всё: ${progress.filter((p) => p.complete).length}`,
        `Отстают: ${laggardsOf(teachers, localDate(now, timeZone)).length}`,
        '',
        'По заданиям (выполнено / из скольких нужно):',
        ...checklist.tasks.map((task, index) => {
          const states = progress.map((p) => p.tasks[index]!.status);
          const needed = states.filter((s) => s !== 'not_applicable').length;
          return `${task.title}: ${states.filter((s) => s === 'done').length} / ${needed}`;
        }),
      ];
      return [{ text: lines.join('\n'), buttons: laggardButtons() }];
    },
    async laggards(repos, schoolId, now) {
      const laggards = laggardsOf(await repos.roster.list(schoolId), localDate(now, timeZone));
      if (laggards.length === 0) return [{ text: 'Отстающих нет.', buttons: laggardButtons() }];
      const lines = laggards.map((t) => {
        const open = computeProgress(checklist, t.classes, t.completions).tasks.filter((p) => p.status === 'open').map((p) => p.task.title);
        const notes = [t.startedAt === null ? 'не писал(а) боту' : null, t.unreachableAt !== null ? 'сообщения запрещены' : null].filter(Boolean);
        return `• ${shortName(t.fullName)} — ${open.join(', ')}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
      });
      const reply: Reply = { text: `Отстают: ${laggards.length}\n${fitText(lines)}`, buttons: laggardButtons() };
      return [reply];
    },
  };
}
