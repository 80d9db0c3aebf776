import type { Reply } from '../model.js';
import type { Admin, RosterFileProblem } from './model.js';
import type { Repositories } from '../ports.js';
import type { Table } from './report.js';
import type { ReachFields } from '../parents.js';

/** Ports of the admin service, named by intent. */

/** The summary on demand and the laggards list (src/domain/admin/reports.ts: the daily summary's model, computed now). */
export interface AdminReports {
  summary(repos: Repositories, schoolId: string, now: Date): Promise<Reply[]>;
  laggards(repos: Repositories, schoolId: string, now: Date): Promise<Reply[]>;
}

/** What "remind the laggards now" did: reminders queued, or why none can go out now. */
export type RemindOutcome =
  | { closed: { from: string; to: string } }
  /**
   * `neverStarted` and `unreachable` are the daily summary's two groups, by the same definition: never
   * wrote to the bot (or no VK page known), and wrote but then refused the community's messages.
   */
  | { queued: number; alreadyToday: number; resting: number; neverStarted: number; unreachable: number };

/** "Remind the laggards now": queues today's reminders through the outbox, one a day kept. */
export interface LaggardReminder {
  remindNow(repos: Repositories, schoolId: string, now: Date): Promise<RemindOutcome>;
}

/** Serialises report tables (exceljs, CSV) and draws the staff-room poster (pdfkit). */
export interface ReportRenderer {
  xlsx(sheets: readonly Table[]): Promise<Uint8Array>;
  csv(table: Table): Uint8Array;
  startPoster(input: { schoolName: string; botUrl: string; joinCode: string }): Promise<Uint8Array>;
}

/** Personal links to the administrators' read-only web page (src/http/admin-link.ts). */
export interface AdminPageLinks {
  linkFor(admin: Admin, now: Date): { url: string; expiresAt: Date };
}

/** Reads a roster file (XLSX or CSV) into rows of cell texts; throws RosterFileError when it cannot. */
export interface RosterFileReader {
  read(bytes: Uint8Array, filename: string): Promise<string[][]>;
}

/** Downloads a document the messenger holds; bounded in size and time. */
export interface DocumentFetcher {
  fetch(url: string): Promise<Uint8Array>;
}

/** Resolves VK short names (`short_name` of vk.com/short_name) to user ids; unknown names are absent. */
export interface UserDirectory {
  resolve(screenNames: readonly string[]): Promise<Map<string, number>>;
}

export class RosterFileError extends Error {
  override name = 'RosterFileError';
  constructor(
    readonly code: RosterFileProblem,
    options?: { cause?: unknown },
  ) {
    super(`roster file: ${code}`, options);
  }
}
