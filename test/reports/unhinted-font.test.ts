import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withoutGlyphInstructions } from '../../src/reports/unhinted-font.js';

const require = createRequire(import.meta.url);
const open = (buffer: Buffer) => {
  const font = fontkit.create(buffer);
  if (!('layout' in font)) throw new Error('a font collection');
  return font;
};
/** fontkit's decoded glyph record (not in its typings): instructions of a simple glyph, components of a composite one. */
const decoded = (glyph: fontkit.Glyph) => (glyph as unknown as { _decode(): { numberOfContours: number; instructions?: number[] } | null })._decode();

describe('withoutGlyphInstructions', () => {
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
});
