import { formatRuDate } from '../calendar.js';
import type { Button, LocalDate, Reply } from '../model.js';
import { addressName } from '../validation/full-name.js';
import { type DueReminder, daysToDeadline } from './due.js';
import { reminderTexts as t } from './texts.js';

/** Buttons under every reminder: continue, snooze for a day or a week, or report a leave. */
export function reminderButtons(): Button[][] {
  return [
    [{ label: t.buttons.continue, payload: { a: 'next' }, color: 'primary' }],
    [
      { label: t.buttons.tomorrow, payload: { a: 'snooze', d: 1 } },
      { label: t.buttons.nextWeek, payload: { a: 'snooze', d: 7 } },
    ],
    [{ label: t.buttons.leave, payload: { a: 'leave' } }],
  ];
}

/**
 * The reminder a teacher reads: the next open task, how many remain, the deadline. Once the
 * deadline has passed the wording is firmer, never rude.
 */
export function renderReminder(reminder: DueReminder, deadline: LocalDate | null, today: LocalDate): Reply {
  const { teacher, progress, next } = reminder;
  if (reminder.reason === 'parents_update') {
    const update: Button = { label: t.buttons.update, payload: next.className ? { a: 'parents', c: next.className } : { a: 'parents' }, color: 'primary' };
    return {
      text: `${t.greeting(addressName(teacher.fullName))} ${t.parentsUpdate(next.className)}`,
      buttons: [[update], [{ label: t.buttons.nextWeek, payload: { a: 'snooze', d: 7 } }]],
    };
  }
  const open = progress.total - progress.closed;
  const days = daysToDeadline(deadline, today);
  const paragraphs: string[] = [];

  if (deadline !== null && days !== null && days < 0) {
    paragraphs.push(`${t.greeting(addressName(teacher.fullName))} ${t.overdue(formatRuDate(deadline), -days, open, progress.total)}`);
  } else {
    const lead = reminder.reason === 'requested' ? t.requested : t.regular;
    const when = deadline === null || days === null ? '' : days === 0 ? ` ${t.deadlineToday(formatRuDate(deadline))}` : ` ${t.deadlineAhead(formatRuDate(deadline), days)}`;
    paragraphs.push(`${t.greeting(addressName(teacher.fullName))} ${lead} ${t.remaining(open, progress.total)}${when}`);
  }
  paragraphs.push(t.next(next.task.title, next.className), t.continueHint);
  return { text: paragraphs.join('\n\n'), buttons: reminderButtons() };
}
