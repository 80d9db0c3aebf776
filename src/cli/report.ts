import { formatRuDate, localDate, minutesOfDay, pad } from '../domain/calendar.js';
import type { SchoolReminders } from '../domain/reminders/job.js';
import type { SchoolSummary } from '../domain/summary/service.js';
import type { DrainStats } from '../outbox/sender.js';

/** Plain-text reports of a job tick for operators: who gets what, and what was sent. */

interface Context {
  now: Date;
  timeZone: string;
  dryRun: boolean;
}

function header(title: string, { now, timeZone, dryRun }: Context): string {
  const minutes = minutesOfDay(now, timeZone);
  const time = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  return `${title} as of ${formatRuDate(localDate(now, timeZone))} ${time} (${timeZone})${dryRun ? ' — dry run: nothing written or sent' : ''}`;
}

const closedText = { not_working_day: 'not a working day', outside_window: 'outside the send window' } as const;

export function formatReminderReport(result: { schools: SchoolReminders[]; delivery: DrainStats | null }, context: Context): string {
  const lines = [header('Reminders', context)];
  for (const school of result.schools) {
    if (school.policyProblems.length > 0) lines.push(`  ! stored policy ignored: ${school.policyProblems.join('; ')}`);
    if (school.plan.closed) {
      lines.push(`${school.school.name}: nothing due, ${closedText[school.plan.closed]} (working days ${school.policy.workingDays.join(',')}, ${school.policy.window.from}–${school.policy.window.to})`);
      continue;
    }
    const skipped = Object.entries(school.plan.skipped).map(([reason, n]) => `${reason.replaceAll('_', ' ')} ${n}`);
    const queued = context.dryRun ? '' : `, ${school.queued} newly queued`;
    lines.push(`${school.school.name}: ${school.messages.length} due${queued}${skipped.length > 0 ? `; no reminder: ${skipped.join(', ')}` : ''}`);
    if (school.plan.due.length > 0) {
      lines.push(
        table(
          ['Teacher', 'VK id', 'Reason', 'Next task', 'Open'],
          school.plan.due.map((due) => [
            due.teacher.fullName,
            String(due.teacher.vkId),
            due.reason,
            `${due.next.task.title}${due.next.className ? ` (${due.next.className})` : ''}`,
            `${due.progress.total - due.progress.closed}/${due.progress.total}`,
          ]),
        ),
      );
    }
  }
  if (result.delivery) lines.push(delivery(result.delivery));
  return lines.join('\n');
}

export function formatSummaryReport(result: { schools: SchoolSummary[]; delivery: DrainStats | null }, context: Context): string {
  const lines = [header('Daily summary', context)];
  for (const school of result.schools) {
    if (school.skipped) {
      lines.push(`${school.school.name}: nothing due, ${school.skipped === 'no_admins' ? 'no administrators (ADMIN_VK_IDS)' : closedText[school.skipped]}`);
      continue;
    }
    const queued = context.dryRun ? '' : `, ${school.queued} newly queued`;
    lines.push(`${school.school.name}: ${school.messages.length} administrator(s) (VK ${school.messages.map((m) => m.recipientVkId).join(', ')})${queued}`);
    if (context.dryRun) {
      for (const part of school.messages[0]?.parts ?? []) lines.push('', indent(part.text));
    }
  }
  if (result.delivery) lines.push(delivery(result.delivery));
  return lines.join('\n');
}

const delivery = (stats: DrainStats) => `Sent: ${stats.sent}, unreachable: ${stats.unreachable}, to retry: ${stats.retried}, failed: ${stats.failed}`;

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');

/** Columns padded to the widest cell (cells cut at 48 characters). */
export function table(headers: string[], rows: string[][]): string {
  const cut = (cell: string) => (cell.length > 48 ? `${cell.slice(0, 47)}…` : cell);
  const all = [headers, ...rows].map((row) => row.map(cut));
  const widths = headers.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`).join('\n');
}
