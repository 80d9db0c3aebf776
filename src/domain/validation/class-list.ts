import { type Parsed, fail, ok } from './result.js';

export type ClassListError = 'empty' | 'bad_class' | 'too_many';

/**
 * Latin letters that look like Cyrillic ones: teachers often type «5A» with a Latin A. Lower-case
 * letters only where they look alike in lower case too (a Latin «b» is more likely a «б» than a «в»).
 */
const LOOKALIKES: Record<string, string> = {
  A: 'А', B: 'В', E: 'Е', K: 'К', M: 'М', H: 'Н', O: 'О', P: 'Р', C: 'С', T: 'Т', X: 'Х',
  a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х',
};
const CLASS = /^(1[01]|[1-9])\s*[-–—]?\s*["«]?([А-ЯЁ])["»]?$/;
const NONE = /^(нет|нет классов|без класса|0|-)\.?$/i;
/** Parent chats are per homeroom class: more than a few means the teacher listed the classes they teach. */
export const MAX_CLASSES = 8;

/**
 * Parses «5А, 7Б» into normalised class names (grade 1–11 and one Cyrillic letter).
 * «нет» means the teacher has no class of their own: an empty list.
 */
export function parseClassList(text: string): Parsed<string[], ClassListError> {
  const trimmed = text.trim();
  if (NONE.test(trimmed)) return ok([]);
  const parts = trimmed
    .replace(/[ABEKMHOPCTXaeopcx]/g, (letter) => LOOKALIKES[letter] ?? letter)
    .toLocaleUpperCase('ru')
    .replace(/\.$/, '')
    .split(/[,;\n]+|\s+И\s+|\s+(?=\d)/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return fail('empty');
  const classes: string[] = [];
  for (const part of parts) {
    const match = CLASS.exec(part);
    if (!match) return fail('bad_class');
    const name = `${match[1]}${match[2]}`;
    if (!classes.includes(name)) classes.push(name);
  }
  if (classes.length > MAX_CLASSES) return fail('too_many');
  return ok(classes);
}
