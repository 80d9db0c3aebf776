import type { Checklist } from '../checklist/schema.js';
import type { Button } from '../model.js';
import { composeSummary } from '../summary/service.js';
import { renderLaggards, renderSummary } from '../summary/render.js';
import type { Repositories } from '../ports.js';
import type { AdminReports } from './ports.js';
import { adminTexts as t } from './texts.js';

/** Under the summary when the server has a public address: a personal link to the web page. */
export const pageButton: Button = { label: t.menu.page, payload: { a: 'ad_page' } };

/**
 * The administrator's «Сводка» and «Отстающие»: the daily summary's model (issue 3), computed on
 * demand inside the administrator's transaction, with the export under it.
 */
export function createAdminReports(deps: { checklist: Checklist; timeZone: string; pageButton?: boolean }): AdminReports {
  const extraButtons: Button[] = [...(deps.pageButton ? [pageButton] : []), { label: t.menu.menu, payload: { a: 'ad_menu' } }];

  async function model(repos: Repositories, schoolId: string, now: Date) {
    const school = await repos.schoolSettings.find(schoolId);
    if (!school) return null;
    return composeSummary({ ...deps, schools: repos.schoolSettings, standings: repos.standings, snapshots: repos.snapshots }, school, now);
  }

  return {
    async summary(repos, schoolId, now) {
      const summary = await model(repos, schoolId, now);
      return summary ? renderSummary(summary, { extraButtons }) : [{ text: t.noSchool }];
    },
    async laggards(repos, schoolId, now) {
      const summary = await model(repos, schoolId, now);
      return summary ? renderLaggards(summary, { extraButtons }) : [{ text: t.noSchool }];
    },
  };
}
