import { randomUUID } from 'node:crypto';
import { createAdminReports } from '../../src/domain/admin/reports.js';
import type { LaggardReminder } from '../../src/domain/admin/ports.js';
import { RosterFileError } from '../../src/domain/admin/ports.js';
import { createAdminHandler } from '../../src/domain/admin/service.js';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { type ConversationService, createConversationService } from '../../src/domain/conversation/service.js';
import type { Input } from '../../src/domain/model.js';
import type { Payload } from '../../src/domain/payload.js';
import { createUnitOfWork } from '../../src/db/repositories/index.js';
import type { Database } from '../../src/db/client.js';
import { createReportRenderer } from '../../src/reports/renderer.js';
import { createRosterFileReader } from '../../src/reports/roster-file.js';

export const TZ = 'Europe/Moscow';

/** What the test doubles saw: reminders asked for, VK short names and files served. */
export interface AdminWorld {
  service: ConversationService;
  reminded: string[];
  /** Short name → VK id, as users.get would resolve it. */
  users: Map<string, number>;
  /** URL → bytes of documents "held by VK". */
  files: Map<string, Uint8Array>;
  /** Every URL the fetcher was asked for, in order. */
  fetched: string[];
  say(vkUserId: number, input: Input): ReturnType<ConversationService['handle']>;
}

/** The conversation service with the admin menu, against `db`, with a fixed clock and in-memory VK doubles. */
export function createAdminWorld(db: Database, now: () => Date): AdminWorld {
  const reminded: string[] = [];
  const users = new Map<string, number>();
  const files = new Map<string, Uint8Array>();
  const fetched: string[] = [];
  const reminder: LaggardReminder = {
    async remindNow(_repos, schoolId) {
      reminded.push(schoolId);
      return { queued: 3, alreadyToday: 0, resting: 0, neverStarted: 0, unreachable: 0 };
    },
  };
  const service = createConversationService({
    uow: createUnitOfWork(db),
    checklist: defaultChecklist,
    clock: { now },
    timeZone: TZ,
    admin: createAdminHandler({
      checklist: defaultChecklist,
      timeZone: TZ,
      reports: createAdminReports({ checklist: defaultChecklist, timeZone: TZ }),
      reminder,
      renderer: createReportRenderer(),
      files: createRosterFileReader(),
      fetcher: {
        async fetch(url) {
          fetched.push(url);
          const bytes = files.get(url);
          if (!bytes) throw new RosterFileError('download');
          return bytes;
        },
      },
      directory: {
        async resolve(names) {
          return new Map(names.flatMap((name) => (users.has(name) ? [[name, users.get(name)!] as const] : [])));
        },
      },
      botUrl: 'https://vk.me/club1',
      newJoinCode: () => `NEW${randomUUID().slice(0, 8).toUpperCase()}`,
    }),
  });
  return { service, reminded, users, files, fetched, say: (vkUserId, input) => service.handle({ eventId: randomUUID(), vkUserId, input }) };
}

export const text = (value: string): Input => ({ type: 'text', text: value });
export const press = (payload: Payload): Input => ({ type: 'button', payload });
export const doc = (url: string, filename: string, size: number | null = null): Input => ({ type: 'document', document: { url, filename, size }, text: '' });
