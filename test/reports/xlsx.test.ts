import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { renderXlsx } from '../../src/reports/xlsx.js';

describe('renderXlsx', () => {
  it('writes each table as a sheet that parses back cell by cell, dates formatted', async () => {
    const bytes = await renderXlsx([
      { name: 'Учителя', columns: [{ header: 'ФИО' }, { header: 'Дата', date: true }, { header: 'N' }], rows: [['Иванова Мария Петровна', new Date(Date.UTC(2026, 8, 5, 14, 30)), 3], [null, null, null]] },
      { name: 'Журнал', columns: [{ header: 'Что' }], rows: [] },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Учителя', 'Журнал']);
    const sheet = workbook.getWorksheet('Учителя')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'ФИО', 'Дата', 'N']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getCell('A2').value).toBe('Иванова Мария Петровна');
    expect(sheet.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 8, 5, 14, 30)));
    expect(sheet.getCell('B2').numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(sheet.getCell('C2').value).toBe(3);
    expect(sheet.rowCount).toBe(3);
    expect(workbook.getWorksheet('Журнал')!.rowCount).toBe(1);
  });
});
