import { formatRuDate } from '../calendar.js';
import type { Button, Reply } from '../model.js';
import { formatDelta, formatReach } from '../parents.js';
import { summaryChart } from './chart.js';
import type { ParentsReached, Person, SummaryModel } from './model.js';
import { summaryTexts as t } from './texts.js';

/** VK's limit for one message text. */
export const VK_MESSAGE_LIMIT = 4096;

export interface RenderOptions {
  /** Longest message; longer summaries are split between sections, then between lines. */
  maxLength?: number;
  /** Laggards listed by name before «и ещё N». */
  maxLaggards?: number;
  /** Names listed in the unreachable, never-started and newly-finished lines. */
  maxNames?: number;
  /** Buttons added after "remind the laggards now" and the Excel export (e.g. the admin menu). */
  extraButtons?: Button[];
}

/**
 * The summary as Russian messages: one, or several when it would exceed the length limit.
 * Buttons go under the last message.
 */
export function renderSummary(model: SummaryModel, options: RenderOptions = {}): Reply[] {
  const { maxLength = VK_MESSAGE_LIMIT, maxLaggards = 20, maxNames = 15 } = options;
  const sections: string[] = [];

  sections.push([t.title(formatRuDate(model.date), model.schoolName), deadlineLine(model), t.totals(model.teachers, model.started, model.finished)].join('\n'));
  sections.push([t.tasksTitle, ...model.tasks.map((task) => t.taskLine(task.number, task.title, task.done, task.applicable, task.notApplicable))].join('\n'));
  if (model.parents) sections.push(parentsSection(model.parents, maxLaggards));
  sections.push(...peopleSections(model, maxLaggards, maxNames));
  sections.push(changesSection(model, maxNames));
  const [first, ...rest] = withButtons(pack(sections, maxLength), model, options);
  // The picture goes with the first message, beside the totals it illustrates.
  return [{ ...first!, chart: summaryChart(model) }, ...rest];
}

/** Just who lags, who cannot be reached and who never wrote: the administrator's «Отстающие». */
export function renderLaggards(model: SummaryModel, options: RenderOptions = {}): Reply[] {
  const { maxLength = VK_MESSAGE_LIMIT, maxLaggards = 60, maxNames = 40 } = options;
  // Laggards' lines name tasks by number: the legend says which is which.
  const legend = [t.tasksLegend, ...model.tasks.map((task) => `${task.number}. ${task.title}`)].join('\n');
  return withButtons(pack([...peopleSections(model, maxLaggards, maxNames), legend], maxLength), model, options);
}

function peopleSections(model: SummaryModel, maxLaggards: number, maxNames: number): string[] {
  const sections: string[] = [];
  if (model.laggards.length === 0) {
    sections.push(t.noLaggards);
  } else {
    const shown = model.laggards.slice(0, maxLaggards).map((l) => t.laggardLine(l.name, l.missing, l.daysOverdue, l.leaveUntil ? formatRuDate(l.leaveUntil) : null));
    const rest = model.laggards.length - shown.length;
    sections.push([t.laggardsTitle(model.laggards.length), ...shown, ...(rest > 0 ? [`${t.andMore(rest)}.`] : [])].join('\n'));
  }
  // Name lists end without a full stop: short names already end with one («Сидоров А. А.»).
  if (model.unreachable.length > 0) sections.push(`${t.unreachable(model.unreachable.length)} ${names(model.unreachable, maxNames)}`);
  if (model.neverStarted.length > 0) sections.push(`${t.neverStarted(model.neverStarted.length)} ${names(model.neverStarted, maxNames)}`);
  return sections;
}

/**
 * Parents in the class chats: the school's figure and its change, then each teacher who reported
 * (the lowest share first) with their classes, and how many have not reported yet.
 */
export function parentsSection(parents: ParentsReached, maxTeachers: number): string {
  const delta = parents.delta && parents.delta.joined !== 0 ? `, ${t.parentsDelta(formatDelta(parents.delta.joined))}` : '';
  const lines = [parents.teachers.length === 0 ? t.parentsNone : `${t.parentsTitle} ${formatReach(parents)}${delta}.`];
  for (const teacher of parents.teachers.slice(0, maxTeachers)) {
    const classes = teacher.classes.filter((c) => c.className !== null);
    const detail = classes.length > 1 ? ` — ${classes.map((c) => `${c.className} ${c.joined}/${c.total}`).join(', ')}` : classes.length === 1 ? ` (${classes[0]!.className})` : '';
    const change = teacher.delta !== null && teacher.delta !== 0 ? `, ${formatDelta(teacher.delta)}` : '';
    lines.push(`• ${teacher.name}${detail}: ${formatReach(teacher)}${change}`);
  }
  if (parents.teachers.length > maxTeachers) lines.push(`${t.andMore(parents.teachers.length - maxTeachers)}.`);
  if (parents.owing > 0) lines.push(t.parentsOwing(parents.owing));
  return lines.join('\n');
}

/** "Remind the laggards now" (when there are any), the Excel export and the extra buttons, under the last message. */
function withButtons(texts: string[], model: SummaryModel, options: RenderOptions): Reply[] {
  const buttons: Button[] = [
    ...(model.laggards.length > 0 ? [{ label: t.remindButton, payload: { a: 'ad_remind' }, color: 'primary' } satisfies Button] : []),
    { label: t.exportButton, payload: { a: 'ad_export_xlsx' } },
    ...(options.extraButtons ?? []),
  ];
  return texts.map((text, index) => (index === texts.length - 1 && buttons.length > 0 ? { text, buttons: buttons.map((b) => [b]) } : { text }));
}

function deadlineLine(model: SummaryModel): string {
  if (model.deadline === null || model.daysToDeadline === null) return t.noDeadline;
  const date = formatRuDate(model.deadline);
  if (model.daysToDeadline > 0) return t.deadlineAhead(date, model.daysToDeadline);
  if (model.daysToDeadline === 0) return t.deadlineToday(date);
  return t.deadlinePassed(date, -model.daysToDeadline);
}

function changesSection(model: SummaryModel, maxNames: number): string {
  const changes = model.changes;
  if (!changes) return t.firstSummary;
  const since = formatRuDate(changes.since);
  const parts = [
    ...(changes.teachers !== 0 ? [t.changeTeachers(changes.teachers)] : []),
    ...(changes.started !== 0 ? [t.changeStarted(changes.started)] : []),
    ...(changes.finished !== 0 ? [t.changeFinished(changes.finished)] : []),
    ...changes.tasks.map((task) => t.changeTask(task.number, task.delta)),
  ];
  if (parts.length === 0 && changes.newlyFinished.length === 0) return t.noChanges(since);
  const lines = [`${t.changesTitle(since)} ${parts.join(', ')}.`];
  if (changes.newlyFinished.length > 0) lines.push(t.finishedNames(names(changes.newlyFinished, maxNames)));
  return lines.join('\n');
}

/** «Иванова М. П., Петров И. И. и ещё 3». */
function names(people: readonly Person[], max: number): string {
  const shown = people.slice(0, max).map((p) => p.name).join(', ');
  return people.length > max ? `${shown} ${t.andMore(people.length - max)}` : shown;
}

/** Packs sections into as few messages as fit `max`; a section too long by itself is split by lines. */
export function pack(sections: readonly string[], max: number): string[] {
  const pieces = sections.flatMap((section) => (section.length <= max ? [section] : splitLines(section, max)));
  const messages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const joined = current === '' ? piece : `${current}\n\n${piece}`;
    if (joined.length <= max) {
      current = joined;
    } else {
      if (current !== '') messages.push(current);
      current = piece;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

function splitLines(section: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const rawLine of section.split('\n')) {
    // A single line longer than a message (never in practice) is cut hard.
    const lines = rawLine.length <= max ? [rawLine] : (rawLine.match(new RegExp(`[^]{1,${max}}`, 'g')) ?? []);
    for (const line of lines) {
      const joined = current === '' ? line : `${current}\n${line}`;
      if (joined.length <= max) {
        current = joined;
      } else {
        chunks.push(current);
        current = line;
      }
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
