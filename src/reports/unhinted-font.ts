/**
 * A TrueType font without its glyphs' hinting instructions: the same outlines and metrics, with each
 * simple glyph's instructions (the bytecode that snaps outlines to a coarse pixel grid on screen)
 * left out. In PT Sans they are 83 % of the glyph data a poster embeds, which made the embedded
 * subsets three times larger and slower to compress, for nothing on paper. Composite glyphs (a few
 * bytes each) and the font-wide programs (fpgm, prep, cvt) are kept as they are; a glyph without
 * instructions is valid TrueType and is drawn unhinted.
 */
export function withoutGlyphInstructions(ttf: Buffer): Buffer {
  const tables = readTableDirectory(ttf);
  const head = tables.get('head');
  const loca = tables.get('loca');
  const glyf = tables.get('glyf');
  const maxp = tables.get('maxp');
  if (!head || !loca || !glyf || !maxp) throw new Error('not a TrueType font with glyf outlines');
  const numGlyphs = maxp.data.readUInt16BE(4);
  const longOffsets = head.data.readInt16BE(50) === 1;
  const offset = (gid: number) => (longOffsets ? loca.data.readUInt32BE(gid * 4) : loca.data.readUInt16BE(gid * 2) * 2);

  const glyphs: Buffer[] = [];
  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  let position = 0;
  for (let gid = 0; gid < numGlyphs; gid += 1) {
    const glyph = glyf.data.subarray(offset(gid), offset(gid + 1));
    const stripped = glyph.length > 0 && glyph.readInt16BE(0) > 0 ? withoutInstructions(glyph) : glyph;
    const padded = Buffer.alloc(align4(stripped.length));
    stripped.copy(padded);
    newLoca.writeUInt32BE(position, gid * 4);
    glyphs.push(padded);
    position += padded.length;
  }
  newLoca.writeUInt32BE(position, numGlyphs * 4);

  const newHead = Buffer.from(head.data);
  newHead.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  newHead.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  tables.set('head', { data: newHead });
  tables.set('loca', { data: newLoca });
  tables.set('glyf', { data: Buffer.concat(glyphs) });
  const { font, offsets } = writeFont(ttf.readUInt32BE(0), tables);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, offsets.get('head')! + 8);
  return font;
}

/** A simple glyph: header (10 bytes), contour ends (2 each), instruction length (2), instructions, then the points. */
function withoutInstructions(glyph: Buffer): Buffer {
  const lengthAt = 10 + 2 * glyph.readInt16BE(0);
  const instructions = glyph.readUInt16BE(lengthAt);
  if (instructions === 0) return glyph;
  const out = Buffer.alloc(glyph.length - instructions);
  glyph.copy(out, 0, 0, lengthAt); // the instruction length in `out` stays 0
  glyph.copy(out, lengthAt + 2, lengthAt + 2 + instructions);
  return out;
}

interface Table {
  data: Buffer;
}

function readTableDirectory(ttf: Buffer): Map<string, Table> {
  const tables = new Map<string, Table>();
  const count = ttf.readUInt16BE(4);
  for (let i = 0; i < count; i += 1) {
    const record = 12 + 16 * i;
    const tag = ttf.toString('latin1', record, record + 4);
    const offset = ttf.readUInt32BE(record + 8);
    tables.set(tag, { data: ttf.subarray(offset, offset + ttf.readUInt32BE(record + 12)) });
  }
  return tables;
}

function writeFont(sfntVersion: number, tables: Map<string, Table>): { font: Buffer; offsets: Map<string, number> } {
  const tags = [...tables.keys()].sort();
  const header = Buffer.alloc(12 + 16 * tags.length);
  const power = 2 ** Math.floor(Math.log2(tags.length));
  header.writeUInt32BE(sfntVersion, 0);
  header.writeUInt16BE(tags.length, 4);
  header.writeUInt16BE(power * 16, 6); // searchRange
  header.writeUInt16BE(Math.log2(power), 8); // entrySelector
  header.writeUInt16BE(tags.length * 16 - power * 16, 10); // rangeShift
  const bodies: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = header.length;
  tags.forEach((tag, i) => {
    const { data } = tables.get(tag)!;
    const padded = Buffer.alloc(align4(data.length));
    data.copy(padded);
    const record = 12 + 16 * i;
    header.write(tag, record, 'latin1');
    header.writeUInt32BE(checksum(padded), record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(data.length, record + 12);
    offsets.set(tag, offset);
    bodies.push(padded);
    offset += padded.length;
  });
  return { font: Buffer.concat([header, ...bodies]), offsets };
}

const align4 = (n: number) => (n + 3) & ~3;

/** The sum of the big-endian 32-bit words (the data is padded to 4 bytes). */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  return sum;
}
