import type { Repositories, UnitOfWork } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { createAdminRepository } from './admins.js';
import { createAuditReader, createAuditRepository } from './audit.js';
import { createCompletionRepository } from './completions.js';
import { createConversationRepository } from './conversations.js';
import { createEventRepository } from './events.js';
import { createRosterRepository } from './roster.js';
import { createOutboxRepository } from './outbox.js';
import { createSchoolAdminRepository } from './school-admin.js';
import { createSchoolSettingsRepository } from './school-settings.js';
import { createStandingRepository } from './standings.js';
import { createSummarySnapshotRepository } from './summary-snapshots.js';
import { createSchoolRepository } from './schools.js';
import { createTeacherRepository } from './teachers.js';

/** Repositories bound to a database or to one transaction (a drizzle transaction is a Database too). */
export function createRepositories(db: Database): Repositories {
  return {
    events: createEventRepository(db),
    conversations: createConversationRepository(db),
    schools: createSchoolRepository(db),
    teachers: createTeacherRepository(db),
    completions: createCompletionRepository(db),
    audit: createAuditRepository(db),
    admins: createAdminRepository(db),
    roster: createRosterRepository(db),
    schoolAdmin: createSchoolAdminRepository(db),
    auditLog: createAuditReader(db),
    schoolSettings: createSchoolSettingsRepository(db),
    standings: createStandingRepository(db),
    snapshots: createSummarySnapshotRepository(db),
    outbox: createOutboxRepository(db),
  };
}

export function createUnitOfWork(db: Database): UnitOfWork {
  return {
    transaction: (work) => db.transaction((tx) => work(createRepositories(tx as unknown as Database))),
  };
}
