import { describe, expect, it } from 'vitest';
import { createAdminLinks, derivedLinkSecret } from '../../src/http/admin-link.js';

const school = '6f1c2a8e-1b2c-4d3e-8f90-123456789abc';
const now = new Date('2026-12-08T09:00:00Z');
const links = createAdminLinks({ secret: 'x'.repeat(40), publicUrl: 'https://bot.school.ru/', ttlMinutes: 15 });
const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;

describe('admin page links', () => {
  it('carry the administrator, the school and the expiry, and work until then', () => {
    const { url, expiresAt } = links.linkFor({ vkId: 1000, role: 'school', schoolId: school }, now);
    expect(url.startsWith('https://bot.school.ru/admin/page?t=')).toBe(true);
    expect(expiresAt).toEqual(new Date('2026-12-08T09:15:00Z'));
    expect(links.check(tokenOf(url), new Date('2026-12-08T09:14:59Z'))).toEqual({ ok: true, claims: { vkId: 1000, schoolId: school, expiresAt } });
    expect(links.check(tokenOf(url), expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('give a regional administrator the region (no school)', () => {
    const { url } = links.linkFor({ vkId: 1, role: 'region', schoolId: null }, now);
    expect(links.check(tokenOf(url), now)).toMatchObject({ ok: true, claims: { vkId: 1, schoolId: null } });
  });

  it('refuse another secret, changed claims and garbage', () => {
    const token = tokenOf(links.linkFor({ vkId: 1000, role: 'school', schoolId: school }, now).url);
    const other = createAdminLinks({ secret: 'y'.repeat(40), publicUrl: 'https://bot.school.ru', ttlMinutes: 15 });
    expect(other.check(token, now)).toEqual({ ok: false, reason: 'forged' });
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    for (const changed of [{ v: 1001 }, { s: null }, { e: (claims.e as number) + 3600 }]) {
      const forged = `${Buffer.from(JSON.stringify({ ...claims, ...changed })).toString('base64url')}.${mac}`;
      expect(links.check(forged, now)).toEqual({ ok: false, reason: 'forged' });
    }
    for (const garbage of ['', 'abc', `${payload}.`, `${payload}.${mac}.x`, 'a'.repeat(600)]) expect(links.check(garbage, now).ok).toBe(false);
  });

  it('derive the same secret from the same token on every instance, and another from another token', () => {
    expect(derivedLinkSecret('vk1.a.token')).toBe(derivedLinkSecret('vk1.a.token'));
    expect(derivedLinkSecret('vk1.a.token')).not.toBe(derivedLinkSecret('vk1.a.other'));
  });
});
