import type { Cell, Table } from '../domain/admin/report.js';
import { formatWallClock } from '../domain/calendar.js';

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return formatWallClock(cell);
  return String(cell);
}

function quote(text: string): string {
  // Excel would run a cell starting with = + - @ as a formula: prefix it (CSV injection).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * CSV the way Russian Excel opens it by double-click: UTF-8 with a BOM, «;» between fields,
 * CRLF line ends.
 */
export function renderCsv(table: Table): Uint8Array {
  const lines = [table.columns.map((c) => quote(c.header)), ...table.rows.map((row) => row.map((cell) => quote(cellText(cell))))];
  return new TextEncoder().encode(`\uFEFF${lines.map((cells) => cells.join(';')).join('\r\n')}\r\n`);
}

/** Reads CSV text (quotes, doubled quotes, line breaks inside quotes) with the given delimiter. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"' && cell === '') {
      quoted = true;
    } else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += char;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
