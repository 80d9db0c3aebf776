import type { Checklist } from '../checklist/schema.js';
import { localDate } from '../calendar.js';
import type { OutgoingFile } from '../model.js';
import { composeSummary } from '../summary/service.js';
import type { SchoolSettings } from './model.js';
import type { Repositories } from '../ports.js';
import type { ReportRenderer } from './ports.js';
import { auditTable, parentsTable, schoolTasksTable, teachersTable } from './report.js';

export type ExportFormat = 'xlsx' | 'csv';

/**
 * The school's export, for the chat and the administrators' page alike: XLSX with the teachers,
 * the parents reached (as the summary counts them), the school's tasks and the audit log; CSV with
 * the teachers. `audit` records the export (with the
 * number of teachers) before the log is read, so the exported log shows this export too.
 */
export async function exportFile(
  deps: { checklist: Checklist; timeZone: string; renderer: ReportRenderer },
  repos: Pick<Repositories, 'roster' | 'auditLog' | 'schoolSettings' | 'standings' | 'snapshots'>,
  settings: SchoolSettings,
  format: ExportFormat,
  now: Date,
  audit: (teachers: number) => Promise<void>,
): Promise<OutgoingFile> {
  const { checklist, timeZone, renderer } = deps;
  const teachers = await repos.roster.list(settings.id);
  const today = localDate(now, timeZone);
  await audit(teachers.length);
  if (format === 'csv') {
    return { kind: 'document', filename: `sferum-teachers-${today}.csv`, content: renderer.csv(teachersTable(checklist, teachers, timeZone))};
  }
  const { parents } = await composeSummary({ schools: repos.schoolSettings, standings: repos.standings, snapshots: repos.snapshots, checklist, timeZone }, settings, now);
  const sheets = [
    teachersTable(checklist, teachers, timeZone),
    ...(parents ? [parentsTable(parents)] : []),
    schoolTasksTable(settings, timeZone),
    auditTable(checklist, await repos.auditLog.forSchool(settings.id), timeZone),
  ];
  return { kind: 'document', filename: `sferum-report-${today}.xlsx`, content: await renderer.xlsx(sheets)};
}
