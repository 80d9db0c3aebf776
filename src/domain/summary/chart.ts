import { formatRuDate } from '../calendar.js';
import type { SummaryModel } from './model.js';

/** One bar of the summary's picture: `value` of `total`. */
export interface ChartBar {
  label: string;
  value: number;
  total: number;
}

/**
 * What the summary's picture shows, taken from the same model as the summary's text: per task how
 * many teachers have it done of those it applies to. Plain data, so an outbox row can carry it and
 * the picture is drawn when the message is sent.
 */
export interface SummaryChart {
  title: string;
  subtitle: string;
  sections: { heading: string; bars: ChartBar[] }[];
}

export const chartTexts = {
  title: (school: string) => school,
  subtitle: (date: string, finished: number, teachers: number) => `${date}: выполнили всё ${finished} из ${teachers}`,
  tasksHeading: 'Задания: сделали / к кому относится',
} as const;

/** The picture's data: the model's task lines, in checklist order, numbered as the text numbers them. */
export function summaryChart(model: SummaryModel): SummaryChart {
  return {
    title: chartTexts.title(model.schoolName),
    subtitle: chartTexts.subtitle(formatRuDate(model.date), model.finished, model.teachers),
    sections: [
      {
        heading: chartTexts.tasksHeading,
        bars: model.tasks.map((task) => ({ label: `${task.number}. ${task.title}`, value: task.done, total: task.applicable })),
      },
    ],
  };
}
