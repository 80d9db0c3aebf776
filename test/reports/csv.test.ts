import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/domain/admin/report.js';
import { parseCsv, renderCsv } from '../../src/reports/csv.js';

/** TextDecoder drops a BOM unless told not to; the test must see it. */
const decodeKeepingBom = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

const table: Table = {
  name: 'T',
  columns: [{ header: 'ФИО' }, { header: 'Дата', date: true }, { header: 'Число' }, { header: 'Текст' }],
  rows: [
    ['Иванова Мария Петровна', new Date(Date.UTC(2026, 8, 5, 14, 30)), 25, 'a; b "c"\nd'],
    ['=HYPERLINK("http://evil")', null, null, '+1'],
  ],
};

describe('renderCsv', () => {
  it('writes UTF-8 with a BOM, «;», CRLF; quotes what needs it; dates as dd.mm.yyyy hh:mm', () => {
    const text = decodeKeepingBom(renderCsv(table));
    expect(text.startsWith('\uFEFFФИО;Дата;Число;Текст\r\n')).toBe(true);
    expect(text).toContain('Иванова Мария Петровна;05.09.2026 14:30;25;"a; b ""c""\nd"\r\n');
  });

  it('defuses cells Excel would run as formulas', () => {
    const text = decodeKeepingBom(renderCsv(table));
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")";;;'+1\r\n`);
  });

  it('parses back to the same cells', () => {
    const text = decodeKeepingBom(renderCsv(table)).slice(1);
    expect(parseCsv(text, ';')).toEqual([
      ['ФИО', 'Дата', 'Число', 'Текст'],
      ['Иванова Мария Петровна', '05.09.2026 14:30', '25', 'a; b "c"\nd'],
      [`'=HYPERLINK("http://evil")`, '', '', "'+1"],
    ]);
  });
});
