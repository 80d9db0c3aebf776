import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SummaryChart } from '../domain/summary/chart.js';
import { posterFonts } from './fonts.js';

const require = createRequire(import.meta.url);

/** Where a bar was drawn, in the picture's pixels: tests measure the PNG against it. */
export interface BarGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The filled part, from the left: `width × value / total`, rounded. */
  filled: number;
}

export interface ChartLayout {
  svg: string;
  width: number;
  height: number;
  /** Bars in the order of the chart's sections and bars. */
  bars: BarGeometry[];
}

/**
 * 800 px wide: VK shows a photo the width of a phone's screen, so 22–30 px letters read like
 * ordinary text there. Colours: green done, light grey still open.
 */
const WIDTH = 800;
const MARGIN = 28;
const BAR_HEIGHT = 26;
export const CHART_COLORS = { done: '#2e7d32', open: '#e3e6ea', text: '#1f2328', muted: '#59636e', background: '#ffffff' } as const;
/** Longer labels are cut with an ellipsis: PT Sans at 22 px fits about 60 characters in 744 px. */
const MAX_LABEL = 56;

/** The chart as SVG (hand-built: a dozen rectangles and labels need no charting library). */
export function layoutChart(chart: SummaryChart): ChartLayout {
  const parts: string[] = [];
  const bars: BarGeometry[] = [];
  const barWidth = WIDTH - 2 * MARGIN;
  let y = MARGIN;
  parts.push(text(MARGIN, y + 26, cut(chart.title, 48), 28, CHART_COLORS.text, 'bold'));
  y += 40;
  parts.push(text(MARGIN, y + 22, chart.subtitle, 22, CHART_COLORS.muted));
  y += 40;
  for (const section of chart.sections) {
    y += 12;
    parts.push(text(MARGIN, y + 22, section.heading, 22, CHART_COLORS.text, 'bold'));
    y += 36;
    for (const bar of section.bars) {
      parts.push(text(MARGIN, y + 22, cut(bar.label, MAX_LABEL), 22, CHART_COLORS.text));
      y += 32;
      const filled = bar.total > 0 ? Math.round((barWidth * Math.min(bar.value, bar.total)) / bar.total) : 0;
      parts.push(rect(MARGIN, y, barWidth, BAR_HEIGHT, CHART_COLORS.open));
      if (filled > 0) parts.push(rect(MARGIN, y, filled, BAR_HEIGHT, CHART_COLORS.done));
      const figure = `${bar.value} из ${bar.total}`;
      // The figure sits inside the bar's open part, or in white on the green when the bar is nearly full.
      const inside = filled > barWidth - 150;
      parts.push(
        inside
          ? text(MARGIN + filled - 10, y + 20, figure, 20, CHART_COLORS.background, 'bold', 'end')
          : text(MARGIN + filled + 10, y + 20, figure, 20, CHART_COLORS.text, 'bold'),
      );
      bars.push({ x: MARGIN, y, width: barWidth, height: BAR_HEIGHT, filled });
      y += BAR_HEIGHT + 18;
    }
  }
  const height = y + MARGIN - 18;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}">`,
    rect(0, 0, WIDTH, height, CHART_COLORS.background),
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg, width: WIDTH, height, bars };
}

export interface ChartRenderer {
  /** The chart as a PNG. */
  render(chart: SummaryChart): Promise<Uint8Array>;
}

/** The posters' PT Sans without its screen hinting (src/reports/fonts.ts), which resvg does not use: one typeface for every picture the bot makes. */
const FONT_FILES = [posterFonts.regular, posterFonts.bold];
const FONT_FAMILY = 'Poster Sans';

interface Resvg {
  Resvg: typeof import('@resvg/resvg-wasm').Resvg;
  fontBuffers: Uint8Array[];
}
/** resvg's WebAssembly can be initialised once per process, so every renderer shares it. */
let loaded: Promise<Resvg> | undefined;

async function loadResvg(): Promise<Resvg> {
  const { Resvg, initWasm } = await import('@resvg/resvg-wasm');
  await initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const fontBuffers = await Promise.all(FONT_FILES.map(async (file) => new Uint8Array(await readFile(file))));
  return { Resvg, fontBuffers };
}

/**
 * SVG → PNG with resvg compiled to WebAssembly (an npm package: no native build, no platform
 * binary). Loaded on the first chart, like exceljs, so processes that never draw one do not pay
 * for it (about 1 s to compile the first time). The native @resvg/resvg-js was measured first: it
 * grew RSS by the picture's pixmap on every render (1.4 GB after 200 tall charts); WebAssembly
 * memory is freed explicitly and stays flat.
 */
export function createChartRenderer(): ChartRenderer {
  return {
    async render(chart) {
      loaded ??= loadResvg().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      const { Resvg, fontBuffers } = await loaded;
      const resvg = new Resvg(layoutChart(chart).svg, { font: { fontBuffers, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY } });
      try {
        const image = resvg.render();
        try {
          return image.asPng();
        } finally {
          image.free();
        }
      } finally {
        resvg.free();
      }
    },
  };
}

function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${fill}"/>`;
}

function text(x: number, y: number, content: string, size: number, fill: string, weight: 'bold' | 'normal' = 'normal', anchor: 'start' | 'end' = 'start'): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
