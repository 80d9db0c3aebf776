/**
 * Typed commands, the fallback of buttons, for teachers and administrators alike: matched on the
 * whole message with case, spaces (around and between words) and a final «.» or «!» ignored.
 */
export function normalizeCommand(text: string): string {
  return text
    .toLocaleLowerCase('ru')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*[.!]+$/, '');
}

/** What `text` names in `commands` (keys written normalised); inherited keys such as `constructor` never match. */
export function commandOf<T>(commands: Readonly<Record<string, T>>, text: string): T | undefined {
  const word = normalizeCommand(text);
  return Object.hasOwn(commands, word) ? commands[word] : undefined;
}
