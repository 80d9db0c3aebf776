import type ExcelJS from 'exceljs';
import { RosterFileError, type RosterFileReader } from '../domain/admin/ports.js';
import { cleanText } from '../domain/validation/clean-text.js';
import { parseCsv } from './csv.js';
import { loadExcel } from './xlsx.js';
import { ZipCheckError, checkRosterArchive } from './zip-check.js';

/** Cells past these are not a roster: a bigger sheet is rejected rather than read. */
const MAX_ROWS = 2000;
const MAX_COLUMNS = 10;

/** Reads the administrator's roster file: the first sheet of an XLSX, or a CSV in UTF-8 or Windows-1251. */
export function createRosterFileReader(): RosterFileReader {
  return {
    async read(bytes, filename) {
      const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
      let rows: string[][];
      if (extension === 'xlsx') rows = await readXlsx(bytes);
      else if (extension === 'csv' || extension === 'txt') rows = readCsv(bytes);
      else throw new RosterFileError('unsupported');
      // A file's cells are free text like a typed message: cleaned before anything reads them.
      return rows.map((row) => row.map((cell) => cleanText(cell).trim()));
    },
  };
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  // Sizes, parts and rows are checked on the archive itself before exceljs inflates anything.
  try {
    checkRosterArchive(bytes);
  } catch (error) {
    if (error instanceof ZipCheckError) throw new RosterFileError(error.problem, { cause: error });
    throw error;
  }
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new RosterFileError('unreadable', { cause: error });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new RosterFileError('unreadable');
  if (sheet.rowCount > MAX_ROWS) throw new RosterFileError('too_big');
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS); c += 1) cells.push(row.getCell(c).text.trim());
    rows.push(cells);
  }
  return rows;
}

function readCsv(bytes: Uint8Array): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Russian Excel saves "CSV" in Windows-1251 unless told otherwise.
    text = new TextDecoder('windows-1251').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ';');
  const rows = parseCsv(text, delimiter);
  if (rows.length > MAX_ROWS) throw new RosterFileError('too_big');
  return rows.map((row) => row.slice(0, MAX_COLUMNS));
}
