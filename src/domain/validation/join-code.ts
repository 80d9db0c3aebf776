/**
 * What does not matter in a typed join code: case, spaces, hyphens and dashes, dots, underscores.
 * «sosh4 2026», «SOSH4-2026» and «Sosh42026» are the same code. The pattern is also used in SQL
 * (Postgres `regexp_replace`), so it keeps to syntax both dialects read alike.
 */
export const JOIN_CODE_NOISE = '[-–—_. \\s]';

export const normalizeJoinCode = (text: string): string => text.toLowerCase().replace(new RegExp(JOIN_CODE_NOISE, 'g'), '');
