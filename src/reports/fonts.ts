import { fileURLToPath } from 'node:url';

/**
 * The posters' typeface: PT Sans (ParaType, SIL Open Font License 1.1, assets/fonts/OFL.txt), full
 * Cyrillic, as shipped by @expo-google-fonts/pt-sans 0.4.1, with its screen hinting (the bytecode
 * that snaps outlines to a coarse pixel grid; nothing on paper) left out: a poster's embedded subset
 * is 2.5 times smaller and quicker to compress. The OFL reserves the name "PT Sans" for the original,
 * so the modified faces are named "Poster Sans". Made once, offline, with Debian's python3-fonttools
 * 4.38, from the repository's root after `npm ci`:
 *
 *   for face in Regular:400Regular/PTSans_400Regular Bold:700Bold/PTSans_700Bold; do
 *     style=${face%%:*}; out=assets/fonts/PosterSans-$style.ttf
 *     python3 -m fontTools.subset node_modules/@expo-google-fonts/pt-sans/${face#*:}.ttf --glyphs='*' --unicodes='*' \
 *       --layout-features='*' --name-IDs='*' --no-hinting --notdef-outline --output-file=$out
 *     python3 -c 'import sys; from fontTools.ttLib import TTFont; f = TTFont(sys.argv[1]); s = sys.argv[2]; [f["name"].setName(v, i, 3, 1, 0x409) for i, v in ((1, "Poster Sans"), (3, "PosterSans-" + s), (4, "Poster Sans " + s), (6, "PosterSans-" + s))]; f.save(sys.argv[1])' $out $style
 *   done
 */
export const posterFonts = {
  regular: fileURLToPath(new URL('../../assets/fonts/PosterSans-Regular.ttf', import.meta.url)),
  bold: fileURLToPath(new URL('../../assets/fonts/PosterSans-Bold.ttf', import.meta.url)),
} as const;
