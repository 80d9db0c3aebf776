import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatDateTime } from '../domain/calendar.js';
import type { Checklist } from '../domain/checklist/schema.js';
import { exportFile } from '../domain/admin/export.js';
import type { Admin } from '../domain/admin/model.js';
import { type PageFilter, buildAdminPage, pageFilters } from '../domain/admin/page.js';
import type { ReportRenderer } from '../domain/admin/ports.js';
import type { Repositories } from '../domain/ports.js';
import type { Clock } from '../domain/ports.js';
import { reachFields } from '../domain/parents.js';
import { composeSummary } from '../domain/summary/service.js';
import type { Logger } from '../logger.js';
import { ADMIN_PAGE_PATH, type AdminLinkClaims, type AdminLinks } from './admin-link.js';
import { type PageLinks, refusalPage, regionPage, schoolPage } from './admin-page-view.js';
import type { HttpServer } from './server.js';

export interface AdminPageDeps {
  links: AdminLinks;
  /** Read outside a transaction: the page only reads (and appends to the audit log). */
  repos: Repositories;
  checklist: Checklist;
  timeZone: string;
  clock: Clock;
  renderer: ReportRenderer;
  /** Where a regional administrator's opening of the per-school table is audited (the log is per school). */
  homeSchoolId: string;
  logger: Logger;
}

const SCHOOL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The page is personal and read-only: never cached, never framed, never sending its URL (the token) on. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
};

type Access = { ok: true; admin: Admin; claims: AdminLinkClaims; schoolId: string | null } | { ok: false; reason: 'expired' | 'refused' };

/**
 * The administrators' read-only page (issue 19) on the bot's own HTTP server: `GET /admin/page`
 * (the school, or a regional administrator's table of schools) and its downloads. Every request
 * carries the personal link's token; the administrator is looked up again each time, so a removed
 * administrator's link stops working at once. A refusal shows a sentence and nothing else.
 */
export function routeAdminPage(http: HttpServer, deps: AdminPageDeps): void {
  const { links, repos, logger } = deps;

  async function authorize(url: URL, now: Date): Promise<Access> {
    const checked = links.check(url.searchParams.get('t') ?? '', now);
    if (!checked.ok) {
      logger.warn({ reason: checked.reason }, 'admin page link refused');
      return { ok: false, reason: checked.reason === 'expired' ? 'expired' : 'refused' };
    }
    const { claims } = checked;
    const found = await repos.admins.find(claims.vkId);
    const asked = url.searchParams.get('s');
    const refuse = async (why: string): Promise<Access> => {
      logger.warn({ reason: why }, 'admin page link refused');
      // An administrator reaching past their school is worth a line in that school's log.
      if (found?.admin.schoolId) await audit(found.admin, found.admin.schoolId, 'admin_page_refused', now, { asked: asked !== null && SCHOOL_ID.test(asked) ? asked : 'invalid' });
      return { ok: false, reason: 'refused' };
    };
    if (!found) return refuse('not an administrator');
    const { admin } = found;
    if (asked !== null && !SCHOOL_ID.test(asked)) return refuse('malformed school');
    if (admin.role === 'region') {
      if (claims.schoolId !== null) return refuse('scope changed');
      return { ok: true, admin, claims, schoolId: asked };
    }
    if (claims.schoolId === null || claims.schoolId !== admin.schoolId) return refuse('scope changed');
    if (asked !== null && asked !== claims.schoolId) return refuse('another school');
    return { ok: true, admin, claims, schoolId: claims.schoolId };
  }

  function audit(admin: Admin, schoolId: string, action: string, at: Date, details: Record<string, unknown>): Promise<void> {
    return repos.audit.append({ schoolId, teacherId: null, actor: 'admin', actorVkId: admin.vkId, action, details: { ...details, via: 'page' }, at });
  }

  function pageLinks(url: URL, claims: AdminLinkClaims, schoolId: string | null): PageLinks {
    const token = url.searchParams.get('t')!;
    const query = (params: Record<string, string | undefined>) =>
      new URLSearchParams(Object.entries({ t: token, ...params }).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const school = claims.schoolId === null ? (schoolId ?? undefined) : undefined;
    return {
      page: ({ filter, schoolId: other }) => `${ADMIN_PAGE_PATH}?${query({ s: other ?? school, f: filter === 'all' ? undefined : filter })}`,
      download: (format) => `${ADMIN_PAGE_PATH}/export.${format}?${query({ s: school })}`,
      region: claims.schoolId === null ? `${ADMIN_PAGE_PATH}?${query({})}` : null,
      expiresAt: formatDateTime(claims.expiresAt, deps.timeZone),
    };
  }

  async function page(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const now = deps.clock.now();
    const access = await authorize(url, now);
    if (!access.ok) return send(res, 403, refusalPage(access.reason));
    const { admin, claims, schoolId } = access;
    const links = pageLinks(url, claims, schoolId);
    if (schoolId === null) {
      const schools = await repos.schoolAdmin.overview(reachFields(deps.checklist));
      await audit(admin, admin.schoolId ?? deps.homeSchoolId, 'admin_page_opened', now, { view: 'region', schools: schools.length });
      return send(res, 200, regionPage(schools, links));
    }
    const school = await repos.schoolSettings.find(schoolId);
    if (!school) return send(res, 403, refusalPage('refused'));
    const asked = url.searchParams.get('f');
    const filter: PageFilter = pageFilters.includes(asked as PageFilter) ? (asked as PageFilter) : 'all';
    const [summary, roster, history] = await Promise.all([
      composeSummary({ schools: repos.schoolSettings, standings: repos.standings, snapshots: repos.snapshots, checklist: deps.checklist, timeZone: deps.timeZone }, school, now),
      repos.roster.list(schoolId),
      repos.snapshots.history(schoolId),
    ]);
    await audit(admin, schoolId, 'admin_page_opened', now, { view: 'school', filter });
    send(res, 200, schoolPage(buildAdminPage({ checklist: deps.checklist, summary, roster, history, filter }), links));
  }

  const download = (format: 'xlsx' | 'csv') => async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const now = deps.clock.now();
    const access = await authorize(url, now);
    if (!access.ok) return send(res, 403, refusalPage(access.reason));
    const settings = access.schoolId === null ? null : await repos.schoolAdmin.get(access.schoolId);
    if (!settings) return send(res, 403, refusalPage('refused'));
    const file = await exportFile({ checklist: deps.checklist, timeZone: deps.timeZone, renderer: deps.renderer }, repos, settings, format, now, (teachers) =>
      audit(access.admin, settings.id, 'report_exported', now, { format, teachers }),
    );
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file.filename}"`,
      'content-length': file.content.length,
    });
    res.end(file.content);
  };

  http.route('GET', ADMIN_PAGE_PATH, page);
  http.route('GET', `${ADMIN_PAGE_PATH}/export.xlsx`, download('xlsx'));
  http.route('GET', `${ADMIN_PAGE_PATH}/export.csv`, download('csv'));
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}
