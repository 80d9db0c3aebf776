/**
 * Characters no free text keeps: C0 controls other than tab and line feed (NUL fails a Postgres
 * write), DEL and C1 controls, bidi embeddings/overrides/isolates and marks (they reorder what an
 * administrator reads), zero-width spaces/joiners, word joiner, soft hyphen and BOM.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text as the bot may store and show it: line breaks normalised to `\n`, invisible and
 * control characters removed, lone surrogates replaced. Applied at the edge to everything a
 * person typed or a file held, before any parser or the database sees it.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}
