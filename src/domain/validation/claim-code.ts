/** A personal code: 10 hexadecimal digits, shown as «A1B2C-3D4E5». */
const CLAIM_CODE = /^[0-9A-F]{10}$/;

/** Cyrillic letters that look like the Latin hex digits a teacher may type with a Russian keyboard. */
const LOOKALIKES: Record<string, string> = { А: 'A', В: 'B', С: 'C', Е: 'E' };

/**
 * The personal code a text holds, normalised (upper case, no spaces or dashes, Cyrillic
 * lookalikes read as Latin), or null when it cannot be one.
 */
export function parseClaimCode(text: string): string | null {
  const code = text
    .toUpperCase()
    .replace(/[\s\-–—]/g, '')
    .replace(/[АВСЕ]/g, (c) => LOOKALIKES[c] ?? c);
  return CLAIM_CODE.test(code) ? code : null;
}

/** «A1B2C3D4E5» → «A1B2C-3D4E5»: easier to read out and type. */
export const formatClaimCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;
