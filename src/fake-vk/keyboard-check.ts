/**
 * What VK checks in the `keyboard` parameter of messages.send, as its documentation states
 * (dev.vk.com/ru/api/bots/development/keyboard): a standard keyboard is at most 5×10 buttons and
 * 40 in all, an inline one 5×6 and 10 in all; a label at most 40 characters, a payload at most
 * 255. VK answers error 911 «Keyboard format is invalid». Written apart from the bot's own
 * builder on purpose: the fake VK must refuse what VK refuses even if the builder is wrong.
 */
export function keyboardFormatError(raw: string): string | null {
  let keyboard: unknown;
  try {
    keyboard = JSON.parse(raw);
  } catch {
    return 'keyboard is not JSON';
  }
  if (typeof keyboard !== 'object' || keyboard === null) return 'keyboard is not an object';
  const { buttons, inline } = keyboard as { buttons?: unknown; inline?: unknown };
  if (!Array.isArray(buttons) || !buttons.every(Array.isArray)) return 'buttons must be an array of arrays';
  const rows = buttons as unknown[][];
  const isInline = inline === true;
  const maxRows = isInline ? 6 : 10;
  const maxButtons = isInline ? 10 : 40;
  if (rows.length > maxRows) return `${rows.length} rows; at most ${maxRows}`;
  const total = rows.reduce((sum, row) => sum + row.length, 0);
  if (total > maxButtons) return `${total} buttons; at most ${maxButtons}`;
  for (const row of rows) {
    if (row.length > 5) return `a row of ${row.length} buttons; at most 5`;
    for (const button of row) {
      const action = (button as { action?: { type?: unknown; label?: unknown; payload?: unknown } } | null)?.action;
      if (!action || typeof action.type !== 'string') return 'a button without an action';
      if (action.type === 'text' || action.type === 'callback') {
        if (typeof action.label !== 'string' || action.label.length === 0) return 'a button without a label';
        if (action.label.length > 40) return `label of ${action.label.length} characters; at most 40`;
      }
      if (typeof action.payload === 'string' && action.payload.length > 255) return 'payload over 255 characters';
    }
  }
  return null;
}
