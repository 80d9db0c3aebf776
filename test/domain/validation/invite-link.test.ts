import { describe, expect, it } from 'vitest';

import { parseInviteLink } from '../../../src/domain/validation/invite-link.js';

const SFERUM_TOKEN = 'AJQ1d7bVdyV/7IYLyi6vwdxh';
const sferum = (token: string): string => `https://sferum.ru/?p=messages&join=${token}`;
const vkMe = (token: string): string => `https://vk.me/join/${token}`;

describe('parseInviteLink', () => {
  describe('accepts Sferum invite links and returns them in canonical form', () => {
    it.each([
      ['a full sferum.ru link', sferum(SFERUM_TOKEN), sferum(SFERUM_TOKEN)],
      ['a sferum.ru link without a scheme', `sferum.ru/?p=messages&join=${SFERUM_TOKEN}`, sferum(SFERUM_TOKEN)],
      ['a sferum.ru link over http', `http://sferum.ru/?p=messages&join=${SFERUM_TOKEN}`, sferum(SFERUM_TOKEN)],
      ['a sferum.ru link with www.', `https://www.sferum.ru/?p=messages&join=${SFERUM_TOKEN}`, sferum(SFERUM_TOKEN)],
      ['a sferum.ru link with parameters in another order', `https://sferum.ru/?join=${SFERUM_TOKEN}&p=messages`, sferum(SFERUM_TOKEN)],
      ['a sferum.ru link with extra parameters and a fragment', `https://sferum.ru/?p=messages&utm_source=x&join=${SFERUM_TOKEN}#top`, sferum(SFERUM_TOKEN)],
      ['a full vk.me link', vkMe(SFERUM_TOKEN), vkMe(SFERUM_TOKEN)],
      ['a vk.me link without a scheme', `vk.me/join/${SFERUM_TOKEN}`, vkMe(SFERUM_TOKEN)],
      ['a vk.me link over http', `http://vk.me/join/${SFERUM_TOKEN}`, vkMe(SFERUM_TOKEN)],
      ['a vk.me link with www. in capitals', `WWW.VK.ME/join/${SFERUM_TOKEN}`, vkMe(SFERUM_TOKEN)],
      ['a vk.me link with a query string', `https://vk.me/join/${SFERUM_TOKEN}?from=chat`, vkMe(SFERUM_TOKEN)],
    ])('%s', (_name, input, expected) => {
      expect(parseInviteLink(input)).toEqual({ ok: true, value: expected });
    });

    it('keeps the token exactly, including _, -, = and / characters', () => {
      const token = 'xjR9Ctd6rMoA_AkSZ6-pX0a/RFBhVIEXIVoA=';
      expect(parseInviteLink(sferum(token))).toEqual({ ok: true, value: sferum(token) });
      expect(parseInviteLink(vkMe(token))).toEqual({ ok: true, value: vkMe(token) });
    });

    it('accepts a token of exactly 8 characters', () => {
      expect(parseInviteLink(vkMe('ABCDEFGH'))).toEqual({ ok: true, value: vkMe('ABCDEFGH') });
      expect(parseInviteLink(sferum('ABCDEFGH'))).toEqual({ ok: true, value: sferum('ABCDEFGH') });
    });
  });

  describe('finds the link inside a message', () => {
    it.each([
      ['words before and after', `Вот ссылка на чат ${vkMe(SFERUM_TOKEN)} для родителей 5А`],
      ['a colon and a trailing full stop', `Ссылка: ${vkMe(SFERUM_TOKEN)}.`],
      ['a trailing comma', `${vkMe(SFERUM_TOKEN)}, спасибо`],
      ['trailing exclamation marks', `${vkMe(SFERUM_TOKEN)}!!!`],
      ['a trailing semicolon', `${vkMe(SFERUM_TOKEN)};`],
      ['parentheses', `(${vkMe(SFERUM_TOKEN)})`],
      ['parentheses and a full stop', `чат (${vkMe(SFERUM_TOKEN)}).`],
      ['Russian quotes', `«${vkMe(SFERUM_TOKEN)}»`],
      ['double quotes', `"${vkMe(SFERUM_TOKEN)}"`],
      ['angle brackets', `<${vkMe(SFERUM_TOKEN)}>`],
      ['a line break', `Родители 5А с учителем\n${vkMe(SFERUM_TOKEN)}\nспасибо`],
    ])('%s', (_name, input) => {
      expect(parseInviteLink(input)).toEqual({ ok: true, value: vkMe(SFERUM_TOKEN) });
    });

    it('strips a trailing full stop from a sferum.ru link too', () => {
      expect(parseInviteLink(`Готово: ${sferum(SFERUM_TOKEN)}.`)).toEqual({ ok: true, value: sferum(SFERUM_TOKEN) });
    });
  });

  describe('reports no_link when the message has no URL at all', () => {
    it.each([
      ['plain text', 'просто текст'],
      ['an empty message', ''],
      ['whitespace', '   '],
      ['a bare host without a path', 'sferum.ru'],
      ['a token alone', SFERUM_TOKEN],
      ['a javascript: URL', 'javascript:alert(1)'],
    ])('%s', (_name, input) => {
      expect(parseInviteLink(input)).toEqual({ ok: false, error: 'no_link' });
    });
  });

  describe('reports not_invite for URLs that are not Sferum chat invites', () => {
    it.each([
      ['another site', 'https://example.com/join/ABCDEFGH'],
      ['a vk.com link', `https://vk.com/join/${SFERUM_TOKEN}`],
      ['a vk.com community link', 'https://vk.com/club123456'],
      ['a subdomain of vk.me other than www', `https://m.vk.me/join/${SFERUM_TOKEN}`],
      ['a host that merely ends in vk.me', `https://evilvk.me/join/${SFERUM_TOKEN}`],
      ['a host that starts with vk.me', `https://vk.me.evil.com/join/${SFERUM_TOKEN}`],
      ['a host that starts with sferum.ru', `https://sferum.ru.evil.com/?p=messages&join=${SFERUM_TOKEN}`],
      ['sferum.ru without join', 'https://sferum.ru/'],
      ['sferum.ru messages without join', 'https://sferum.ru/?p=messages'],
      ['sferum.ru with join but not the messages page', `https://sferum.ru/?p=profile&join=${SFERUM_TOKEN}`],
      ['sferum.ru with join but no p', `https://sferum.ru/?join=${SFERUM_TOKEN}`],
      ['sferum.ru with an empty join', 'https://sferum.ru/?p=messages&join='],
      ['a vk.me link that is not a join link', 'https://vk.me/club123456'],
      ['vk.me/join without a token', 'https://vk.me/join/'],
      ['a 7-character vk.me token', vkMe('ABCDEFG')],
      ['a 7-character sferum.ru token', sferum('ABCDEFG')],
      ['a token with characters outside the token alphabet', sferum('ABCD*EFGH')],
      ['a token over 300 characters', vkMe('A'.repeat(301))],
    ])('%s', (_name, input) => {
      expect(parseInviteLink(input)).toEqual({ ok: false, error: 'not_invite' });
    });
  });

  it('never echoes the input: a javascript: prefix around a real link yields only the canonical https link', () => {
    const result = parseInviteLink(`javascript:alert(1)//vk.me/join/${SFERUM_TOKEN}`);
    expect(result).toEqual({ ok: true, value: vkMe(SFERUM_TOKEN) });
  });

  it('drops credentials in front of the host from the canonical link', () => {
    expect(parseInviteLink(`https://user:pw@vk.me/join/${SFERUM_TOKEN}`)).toEqual({ ok: true, value: vkMe(SFERUM_TOKEN) });
  });

  it('accepts a token of 300 characters', () => {
    const token = 'A'.repeat(300);
    expect(parseInviteLink(vkMe(token))).toEqual({ ok: true, value: vkMe(token) });
  });
});

describe('parseInviteLink regressions', () => {
  it.each([
    ['no slash before the query', 'https://sferum.ru?p=messages&join=ABCDEFGH12', 'https://sferum.ru/?p=messages&join=ABCDEFGH12'],
    ['a trailing slash', 'https://vk.me/join/ABCDEFGH/', 'https://vk.me/join/ABCDEFGH'],
    ['single quotes', "'https://vk.me/join/ABCDEFGH'", 'https://vk.me/join/ABCDEFGH'],
    ['an unrelated URL first', 'https://example.com/x и https://vk.me/join/ABCDEFGH12', 'https://vk.me/join/ABCDEFGH12'],
  ])('accepts %s', (_name, input, expected) => {
    expect(parseInviteLink(input)).toEqual({ ok: true, value: expected });
  });
});
