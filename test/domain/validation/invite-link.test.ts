import { describe, expect, it } from 'vitest';

import { parseInviteLink, parseInviteLinks } from '../../../src/domain/validation/invite-link.js';

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

const MAX_TOKEN = 'LNPW5HIAqvWwUH1vQtB5V1kytLpmG18IsNURG4is4B0';
const max = (token: string): string => `https://max.ru/join/${token}`;

describe('MAX invite links', () => {
  it.each([
    ['a full link', max(MAX_TOKEN)],
    ['no scheme', `max.ru/join/${MAX_TOKEN}`],
    ['http', `http://max.ru/join/${MAX_TOKEN}`],
    ['www. and capitals in the host', `https://WWW.Max.RU/join/${MAX_TOKEN}`],
    ['a trailing slash, a query and a fragment', `https://max.ru/join/${MAX_TOKEN}/?utm=1#x`],
    ['words around it and a full stop', `Чат родителей 5А: ${max(MAX_TOKEN)}.`],
    ['Russian quotes', `«${max(MAX_TOKEN)}»`],
    ['parentheses', `(${max(MAX_TOKEN)})`],
    ['a line break before it', `Родители с учителем\n${max(MAX_TOKEN)}`],
    ['a full token followed by dots', `${max(MAX_TOKEN)}...`],
  ])('accepts %s, in canonical form', (_name, input) => {
    expect(parseInviteLink(input)).toEqual({ ok: true, value: max(MAX_TOKEN) });
  });

  it.each([
    ['a 44-character token', `${MAX_TOKEN}a`],
    ['a token with - and _', 'AbCd-_EfGh-_IjKl-_MnOp-_QrSt-_UvWx-_YzAb-_Cd'],
    ['a padded token', `${MAX_TOKEN}=`],
  ])('keeps %s exactly', (_name, token) => {
    expect(parseInviteLink(max(token))).toEqual({ ok: true, value: max(token) });
  });

  it.each([
    ['too short', max('LNPW5HIAqvWwUH1v'), 'too_short'],
    ['one character short of a real token', max(MAX_TOKEN.slice(0, 39)), 'too_short'],
    ['cut with an ellipsis, as a preview shows it', max('LNPW5HIAqvWwUH1vQt…'), 'cut'],
    ['cut with three dots', `${max('LNPW5HIAqvWwUH1vQt')}...`, 'cut'],
    ['a VK-era link cut with an ellipsis', 'https://vk.me/join/AJQ1d7bVdyV…', 'cut'],
    ['broken by a space', `${max(MAX_TOKEN.slice(0, 20))} ${MAX_TOKEN.slice(20)}`, 'spaced'],
    ['broken by a line break', `${max(MAX_TOKEN.slice(0, 25))}\n${MAX_TOKEN.slice(25)}`, 'spaced'],
    ['glued to words after it', `${max(MAX_TOKEN)}спасибо`, 'wrapped'],
    ['glued to words before it', `ссылка${max(MAX_TOKEN)}`, 'wrapped'],
    ['a VK-era link glued to words before it', 'чатhttps://vk.me/join/AJQ1d7bVdyV', 'wrapped'],
    ['a 7-character vk.me token', 'https://vk.me/join/ABCDEFG', 'too_short'],
    ['a 7-character sferum.ru token', 'https://sferum.ru/?p=messages&join=ABCDEFG', 'too_short'],
  ])('refuses a link %s with a specific error', (_name, input, error) => {
    expect(parseInviteLinks(input)).toEqual({ ok: false, error });
  });

  it.each([
    ['a host that starts with max.ru', `https://max.ru.evil.com/join/${MAX_TOKEN}`],
    ['a host that ends in max.ru', `https://evilmax.ru/join/${MAX_TOKEN}`],
    ['a subdomain of max.ru', `https://join.max.ru/join/${MAX_TOKEN}`],
    ['max.ru as the user name of another host', `https://max.ru@evil.com/join/${MAX_TOKEN}`],
    ['a Cyrillic х in the host', `https://maх.ru/join/${MAX_TOKEN}`],
    ['max-ru.com', `https://max-ru.com/join/${MAX_TOKEN}`],
    ['max.ru with a port', `https://max.ru:8443/join/${MAX_TOKEN}`],
    ['max.ru inside another site\'s path', `https://evil.com/max.ru/join/${MAX_TOKEN}`],
    ['max.ru inside another site\'s query', `https://evil.com/?to=https://max.ru/join/${MAX_TOKEN}`],
    ['a join path deeper inside max.ru', `https://max.ru/x/join/${MAX_TOKEN}`],
    ['a MAX bot deep link', 'https://max.ru/school_bot?start=abc'],
    ['a public MAX channel', 'https://max.ru/some_channel'],
    ['a token with characters outside base64url', max(`${MAX_TOKEN.slice(0, 42)}*`)],
    ['a token over 64 characters', max('A'.repeat(65))],
  ])('refuses %s as not an invite', (_name, input) => {
    expect(parseInviteLinks(input)).toEqual({ ok: false, error: 'not_invite' });
  });

  it('returns every invite of a message, in order, once each', () => {
    const other = `${MAX_TOKEN.slice(1)}Z`;
    expect(parseInviteLinks(`с учителем: ${max(other)}\nбез учителя: max.ru/join/${MAX_TOKEN} ${max(other)}`)).toEqual({ ok: true, value: [max(other), max(MAX_TOKEN)] });
    expect(parseInviteLinks(`https://vk.me/join/ABCDEFGH12 и ${max(MAX_TOKEN)}`)).toEqual({ ok: true, value: ['https://vk.me/join/ABCDEFGH12', max(MAX_TOKEN)] });
  });

  it('skips unrelated URLs but not a damaged invite next to a good one', () => {
    expect(parseInviteLinks(`https://sferum.ru/?p=instructions ${max(MAX_TOKEN)}`)).toEqual({ ok: true, value: [max(MAX_TOKEN)] });
    expect(parseInviteLinks(`${max(MAX_TOKEN)} ${max('LNPW5HIAqv…')}`)).toEqual({ ok: false, error: 'cut' });
  });
});
