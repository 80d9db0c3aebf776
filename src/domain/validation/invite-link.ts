import { type Parsed, fail, ok } from './result.js';

/**
 * - `no_link`: no URL at all; `not_invite`: URLs, none of them a chat invite;
 * - `too_short`: an invite whose token is shorter than a real one (copied in part);
 * - `cut`: an invite that ends in «…» or «...», as a message preview shows it;
 * - `spaced`: an invite whose token is broken by a space or a line break;
 * - `wrapped`: an invite glued to the words around it, so where it ends is a guess.
 */
export type InviteLinkError = 'no_link' | 'not_invite' | 'too_short' | 'cut' | 'spaced' | 'wrapped';

/** VK-era tokens (sferum.ru, vk.me): base64 with `/` and `=`; their length varied. */
const VK_TOKEN = /^[A-Za-z0-9_\-=/]{8,300}$/;
/**
 * MAX tokens are base64url: 43 characters in public samples (32 bytes), one of 44. A little room
 * either way for what a real link can be; anything shorter was copied in part.
 */
const MAX_TOKEN_MIN = 40;
const MAX_TOKEN = /^[A-Za-z0-9_-]{40,64}={0,2}$/;
const URL_LIKE = /(?:https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d+)?[/?]\S*/giu;
const ELLIPSIS = /(?:…|\.{2,})$/;

type Candidate = { ok: true; link: string } | { ok: false; error: InviteLinkError };

/**
 * Extracts the chat invite links of a message, in order, each in canonical form:
 * `https://max.ru/join/<token>` (MAX, today's), `https://sferum.ru/?p=messages&join=<token>` and
 * `https://vk.me/join/<token>` (VK-era Sferum). Scheme and `www.` optional, surrounding words ignored.
 * Unrelated URLs are skipped; an invite that is damaged (short, cut, spaced, glued to text) fails
 * the whole message, so a half-copied link never ends up on a printed QR poster.
 */
export function parseInviteLinks(text: string): Parsed<string[], InviteLinkError> {
  const cleaned = text.replace(/[<>«»"'()[\]]/g, ' ');
  const candidates = [...cleaned.matchAll(URL_LIKE)];
  if (candidates.length === 0) return fail('no_link');
  const links: string[] = [];
  let firstError: InviteLinkError | null = null;
  for (const match of candidates) {
    const start = match.index;
    const glued = start > 0 && /[\p{L}\p{N}]/u.test(cleaned.charAt(start - 1));
    const candidate = classify(match[0], cleaned.slice(start + match[0].length), glued);
    if (candidate.ok) {
      if (!links.includes(candidate.link)) links.push(candidate.link);
    } else if (candidate.error !== 'not_invite') {
      return fail(candidate.error);
    } else {
      firstError ??= candidate.error;
    }
  }
  return links.length > 0 ? ok(links) : fail(firstError ?? 'not_invite');
}

/** The first invite link of a message (see `parseInviteLinks`). */
export function parseInviteLink(text: string): Parsed<string, InviteLinkError> {
  const links = parseInviteLinks(text);
  return links.ok ? ok(links.value[0]!) : links;
}

/** One URL-like piece of a message; `after` is the text that follows it, `glued` a letter right before it. */
function classify(candidate: string, after: string, glued: boolean): Candidate {
  const cut = ELLIPSIS.test(candidate);
  const raw = candidate.replace(/(?:…|[.,;:!?])+$/, '');
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return { ok: false, error: 'not_invite' };
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host === 'max.ru') return maxInvite(raw, after, glued, cut);
  if (host !== 'sferum.ru' && host !== 'vk.me') return { ok: false, error: 'not_invite' };
  const token = host === 'sferum.ru' ? (url.searchParams.get('p') === 'messages' ? url.searchParams.get('join') : null) : /^\/join\/(.+?)\/?$/.exec(url.pathname)?.[1];
  if (!token) return { ok: false, error: 'not_invite' };
  if (cut) return { ok: false, error: 'cut' };
  if (glued) return { ok: false, error: 'wrapped' };
  if (/^[A-Za-z0-9_\-=/]{1,7}$/.test(token)) return { ok: false, error: 'too_short' };
  if (!VK_TOKEN.test(token)) return { ok: false, error: 'not_invite' };
  return { ok: true, link: host === 'sferum.ru' ? `https://sferum.ru/?p=messages&join=${token}` : `https://vk.me/join/${token}` };
}

/**
 * `max.ru/join/<token>`, read from the text itself: the URL parser would percent-encode letters
 * glued to the token, and only the raw text shows where the token stops.
 */
function maxInvite(raw: string, after: string, glued: boolean, cut: boolean): Candidate {
  const path = /^(?:https?:\/\/)?(?:[^@/\s]*@)?(?:www\.)?max\.ru\/join\/([^/?#\s]*)/i.exec(raw);
  if (!path) return { ok: false, error: 'not_invite' };
  const segment = path[1]!;
  const token = /^[A-Za-z0-9_-]*={0,2}/.exec(segment)![0];
  const rest = segment.slice(token.length);
  if (token === '') return { ok: false, error: 'not_invite' };
  if (cut && !MAX_TOKEN.test(token)) return { ok: false, error: 'cut' };
  if (glued || /^[\p{L}\p{N}]/u.test(rest)) return { ok: false, error: 'wrapped' };
  if (rest !== '') return { ok: false, error: 'not_invite' };
  if (token.length < MAX_TOKEN_MIN) {
    // «…/join/LNPW5HIAqv WwUH1vQt…»: the next word completes the token.
    const next = /^\s+([A-Za-z0-9_-]+={0,2})(?=$|[\s.,;:!?])/.exec(after)?.[1];
    return { ok: false, error: next && MAX_TOKEN.test(token + next) ? 'spaced' : 'too_short' };
  }
  return MAX_TOKEN.test(token) ? { ok: true, link: `https://max.ru/join/${token}` } : { ok: false, error: 'not_invite' };
}
