import { type Parsed, fail, ok } from './result.js';

export type VkRef = { kind: 'id'; id: number } | { kind: 'screen'; name: string };
export type VkRefError = 'bad_vk';

const SCREEN = /^[a-z0-9_.]{2,32}$/;

/**
 * A VK user as a roster writes it: `123`, `id123`, `vk.com/id123`, `https://vk.ru/short_name`,
 * `@short_name` or a bare short name. Short names are returned for resolution through users.get;
 * an empty cell is null (the teacher registers with the join code later).
 */
export function parseVkRef(text: string): Parsed<VkRef | null, VkRefError> {
  const value = text.trim();
  if (value === '') return ok(null);
  const bareId = /^(?:id)?(\d{1,15})$/i.exec(value)?.[1];
  if (bareId !== undefined) return positive(Number(bareId));
  const link = /^(?:https?:\/\/)?(?:www\.|m\.)?vk\.(?:com|ru)\/([^/?#\s]+)\/?(?:[?#]\S*)?$/i.exec(value)?.[1];
  const name = (link ?? (value.startsWith('@') ? value.slice(1) : value)).toLowerCase();
  const linkId = /^id(\d{1,15})$/.exec(name)?.[1];
  if (linkId !== undefined) return positive(Number(linkId));
  // Community and service pages are not people.
  if (!SCREEN.test(name) || /^(club|public|event)\d+$/.test(name) || /^\d+$/.test(name)) return fail('bad_vk');
  return ok({ kind: 'screen', name });
}

const positive = (id: number): Parsed<VkRef, VkRefError> =>
  Number.isSafeInteger(id) && id > 0 ? ok({ kind: 'id', id }) : fail('bad_vk');
