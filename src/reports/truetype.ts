/**
 * The two TrueType jobs of the posters' fonts, on the font file's bytes: dropping the hinting once at
 * load, and cutting a subset (the glyphs one document uses) for every document.
 */

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
  const { head, numGlyphs, glyph } = readGlyphs(tables);
  const glyphs: Buffer[] = [];
  for (let gid = 0; gid < numGlyphs; gid += 1) {
    const data = glyph(gid);
    glyphs.push(data.length > 0 && data.readInt16BE(0) > 0 ? withoutInstructions(data) : data);
  }
  const outlines = glyfAndLoca(glyphs);

  const newHead = Buffer.from(head);
  newHead.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  newHead.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  tables.set('head', { data: newHead });
  tables.set('loca', { data: outlines.loca });
  tables.set('glyf', { data: outlines.glyf });
  const { font, offsets } = writeFont(ttf.readUInt32BE(0), tables);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, offsets.get('head')! + 8);
  return font;
}

/**
 * What pdfkit asks of a font subset: a new id for each glyph a document uses (0, the missing glyph,
 * comes first) and the subset as a TrueType file, with the tables a PDF needs (head, hhea, maxp,
 * loca, glyf, hmtx and the hinting programs). fontkit's own subset does the same through a generic
 * table encoder at about ten times the cost.
 */
export interface TrueTypeSubset {
  includeGlyph(gid: number): number;
  encode(): Buffer;
}

/** A subset cutter for one font: the tables are read once, each call gives an empty subset. */
export function trueTypeSubsets(ttf: Buffer): () => TrueTypeSubset {
  const tables = readTableDirectory(ttf);
  const { head, glyph } = readGlyphs(tables);
  const [hhea, maxp, hmtx] = ['hhea', 'maxp', 'hmtx'].map((tag) => tableOf(tables, tag)) as [Buffer, Buffer, Buffer];
  const metrics = hhea.readUInt16BE(34);
  const lastAdvance = hmtx.readUInt16BE((metrics - 1) * 4);
  /** Advance width and left side bearing, 4 bytes as hmtx stores them. */
  const metricOf = (gid: number) => {
    const out = Buffer.alloc(4);
    if (gid < metrics) hmtx.copy(out, 0, gid * 4, gid * 4 + 4);
    else {
      out.writeUInt16BE(lastAdvance, 0);
      hmtx.copy(out, 2, metrics * 4 + (gid - metrics) * 2, metrics * 4 + (gid - metrics) * 2 + 2);
    }
    return out;
  };
  const programs = ['cvt ', 'prep', 'fpgm'].flatMap((tag) => (tables.has(tag) ? [[tag, tables.get(tag)!] as const] : []));

  return () => {
    const glyphs: number[] = [];
    const ids = new Map<number, number>();
    const includeGlyph = (gid: number) => {
      let id = ids.get(gid);
      if (id === undefined) {
        id = glyphs.length;
        glyphs.push(gid);
        ids.set(gid, id);
      }
      return id;
    };
    includeGlyph(0);
    return {
      includeGlyph,
      encode() {
        const data: Buffer[] = [];
        // A composite glyph's parts join the subset as it is written, so the list may grow here.
        for (let i = 0; i < glyphs.length; i += 1) {
          const outline = glyph(glyphs[i]!);
          data.push(outline.length > 0 && outline.readInt16BE(0) < 0 ? withComponentsRenumbered(outline, includeGlyph) : outline);
        }
        const outlines = glyfAndLoca(data);
        const newHead = Buffer.from(head);
        newHead.writeInt16BE(1, 50);
        newHead.writeUInt32BE(0, 8);
        const newHhea = Buffer.from(hhea);
        newHhea.writeUInt16BE(glyphs.length, 34);
        const newMaxp = Buffer.from(maxp);
        newMaxp.writeUInt16BE(glyphs.length, 4);
        const subset = new Map<string, Table>([
          ['head', { data: newHead }],
          ['hhea', { data: newHhea }],
          ['maxp', { data: newMaxp }],
          ['loca', { data: outlines.loca }],
          ['glyf', { data: outlines.glyf }],
          ['hmtx', { data: Buffer.concat(glyphs.map(metricOf)) }],
          ...programs,
        ]);
        return writeFont(ttf.readUInt32BE(0), subset).font;
      },
    };
  };
}

/** A copy of a composite glyph whose components point at their ids in the subset (adding them to it). */
function withComponentsRenumbered(glyph: Buffer, includeGlyph: (gid: number) => number): Buffer {
  const out = Buffer.from(glyph);
  let position = 10;
  let flags: number;
  do {
    flags = out.readUInt16BE(position);
    out.writeUInt16BE(includeGlyph(out.readUInt16BE(position + 2)), position + 2);
    position += 4 + (flags & ARGS_ARE_WORDS ? 4 : 2);
    if (flags & HAS_SCALE) position += 2;
    else if (flags & HAS_XY_SCALE) position += 4;
    else if (flags & HAS_2X2) position += 8;
  } while (flags & MORE_COMPONENTS);
  return out;
}

const ARGS_ARE_WORDS = 0x0001;
const HAS_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const HAS_XY_SCALE = 0x0040;
const HAS_2X2 = 0x0080;

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

/** The head table, and each glyph's bytes in the glyf table as loca (short or long offsets) places them. */
function readGlyphs(tables: Map<string, Table>): { head: Buffer; numGlyphs: number; glyph(gid: number): Buffer } {
  const [head, maxp, loca, glyf] = ['head', 'maxp', 'loca', 'glyf'].map((tag) => tableOf(tables, tag)) as [Buffer, Buffer, Buffer, Buffer];
  const longOffsets = head.readInt16BE(50) === 1;
  const offset = (gid: number) => (longOffsets ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2);
  return { head, numGlyphs: maxp.readUInt16BE(4), glyph: (gid) => glyf.subarray(offset(gid), offset(gid + 1)) };
}

function tableOf(tables: Map<string, Table>, tag: string): Buffer {
  const table = tables.get(tag);
  if (!table) throw new Error(`not a TrueType font with glyf outlines: no ${tag} table`);
  return table.data;
}

/** The glyf table of these glyphs, each padded to 4 bytes, and its loca table (long offsets). */
function glyfAndLoca(glyphs: Buffer[]): { glyf: Buffer; loca: Buffer } {
  const loca = Buffer.alloc((glyphs.length + 1) * 4);
  let position = 0;
  const padded = glyphs.map((glyph, i) => {
    loca.writeUInt32BE(position, i * 4);
    const out = Buffer.alloc(align4(glyph.length));
    glyph.copy(out);
    position += out.length;
    return out;
  });
  loca.writeUInt32BE(position, glyphs.length * 4);
  return { glyf: Buffer.concat(padded), loca };
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
