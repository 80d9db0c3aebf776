import { type Parsed, fail, ok } from './result.js';

export type InviteLinkError = 'no_link' | 'not_invite';

const TOKEN = /^[A-Za-z0-9_\-=/]{8,300}$/;
const URL_LIKE = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}[/?]\S*/gi;

/**
 * Extracts a Sferum chat invite link from a message and returns it in canonical form.
 * Accepted: `https://sferum.ru/?p=messages&join=<token>` and `https://vk.me/join/<token>`
 * (scheme optional, surrounding words ignored). Anything else is rejected, so a typo'd or
 * unrelated URL never ends up on a printed QR poster.
 */
export function parseInviteLink(text: string): Parsed<string, InviteLinkError> {
  const candidates = [...text.replace(/[<>«»"']/g, ' ').matchAll(URL_LIKE)].map((match) => match[0]);
  if (candidates.length === 0) return fail('no_link');
  // The first invite among the URLs wins: «вот чат: https://vk.me/join/…» after another link still works.
  for (const candidate of candidates) {
    const link = canonicalInvite(candidate);
    if (link) return ok(link);
  }
  return fail('not_invite');
}

function canonicalInvite(candidate: string): string | null {
  const raw = candidate.replace(/[.,;)!]+$/, '');
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host === 'sferum.ru') {
    const token = url.searchParams.get('join');
    return url.searchParams.get('p') === 'messages' && token && TOKEN.test(token) ? `https://sferum.ru/?p=messages&join=${token}` : null;
  }
  if (host === 'vk.me') {
    const token = /^\/join\/(.+?)\/?$/.exec(url.pathname)?.[1];
    return token && TOKEN.test(token) ? `https://vk.me/join/${token}` : null;
  }
  return null;
}
