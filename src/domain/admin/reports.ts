import type { Checklist } from '../checklist/schema.js';
import type { Button } from '../model.js';
import { composeSummary } from '../summary/service.js';
import { renderLaggards, renderSummary } from '../summary/render.js';
import type { AdminReports, AdminRepositories } from './ports.js';
import { adminTexts as t } from './texts.js';

/**
 * The administrator's «Сводка» and «Отстающие»: the daily summary's model (issue 3), computed on
 * demand inside the administrator's transaction, with the export under it.
 */
export function createAdminReports(deps: { checklist: Checklist; timeZone: string }): AdminReports {
  const extraButtons: Button[] = [{ label: t.menu.menu, payload: { a: 'ad_menu' } }];

  async function model(repos: AdminRepositories, schoolId: string, now: Date) {
    const school = await repos.schoolSettings.find(schoolId);
    if (!school) return null;
    return composeSummary({ ...deps, schools: repos.schoolSettings, standings: repos.standings, snapshots: repos.snapshots }, school, now);
  }

  return {
    async summary(repos, schoolId, now) {
      const summary = await model(repos, schoolId, now);
      return summary ? renderSummary(summary, { extraButtons }) : [{ text: t.noSchool }];
    },
    async parents(repos, schoolId, now) {
      return (await model(repos, schoolId, now))?.parents ?? null;
    },
    async laggards(repos, schoolId, now) {
      const summary = await model(repos, schoolId, now);
      return summary ? renderLaggards(summary, { extraButtons }) : [{ text: t.noSchool }];
    },
  };
}
