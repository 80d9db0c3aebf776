import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { RosterFileError } from '../../src/domain/admin/ports.js';
import { createRosterFileReader } from '../../src/reports/roster-file.js';

const reader = createRosterFileReader();
const encode = (text: string) => new TextEncoder().encode(text);

/** Windows-1251 for Cyrillic (А–я) and ASCII: enough for a roster line. */
const cp1251 = (text: string) => new Uint8Array([...text].map((ch) => (ch.charCodeAt(0) >= 0x410 ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))));

describe('roster file reader', () => {
  it('reads the first sheet of an XLSX as text, numbers included', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    sheet.addRow(['ФИО', 'VK', 'Классы']);
    sheet.addRow(['Иванова Мария Петровна', 12345, '5А, 7Б']);
    sheet.addRow(['Петров Иван Сергеевич', { text: 'vk.com/petrov', hyperlink: 'https://vk.com/petrov' }, null]);
    workbook.addWorksheet('Лист2').addRow(['не это']);
    const rows = await reader.read(new Uint8Array(await workbook.xlsx.writeBuffer()), 'Список.XLSX');
    expect(rows).toEqual([
      ['ФИО', 'VK', 'Классы'],
      ['Иванова Мария Петровна', '12345', '5А, 7Б'],
      ['Петров Иван Сергеевич', 'vk.com/petrov'],
    ]);
  });

  it('reads CSV in UTF-8 (with a BOM, commas) and in Windows-1251 (semicolons)', async () => {
    expect(await reader.read(encode('\uFEFFФИО,VK,Классы\nИванова Мария Петровна,id5,"5А, 7Б"\n'), 'a.csv')).toEqual([
      ['ФИО', 'VK', 'Классы'],
      ['Иванова Мария Петровна', 'id5', '5А, 7Б'],
    ]);
    expect(await reader.read(cp1251('ФИО;VK;Классы\r\nИванова Мария Петровна;id5;5А\r\n'), 'a.csv')).toEqual([
      ['ФИО', 'VK', 'Классы'],
      ['Иванова Мария Петровна', 'id5', '5А'],
    ]);
  });

  it('refuses other formats and broken files with a reason', async () => {
    await expect(reader.read(encode('x'), 'roster.docx')).rejects.toMatchObject({ code: 'unsupported' });
    await expect(reader.read(encode('PK not really'), 'roster.xlsx')).rejects.toBeInstanceOf(RosterFileError);
    await expect(reader.read(encode('PK not really'), 'roster.xlsx')).rejects.toMatchObject({ code: 'unreadable' });
  });
});
