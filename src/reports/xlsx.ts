import type ExcelJS from 'exceljs';
import type { Table } from '../domain/admin/report.js';

/** exceljs, loaded on the first export or roster file: it adds some 20 MB to every process that imports it. */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** Writes report tables as sheets of one workbook: bold frozen header, widths, date formats. */
export async function renderXlsx(tables: readonly Table[]): Promise<Uint8Array> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = 'Sferum onboarding bot';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((column, index) => ({
      key: `c${index}`,
      header: column.header,
      width: column.width ?? 16,
      // Wall-clock dates (see domain wallClock): shown as they are, in the school's time zone.
      ...(column.date ? { style: { numFmt: 'dd.mm.yyyy hh:mm' } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
    for (const row of table.rows) sheet.addRow(row);
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, table.columns.length) } };
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
