import { ButtonColor, Keyboard } from 'vk-io';
import { KEYBOARD_LIMITS, clipLabel, keyboardProblem } from '../domain/keyboard.js';
import type { Button } from '../domain/model.js';

const colors = {
  primary: ButtonColor.PRIMARY,
  secondary: ButtonColor.SECONDARY,
  positive: ButtonColor.POSITIVE,
  negative: ButtonColor.NEGATIVE,
} as const;

/**
 * Renders domain buttons as an inline keyboard under the message. The payloads are the typed
 * domain payloads, so what comes back parses with the same schema. It never produces a keyboard
 * VK refuses (error 911 would lose the whole message): labels are clipped, and rows a screen
 * built too large are fitted (see `fitInline`); the screens test keeps screens within the limits.
 */
export function renderKeyboard(rows: Button[][] | undefined): Keyboard | undefined {
  if (!rows || rows.length === 0) return undefined;
  const builder = Keyboard.builder().inline();
  fitInline(rows).forEach((row, index) => {
    if (index > 0) builder.row();
    for (const button of row) {
      builder.textButton({ label: button.label, payload: button.payload, color: colors[button.color ?? 'secondary'] });
    }
  });
  return builder;
}

/**
 * Rows that fit VK's inline limits: labels clipped to 40 characters, rows wider than 5 split,
 * then rows merged two by two from the top while there are more than 6, and when more than 10
 * buttons remain the first 9 and the last (the «Меню» of every screen) are kept.
 */
export function fitInline(rows: readonly (readonly Button[])[]): Button[][] {
  const limits = KEYBOARD_LIMITS.inline;
  let fitted: Button[][] = rows
    .filter((row) => row.length > 0)
    .flatMap((row) => {
      const clipped = row.map((b) => ({ ...b, label: clipLabel(b.label) }));
      const split: Button[][] = [];
      for (let i = 0; i < clipped.length; i += limits.perRow) split.push(clipped.slice(i, i + limits.perRow));
      return split;
    });
  if (keyboardProblem(fitted) === null) return fitted;
  const all = fitted.flat();
  if (all.length > limits.buttons) {
    const kept = [...all.slice(0, limits.buttons - 1), all.at(-1)!];
    fitted = [];
    for (let i = 0; i < kept.length; i += 2) fitted.push(kept.slice(i, i + 2));
  }
  while (fitted.length > limits.rows) {
    const index = fitted.findIndex((row, i) => i + 1 < fitted.length && row.length + fitted[i + 1]!.length <= limits.perRow);
    if (index < 0) break;
    fitted.splice(index, 2, [...fitted[index]!, ...fitted[index + 1]!]);
  }
  return fitted;
}
