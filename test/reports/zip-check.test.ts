import { describe, expect, it } from 'vitest';
import { createRosterFileReader } from '../../src/reports/roster-file.js';
import { ZIP_LIMITS, checkRosterArchive } from '../../src/reports/zip-check.js';
import { fixtureTeachers, rosterXlsx } from '../support/roster-fixture.js';
import { SHEET_HEAD, SHEET_TAIL, deflateStream, rosterRow, workbookParts, zip } from '../support/zip.js';

const MB = 1024 * 1024;
const sheet = (rows: number) =>
  deflateStream('xl/worksheets/sheet1.xml', function* () {
    yield Buffer.from(SHEET_HEAD);
    for (let r = 1; r <= rows; r += 1) yield Buffer.from(rosterRow(r));
    yield Buffer.from(SHEET_TAIL);
  });
const codeOf = async (bytes: Buffer) => createRosterFileReader().read(new Uint8Array(bytes), 'Список.xlsx').then(() => 'read', (e: { code?: string }) => e.code);

describe('the roster archive check', () => {
  it('passes a real roster written by exceljs, and the reader reads it', async () => {
    const file = await rosterXlsx(fixtureTeachers(300, 1));
    expect(() => checkRosterArchive(new Uint8Array(file))).not.toThrow();
    expect(await createRosterFileReader().read(new Uint8Array(file), 'Список.xlsx')).toHaveLength(301);
  });

  it('refuses media and embedded objects, however small', async () => {
    const media = await deflateStream('xl/media/image1.png', () => [Buffer.alloc(100)]);
    expect(await codeOf(zip([...(await workbookParts()), await sheet(1), media]))).toBe('unsupported');
  });

  it('refuses an entry that inflates past the limit, even when its header declares a small size', async () => {
    const zeros = Buffer.alloc(MB, 0x20);
    const padded = await deflateStream('xl/worksheets/sheet1.xml', function* () {
      yield Buffer.from(SHEET_HEAD);
      for (let i = 0; i < 10; i += 1) yield zeros;
      yield Buffer.from(SHEET_TAIL);
    });
    expect(padded.data.length).toBeLessThan(64 * 1024);
    expect(await codeOf(zip([...(await workbookParts()), padded]))).toBe('too_big');
    expect(await codeOf(zip([...(await workbookParts()), { ...padded, declaredSize: 100 }]))).toBe('too_big');
  });

  it('refuses more rows than a roster has, and more entries than a workbook has', async () => {
    expect(await codeOf(zip([...(await workbookParts()), await sheet(ZIP_LIMITS.maxRows + 1)]))).toBe('too_big');
    const many = await Promise.all(Array.from({ length: ZIP_LIMITS.maxEntries }, (_, i) => deflateStream(`xl/extra${i}.xml`, () => [Buffer.from('<a/>')])));
    expect(await codeOf(zip([...(await workbookParts()), await sheet(1), ...many]))).toBe('too_big');
  });

  it('refuses what is not a zip', async () => {
    expect(await codeOf(Buffer.from('not a zip at all'))).toBe('unreadable');
  });
});
