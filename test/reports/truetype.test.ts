import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { trueTypeSubsets, withoutGlyphInstructions } from '../../src/reports/truetype.js';

const require = createRequire(import.meta.url);
const open = (buffer: Buffer) => {
  const font = fontkit.create(buffer);
  if (!('layout' in font)) throw new Error('a font collection');
  return font;
};
/** fontkit's decoded glyph record (not in its typings): instructions of a simple glyph, components of a composite one. */
const decoded = (glyph: fontkit.Glyph) => (glyph as unknown as { _decode(): { numberOfContours: number; instructions?: number[] } | null })._decode();

describe('TrueType fonts for the posters', () => {
  for (const path of ['400Regular/PTSans_400Regular.ttf', '700Bold/PTSans_700Bold.ttf']) {
    it(`keeps every outline and metric of ${path} and drops the simple glyphs' instructions`, () => {
      const original = readFileSync(require.resolve(`@expo-google-fonts/pt-sans/${path}`));
      const stripped = withoutGlyphInstructions(original);
      expect(stripped.length).toBeLessThan(original.length * 0.6);
      const [before, after] = [open(original), open(stripped)];
      expect(after.numGlyphs).toBe(before.numGlyphs);
      expect(after.characterSet).toEqual(before.characterSet);
      let instructed = 0;
      for (let id = 0; id < before.numGlyphs; id += 1) {
        const [was, is] = [before.getGlyph(id), after.getGlyph(id)];
        expect([is.path.toSVG(), is.advanceWidth, is.bbox]).toEqual([was.path.toSVG(), was.advanceWidth, was.bbox]);
        const glyph = decoded(is);
        if (glyph && glyph.numberOfContours > 0 && (glyph.instructions?.length ?? 0) > 0) instructed += 1;
      }
      expect(instructed).toBe(0);
      // The whole file sums to the magic number once head.checkSumAdjustment is set (OpenType spec).
      let sum = 0;
      for (let i = 0; i < stripped.length; i += 4) sum = (sum + stripped.readUInt32BE(i)) >>> 0;
      expect(sum).toBe(0xb1b0afba);
    });
  }

  it('cuts a subset whose glyphs, composite ones included, draw as in the font, numbered in the order taken', () => {
    const file = withoutGlyphInstructions(readFileSync(require.resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf')));
    const font = open(file);
    const taken = [...'Ёж й5'].map((char) => font.glyphForCodePoint(char.codePointAt(0)!));
    expect(taken.filter((glyph) => decoded(glyph)?.numberOfContours === -1).length).toBeGreaterThan(0);
    const subset = trueTypeSubsets(file)();
    expect(taken.map((glyph) => subset.includeGlyph(glyph.id))).toEqual([1, 2, 3, 4, 5]);
    expect(subset.includeGlyph(taken[1]!.id)).toBe(2);
    const cut = open(subset.encode());
    // 0 (the missing glyph), the five taken, then the parts of the composite ones.
    expect(cut.numGlyphs).toBeGreaterThan(6);
    for (const [index, glyph] of [font.getGlyph(0), ...taken].entries()) {
      const copy = cut.getGlyph(index);
      expect([copy.path.toSVG(), copy.advanceWidth]).toEqual([glyph.path.toSVG(), glyph.advanceWidth]);
    }
  });
});
