/**
 * The summary's picture: how long drawing one takes (hand-built SVG → PNG with resvg) and what it
 * costs in memory, cold (the first in a process: resvg and the fonts load) and warm. Not a test.
 *
 *   npm run bench -- chart                     (BENCH_RUNS=50 by default)
 */
import type { SummaryChart } from '../src/domain/summary/chart.js';
import { createChartRenderer, layoutChart } from '../src/reports/summary-chart.js';
import { median, printTable, quantile, rssMb, trackPeakRss } from './support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);

const tasks = (run: number): SummaryChart => ({
  title: 'МКОУ «СОШ №4» г. Хасавюрт',
  subtitle: `08.12.2026: выполнили всё ${run % 40} из 42`,
  sections: [
    {
      heading: 'Задания: сделали / к кому относится',
      bars: ['Отказ от иностранных мессенджеров', 'Родительские чаты в Сферуме', 'QR-коды чатов в классе', 'Разъяснение родителям', 'Общение только через Сферум', 'Связь с «Электронным образованием Дагестана»'].map(
        (title, i) => ({ label: `${i + 1}. ${title}`, value: (run * (i + 3)) % 43, total: 42 }),
      ),
    },
  ],
});

/** A big school: the tasks and 33 classes (1–11, А–В) of parents reached. */
const withClasses = (run: number): SummaryChart => {
  const chart = tasks(run);
  const classes = Array.from({ length: 11 }, (_, g) => ['А', 'Б', 'В'].map((letter) => `${g + 1}${letter}`)).flat();
  chart.sections.push({ heading: 'Родители в чатах: вступили / всего', bars: classes.map((label, i) => ({ label, value: (run + i) % 29, total: 28 })) });
  return chart;
};

export async function benchChart(): Promise<void> {
  const renderer = createChartRenderer();
  const before = rssMb();
  const coldStart = performance.now();
  await renderer.render(tasks(0));
  const cold = performance.now() - coldStart;
  const afterCold = rssMb();
  const rows: Record<string, string | number>[] = [];
  for (const [name, make] of [
    ['6 tasks (today\'s summary)', tasks],
    ['6 tasks + 33 classes', withClasses],
  ] as const) {
    const peak = trackPeakRss();
    const times: number[] = [];
    const layouts: number[] = [];
    let bytes = 0;
    for (let run = 1; run <= RUNS; run += 1) {
      const chart = make(run);
      const layoutStart = performance.now();
      layoutChart(chart);
      layouts.push(performance.now() - layoutStart);
      const start = performance.now();
      bytes = (await renderer.render(chart)).length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({
      chart: name,
      'median ms': median(times),
      'p95 ms': quantile(times, 0.95),
      'SVG only ms': median(layouts),
      PNG: `${(bytes / 1024).toFixed(0)} KB`,
      'peak RSS MB': peak.stop(),
    });
  }
  console.log(`\nSummary chart: first render in a fresh process ${cold.toFixed(0)} ms (loads resvg and PT Sans); RSS ${before} → ${afterCold} MB across it`);
  printTable(`Rendering, ${RUNS} runs per chart after the first (median/p95 of SVG → PNG; the SVG itself separately)`, rows);
}
