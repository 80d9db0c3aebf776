import type { App } from '../compose/bot.js';
import type { SandboxJobs } from './web.js';

/**
 * The page's "run now" buttons: the same reminder and summary jobs cron runs, at this moment.
 * Reminders ignore the cadence (like the administrator's button) but keep one a day; the summary
 * goes once a day per administrator. Each answers with a line for the page.
 */
export function sandboxJobs(app: App): SandboxJobs {
  return {
    async runReminders() {
      const { schools } = await app.jobs.reminders(new Date(), { manual: true });
      const queued = schools.reduce((sum, school) => sum + school.queued, 0);
      const closed = schools.find((school) => school.plan.closed);
      if (closed) return `Сейчас нерабочее время школы (${closed.policy.window.from}–${closed.policy.window.to}): напоминания не отправлены`;
      const skipped = (reason: 'reminded_today' | 'not_started' | 'done') => schools.reduce((sum, school) => sum + (school.plan.skipped[reason] ?? 0), 0);
      const why = [
        [skipped('reminded_today'), 'уже получили сегодня'],
        [skipped('not_started'), 'ещё не писали боту, а первым он не пишет'],
        [skipped('done'), 'всё выполнили'],
      ]
        .filter(([count]) => Number(count) > 0)
        .map(([count, reason]) => `${reason}: ${count}`);
      const head = queued > 0 ? `Отправлено напоминаний: ${queued}` : 'Новых напоминаний нет';
      const details = why.join('; ');
      return details ? `${head}. ${details.charAt(0).toUpperCase()}${details.slice(1)}.` : head;
    },
    async runSummary() {
      const { schools } = await app.jobs.summary(new Date());
      const queued = schools.reduce((sum, school) => sum + school.queued, 0);
      if (queued > 0) return `Сводка отправлена администраторам: ${queued}`;
      const skipped = schools.find((school) => school.skipped)?.skipped;
      return skipped === 'no_admins' ? 'Администраторов нет' : skipped ? 'Сейчас нерабочее время школы: сводка не отправлена' : 'Сводка за сегодня уже отправлена';
    },
  };
}
