import type { Button } from './model.js';

/**
 * VK's limits for a bot keyboard (dev.vk.com/ru/api/bots/development/keyboard): an inline keyboard
 * (under a message) is at most 5×6 buttons and 10 in all, a standard one 5×10 and 40 in all; a
 * label is at most 40 characters. VK answers error 911 to anything bigger, so nothing is shown.
 */
export const KEYBOARD_LIMITS = {
  inline: { rows: 6, perRow: 5, buttons: 10 },
  standard: { rows: 10, perRow: 5, buttons: 40 },
  label: 40,
} as const;

export type KeyboardKind = keyof Omit<typeof KEYBOARD_LIMITS, 'label'>;

/** Why VK would refuse these rows of buttons, or null when it takes them. */
export function keyboardProblem(rows: readonly (readonly Button[])[], kind: KeyboardKind = 'inline'): string | null {
  const limits = KEYBOARD_LIMITS[kind];
  const total = rows.reduce((sum, row) => sum + row.length, 0);
  if (rows.length > limits.rows) return `${rows.length} rows, at most ${limits.rows}`;
  if (total > limits.buttons) return `${total} buttons, at most ${limits.buttons}`;
  const wide = rows.find((row) => row.length > limits.perRow || row.length === 0);
  if (wide) return `a row of ${wide.length} buttons`;
  const long = rows.flat().find((b) => b.label.length > KEYBOARD_LIMITS.label || b.label.trim() === '');
  if (long) return `label «${long.label}» (${long.label.length} characters)`;
  return null;
}

/** A label shortened to what VK shows: 40 characters, the last an ellipsis when cut. */
export const clipLabel = (label: string): string =>
  label.length <= KEYBOARD_LIMITS.label ? label : `${label.slice(0, KEYBOARD_LIMITS.label - 1).trimEnd()}…`;

export interface KeyboardPage<T> {
  items: T[];
  page: number;
  pages: number;
}

/** Page `page` (clamped) of `items`, `size` a page: long lists of buttons are paged, never cut. */
export function pageOf<T>(items: readonly T[], page: number, size: number): KeyboardPage<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * size, (current + 1) * size), page: current, pages };
}
