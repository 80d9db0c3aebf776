/**
 * Hostile roster files against the roster reader (src/reports/roster-file.ts), each read in a
 * process of its own so its peak RSS (VmHWM) is its own:
 *
 * - `bomb`: a 1.5 MB XLSX with a media entry that inflates to 1.5 GB;
 * - `whitespace`: a sheet padded with 300 MB of whitespace (about 300 KB compressed);
 * - `rows`: a sheet with 300,000 rows (the reader's cap is 2,000).
 *
 * Prints per file: its size, the reader's answer (rows or the RosterFileError code), the time and
 * the peak RSS of the reading process.
 *
 *   npx tsx bench/hostile-xlsx.ts            (all three; each child is killed after 300 s)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHEET_HEAD, SHEET_TAIL, deflateStream, rosterRow as row, workbookParts, zip } from '../test/support/zip.js';

type Case = 'bomb' | 'whitespace' | 'rows';
const CASES: Case[] = ['bomb', 'whitespace', 'rows'];

/** The hostile file of a case. */
export async function hostileXlsx(kind: Case): Promise<Buffer> {
  const base = await workbookParts();
  const MB = 1024 * 1024;
  if (kind === 'bomb') {
    const zeros = Buffer.alloc(MB);
    const media = await deflateStream('xl/media/image1.png', function* () {
      for (let i = 0; i < 1536; i += 1) yield zeros;
    });
    const sheet = await deflateStream('xl/worksheets/sheet1.xml', () => [Buffer.from(`${SHEET_HEAD}${row(1)}${SHEET_TAIL}`)]);
    return zip([...base, sheet, media]);
  }
  if (kind === 'whitespace') {
    const spaces = Buffer.alloc(MB, 0x20);
    const sheet = await deflateStream('xl/worksheets/sheet1.xml', function* () {
      yield Buffer.from(`${SHEET_HEAD}${row(1)}`);
      for (let i = 0; i < 300; i += 1) yield spaces;
      yield Buffer.from(SHEET_TAIL);
    });
    return zip([...base, sheet]);
  }
  const sheet = await deflateStream('xl/worksheets/sheet1.xml', function* () {
    yield Buffer.from(SHEET_HEAD);
    for (let r = 1; r <= 300_000; r += 1000) yield Buffer.from(Array.from({ length: 1000 }, (_, i) => row(r + i)).join(''));
    yield Buffer.from(SHEET_TAIL);
  });
  return zip([...base, sheet]);
}

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Math.round(Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024);
}

/** The files are built once (deflating 1.5 GB takes a while) and kept in the temporary folder. */
const fileOf = (kind: Case): string => join(tmpdir(), `hostile-roster-${kind}.xlsx`);

/** The child: reads one file as the bot does, prints one JSON line. */
async function child(kind: Case): Promise<void> {
  const bytes = readFileSync(fileOf(kind));
  const { createRosterFileReader } = await import('../src/reports/roster-file.js');
  const baseline = peakRssMb();
  const started = performance.now();
  let outcome: string;
  try {
    const rows = await createRosterFileReader().read(new Uint8Array(bytes), 'Список.xlsx');
    outcome = `${rows.length} rows`;
  } catch (error) {
    outcome = (error as { code?: string }).code ?? String(error);
  }
  const ms = Math.round(performance.now() - started);
  console.log(JSON.stringify({ kind, fileKb: Math.round(bytes.length / 1024), outcome, ms, baselineMb: baseline, peakMb: peakRssMb() }));
}

const self = fileURLToPath(import.meta.url);
const [, , mode, arg] = process.argv;
if (mode === '--child') {
  await child(arg as Case);
} else {
  const rows: Record<string, string | number>[] = [];
  for (const kind of CASES) {
    if (!existsSync(fileOf(kind))) writeFileSync(fileOf(kind), await hostileXlsx(kind));
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', kind], { encoding: 'utf8', timeout: 300_000 });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, string | number>;
      rows.push({ file: kind, 'size (KB)': r.fileKb!, answer: r.outcome!, 'time (ms)': r.ms!, 'RSS before reading (MB)': r.baselineMb!, 'peak RSS (MB)': r.peakMb! });
    } catch (error) {
      rows.push({ file: kind, answer: `child failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  console.table(rows);
}
