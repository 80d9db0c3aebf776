import { type Parsed, fail, ok } from './result.js';

export type FullNameError = 'too_short' | 'not_cyrillic' | 'too_long';

const WORD = /^[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?$/;

const capitalize = (word: string): string =>
  word
    .split('-')
    .map((part) => part.charAt(0).toLocaleUpperCase('ru') + part.slice(1).toLocaleLowerCase('ru'))
    .join('-');

/** A teacher's full name: 2–4 Cyrillic words (surname, name, patronymic), normalised to «Иванова Мария Петровна». */
export function parseFullName(text: string): Parsed<string, FullNameError> {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean);
  if (trimmed.length > 120 || words.length > 4) return fail('too_long');
  if (words.length < 2) return fail('too_short');
  if (!words.every((word) => WORD.test(word))) return fail('not_cyrillic');
  return ok(words.map(capitalize).join(' '));
}

/** «Иванова Мария Петровна» → «Мария Петровна»: how a Russian school addresses a colleague. */
export function addressName(fullName: string): string {
  const [, ...rest] = fullName.split(' ');
  return rest.length > 0 ? rest.join(' ') : fullName;
}

/** «Иванова Мария Петровна» → «Иванова М. П.»: compact enough for lists of many names. */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.split(' ').filter(Boolean);
  if (!surname) return fullName;
  return [surname, ...rest.map((word) => `${word.charAt(0)}.`)].join(' ');
}
