import { inflateRawSync } from 'node:zlib';

/**
 * What a roster XLSX may hold, checked before any XLSX parser sees the archive. A roster of 2,000
 * teachers is well under a megabyte of XML; exceljs inflates every entry into memory (media too)
 * and builds an object per row, so a 1.5 MB file that inflates to 1.5 GB took the process to
 * several GB.
 */
export const ZIP_LIMITS = {
  /** A workbook has a dozen parts; a few dozen with several sheets. */
  maxEntries: 64,
  /** All parts together, inflated. */
  maxTotalBytes: 8 * 1024 * 1024,
  /** `<row` elements in all worksheets: the reader's own cap is 2,000 rows. */
  maxRows: 5000,
} as const;

export type ZipProblem = 'unreadable' | 'too_big' | 'unsupported';

export class ZipCheckError extends Error {
  override name = 'ZipCheckError';
  constructor(
    readonly problem: ZipProblem,
    detail: string,
  ) {
    super(`roster archive: ${detail}`);
  }
}

interface CentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Pictures, embedded objects, macros: nothing a roster needs, and the usual way to hide a bomb. */
const FORBIDDEN = /^(xl\/(media|embeddings|activeX|vbaProject)|docProps\/thumbnail)/i;

/**
 * Reads the archive's central directory and inflates every entry with its output capped at what
 * is left of `maxTotalBytes` (so a declared size that lies changes nothing), counting worksheet
 * rows on the way. Throws ZipCheckError; returns nothing when the archive is within the limits.
 * Memory: at most `maxTotalBytes` inflated at once (one entry at a time).
 */
export function checkRosterArchive(bytes: Uint8Array, limits: typeof ZIP_LIMITS = ZIP_LIMITS): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = centralDirectory(buf, limits.maxEntries);
  let total = 0;
  let rows = 0;
  for (const entry of entries) {
    if (FORBIDDEN.test(entry.name)) throw new ZipCheckError('unsupported', `forbidden part ${entry.name}`);
    if (entry.size > limits.maxTotalBytes - total) throw new ZipCheckError('too_big', 'inflates past the limit (declared)');
    const data = inflate(buf, entry, limits.maxTotalBytes - total);
    total += data.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name)) {
      rows += countRows(data);
      if (rows > limits.maxRows) throw new ZipCheckError('too_big', 'too many rows');
    }
  }
}

function centralDirectory(buf: Buffer, maxEntries: number): CentralEntry[] {
  // The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KiB.
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let end = -1;
  for (let i = buf.length - 22; i >= from; i -= 1) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipCheckError('unreadable', 'no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  // ZIP64 (0xffff entries or 0xffffffff offsets) has no place in a roster.
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipCheckError('too_big', 'zip64');
  if (count > maxEntries) throw new ZipCheckError('too_big', 'too many entries');
  if (dirOffset + dirSize > end) throw new ZipCheckError('unreadable', 'central directory out of bounds');
  const entries: CentralEntry[] = [];
  let at = dirOffset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > end || buf.readUInt32LE(at) !== 0x02014b50) throw new ZipCheckError('unreadable', 'bad central directory entry');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      localOffset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function inflate(buf: Buffer, entry: CentralEntry, maxBytes: number): Buffer {
  const local = entry.localOffset;
  if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new ZipCheckError('unreadable', 'bad local header');
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipCheckError('too_big', 'inflates past the limit');
    return data;
  }
  if (entry.method !== 8) throw new ZipCheckError('unsupported', `compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ZipCheckError('too_big', 'inflates past the limit');
    }
    throw new ZipCheckError('unreadable', 'bad deflate data');
  }
}

/** `<row` opening tags (not `<rows…`): one per spreadsheet row. */
function countRows(xml: Buffer): number {
  let count = 0;
  for (let at = xml.indexOf('<row'); at >= 0; at = xml.indexOf('<row', at + 4)) {
    const next = xml[at + 4];
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) count += 1;
  }
  return count;
}
