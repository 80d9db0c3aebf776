import { type Parsed, fail, ok } from './result.js';

export type InviteLinkError = 'no_link' | 'not_invite';

const TOKEN = /^[A-Za-z0-9_\-=/]{8,300}$/;
const URL_LIKE = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*/i;

/**
 * Extracts a Sferum chat invite link from a message and returns it in canonical form.
 * Accepted: `https://sferum.ru/?p=messages&join=<token>` and `https://vk.me/join/<token>`
 * (scheme optional, surrounding words ignored). Anything else is rejected, so a typo'd or
 * unrelated URL never ends up on a printed QR poster.
 */
export function parseInviteLink(text: string): Parsed<string, InviteLinkError> {
  const match = URL_LIKE.exec(text.replace(/[<>«»"]/g, ' '));
  if (!match) return fail('no_link');
  const raw = match[0].replace(/[.,;)!]+$/, '');
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return fail('not_invite');
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host === 'sferum.ru') {
    const token = url.searchParams.get('join');
    if (url.searchParams.get('p') === 'messages' && token && TOKEN.test(token)) {
      return ok(`https://sferum.ru/?p=messages&join=${token}`);
    }
    return fail('not_invite');
  }
  if (host === 'vk.me') {
    const token = /^\/join\/(.+)$/.exec(url.pathname)?.[1];
    if (token && TOKEN.test(token)) return ok(`https://vk.me/join/${token}`);
  }
  return fail('not_invite');
}
