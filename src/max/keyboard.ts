import type { Button } from '../domain/model.js';

/** MAX's limits for an inline keyboard (dev.max.ru, keyboard use case): 30 rows, 7 a row, 210 in all. */
export const MAX_KEYBOARD_LIMITS = { rows: 30, perRow: 7, total: 210, label: 128, payload: 1024 };

export interface MaxCallbackButton {
  type: 'callback';
  text: string;
  payload: string;
}

export interface MaxKeyboardAttachment {
  type: 'inline_keyboard';
  payload: { buttons: MaxCallbackButton[][] };
}

/**
 * Renders domain buttons as MAX callback buttons. MAX buttons have no colours, so the colour is
 * dropped; the payload is the same typed JSON as in VK, so a click parses with the same schema.
 * Throws on a keyboard MAX would refuse: a bug in the caller, never a teacher's input.
 */
export function renderMaxKeyboard(rows: Button[][] | undefined): MaxKeyboardAttachment | undefined {
  if (!rows || rows.length === 0) return undefined;
  const { rows: maxRows, perRow, total: maxTotal, label, payload } = MAX_KEYBOARD_LIMITS;
  const total = rows.reduce((sum, row) => sum + row.length, 0);
  if (rows.length > maxRows || total > maxTotal || rows.some((row) => row.length > perRow)) {
    throw new Error(`keyboard of ${rows.length} rows and ${total} buttons exceeds MAX's limits`);
  }
  const buttons = rows.map((row) =>
    row.map((button): MaxCallbackButton => {
      const json = JSON.stringify(button.payload);
      if (button.label.length < 1 || button.label.length > label) throw new Error(`button label of ${button.label.length} characters exceeds MAX's limit`);
      if (json.length > payload) throw new Error(`button payload of ${json.length} characters exceeds MAX's limit`);
      return { type: 'callback', text: button.label, payload: json };
    }),
  );
  return { type: 'inline_keyboard', payload: { buttons } };
}
