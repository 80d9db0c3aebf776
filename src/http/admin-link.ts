import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Admin } from '../domain/admin/model.js';

/** What a link to the administrators' page grants: one administrator, one school (or the region), until a moment. */
export interface AdminLinkClaims {
  vkId: number;
  /** The school the link shows; null: a regional administrator's link to the per-school table. */
  schoolId: string | null;
  expiresAt: Date;
}

export type AdminLinkCheck = { ok: true; claims: AdminLinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export interface AdminLinks {
  /** The page's path on the bot's HTTP server. */
  readonly path: string;
  /** A personal link, valid for the configured minutes from `now`. */
  linkFor(admin: Admin, now: Date): { url: string; expiresAt: Date };
  /** The token's claims if it is signed with this secret and not expired. */
  check(token: string, now: Date): AdminLinkCheck;
}

export const ADMIN_PAGE_PATH = '/admin/page';

/**
 * Signed links (HMAC-SHA256 over the claims): nothing is stored, every instance holding the same
 * secret accepts them, and one expires on its own. Token: `base64url(JSON claims).base64url(mac)`.
 * The claims are short and carry no name: a token in a proxy's log tells only a VK id and a school id.
 */
export function createAdminLinks(options: { secret: string; publicUrl: string; ttlMinutes: number }): AdminLinks {
  const key = Buffer.from(options.secret, 'utf8');
  const base = options.publicUrl.replace(/\/+$/, '');
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();

  return {
    path: ADMIN_PAGE_PATH,
    linkFor(admin, now) {
      const expiresAt = new Date(now.getTime() + options.ttlMinutes * 60_000);
      const schoolId = admin.role === 'region' ? null : admin.schoolId;
      const payload = Buffer.from(JSON.stringify({ v: admin.vkId, s: schoolId, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
      const token = `${payload}.${mac(payload).toString('base64url')}`;
      return { url: `${base}${ADMIN_PAGE_PATH}?t=${token}`, expiresAt };
    },
    check(token, now) {
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0 || token.length > 512) return { ok: false, reason: 'malformed' };
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
      const claims = parseClaims(payload);
      if (!claims) return { ok: false, reason: 'malformed' };
      if (claims.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    },
  };
}

function parseClaims(payload: string): AdminLinkClaims | null {
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { v?: unknown; s?: unknown; e?: unknown };
    if (!Number.isSafeInteger(raw.v) || !Number.isSafeInteger(raw.e) || !(raw.s === null || typeof raw.s === 'string')) return null;
    return { vkId: raw.v as number, schoolId: raw.s as string | null, expiresAt: new Date((raw.e as number) * 1000) };
  } catch {
    return null;
  }
}

/** The signing key when ADMIN_PAGE_SECRET is not set: derived from the community token, which every instance has. */
export function derivedLinkSecret(vkToken: string): string {
  return createHmac('sha256', vkToken).update('admin-page-links/v1').digest('base64url');
}
