import { ButtonColor, Keyboard } from 'vk-io';
import type { Button } from '../domain/model.js';

const colors = {
  primary: ButtonColor.PRIMARY,
  secondary: ButtonColor.SECONDARY,
  positive: ButtonColor.POSITIVE,
  negative: ButtonColor.NEGATIVE,
} as const;

/** VK's limits for an inline keyboard: 6 rows, 5 buttons a row, 10 buttons in all. */
export const INLINE_LIMITS = { rows: 6, perRow: 5, total: 10 };

/**
 * Renders domain buttons as an inline keyboard under the message. The payloads are the typed
 * domain payloads, so what comes back parses with the same schema.
 */
export function renderKeyboard(rows: Button[][] | undefined): Keyboard | undefined {
  if (!rows || rows.length === 0) return undefined;
  const total = rows.reduce((sum, row) => sum + row.length, 0);
  if (rows.length > INLINE_LIMITS.rows || total > INLINE_LIMITS.total || rows.some((row) => row.length > INLINE_LIMITS.perRow)) {
    throw new Error(`keyboard of ${rows.length} rows and ${total} buttons exceeds VK's inline limits`);
  }
  const builder = Keyboard.builder().inline();
  rows.forEach((row, index) => {
    if (index > 0) builder.row();
    for (const button of row) {
      builder.textButton({ label: button.label, payload: button.payload, color: colors[button.color ?? 'secondary'] });
    }
  });
  return builder;
}
