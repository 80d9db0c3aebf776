import { formatRuDate } from '../calendar.js';
import type { ChartBar, SummaryChart } from '../model.js';
import type { SummaryModel } from './model.js';

export type { ChartBar, SummaryChart };

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
