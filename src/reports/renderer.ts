import type { ReportRenderer } from '../domain/admin/ports.js';
import { renderCsv } from './csv.js';
import { renderStartPoster } from './start-poster.js';
import { renderXlsx } from './xlsx.js';

export function createReportRenderer(): ReportRenderer {
  return { xlsx: renderXlsx, csv: renderCsv, startPoster: renderStartPoster };
}
