import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { summaryChart } from '../../src/domain/summary/chart.js';
import { buildSummary } from '../../src/domain/summary/model.js';
import { renderSummary } from '../../src/domain/summary/render.js';
import { withCharts } from '../../src/reports/charting-notifier.js';
import { CHART_COLORS, createChartRenderer, layoutChart } from '../../src/reports/summary-chart.js';
import type { Reply } from '../../src/domain/model.js';
import { createLogger } from '../../src/logger.js';
import { allDone, doneAnswer, notApplicable, standing } from '../support/standings.js';

const school = { id: '6f1c2a8e-1b2c-4d3e-8f90-123456789abc', name: 'МКОУ «СОШ №4»' };
const now = new Date('2026-12-08T09:00:00+03:00');

const model = buildSummary({
  school,
  checklist: defaultChecklist,
  standings: [
    standing({ id: 'done', fullName: 'Алиева Патимат Магомедовна', completions: allDone() }),
    standing({ id: 'lag1', fullName: 'Иванова Мария Петровна', completions: [doneAnswer('messengers'), doneAnswer('chats', '5А')] }),
    standing({ id: 'lag2', fullName: 'Петров Иван Ильич', classes: ['7Б', '8В'], completions: [doneAnswer('messengers')] }),
    standing({ id: 'silent', fullName: 'Кузнецова Елена Викторовна', startedAt: null }),
    standing({ id: 'noclass', fullName: 'Гасанов Руслан Ахмедович', classes: [], completions: [doneAnswer('messengers'), notApplicable('eo_link', 'нет доступа')] }),
  ],
  deadline: null,
  now,
  timeZone: 'Europe/Moscow',
  previous: null,
});

/** Pixels of the done colour along a horizontal line of the PNG, from x0 to x1 (exclusive). */
function greenRun(png: PNG, y: number, x0: number, x1: number): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(CHART_COLORS.done.slice(i, i + 2), 16));
  let count = 0;
  for (let x = x0; x < x1; x += 1) {
    const at = (png.width * y + x) * 4;
    if (Math.abs(png.data[at]! - r!) < 8 && Math.abs(png.data[at + 1]! - g!) < 8 && Math.abs(png.data[at + 2]! - b!) < 8) count += 1;
  }
  return count;
}

describe('the summary chart', () => {
  it('shows the same figures as the summary text: per task, done of applicable', () => {
    const chart = summaryChart(model);
    const bars = chart.sections[0]!.bars;
    expect(bars.map((bar) => [bar.value, bar.total])).toEqual(model.tasks.map((task) => [task.done, task.applicable]));
    expect(bars.map((bar) => [bar.value, bar.total])).toEqual([
      [4, 5],
      [2, 4],
      [1, 4],
      [1, 4],
      [1, 5],
      [1, 4],
    ]);
    // The text says the same numbers, task by task.
    const [first] = renderSummary(model);
    for (const [index, task] of model.tasks.entries()) {
      expect(first!.text).toContain(`${task.number}. ${task.title} — ${bars[index]!.value} из ${bars[index]!.total}`);
    }
    // And the picture travels with the summary's first message.
    expect(first!.chart).toEqual(chart);
  });

  it('draws each bar filled in proportion to its figures, with the figures written on it', async () => {
    const chart = summaryChart(model);
    const layout = layoutChart(chart);
    for (const bar of chart.sections[0]!.bars) expect(layout.svg).toContain(`>${bar.value} из ${bar.total}<`);
    const png = PNG.sync.read(Buffer.from(await createChartRenderer().render(chart)));
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    for (const [index, geometry] of layout.bars.entries()) {
      const bar = chart.sections[0]!.bars[index]!;
      expect(geometry.filled).toBe(Math.round((geometry.width * bar.value) / bar.total));
      // Along the bar's top edge (clear of the figure's letters) the green run is the filled part.
      const green = greenRun(png, geometry.y + 2, geometry.x, geometry.x + geometry.width);
      expect(Math.abs(green - geometry.filled)).toBeLessThanOrEqual(1);
    }
  });

  it('escapes the school name and cuts labels too long for a phone', () => {
    const chart = summaryChart({ ...model, schoolName: 'Школа <№1> & «Я»' });
    chart.sections[0]!.bars[0]!.label = 'А'.repeat(200);
    const { svg } = layoutChart(chart);
    expect(svg).toContain('Школа &lt;№1&gt; &amp; «Я»');
    expect(svg).not.toContain('А'.repeat(60));
    expect(svg).toContain(`${'А'.repeat(55)}…`);
  });
});

describe('withCharts', () => {
  const logger = createLogger('silent');
  const reply: Reply = { text: 'Сводка', chart: summaryChart(model) };

  it('attaches the drawn chart as a photo, with the text alone as the fallback', async () => {
    const sent: Reply[] = [];
    const notifier = withCharts({ send: async (_vkId, r) => (sent.push(r), { status: 'sent' }) }, { charts: createChartRenderer(), logger });
    await notifier.send(1, reply, 'k');
    expect(sent[0]?.chart).toBeUndefined();
    expect(sent[0]?.files?.map((f) => [f.kind, f.filename])).toEqual([['photo', 'svodka.png']]);
    expect(PNG.sync.read(Buffer.from(sent[0]!.files![0]!.content)).width).toBe(800);
    expect(sent[0]?.withoutFiles).toEqual({ text: 'Сводка' });
  });

  it('sends the text alone when the chart cannot be drawn', async () => {
    const sent: Reply[] = [];
    const broken = { render: async () => Promise.reject(new Error('no fonts')) };
    const notifier = withCharts({ send: async (_vkId, r) => (sent.push(r), { status: 'sent' }) }, { charts: broken, logger });
    expect(await notifier.send(1, reply, 'k')).toEqual({ status: 'sent' });
    expect(sent).toEqual([{ text: 'Сводка' }]);
  });
});
