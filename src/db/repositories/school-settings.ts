import { asc, eq, sql } from 'drizzle-orm';
import type { SchoolSettings, SchoolSettingsRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { schoolHolidays, schools } from '../schema.js';

export function createSchoolSettingsRepository(db: Database): SchoolSettingsRepository {
  const select = () =>
    db
      .select({
        id: schools.id,
        name: schools.name,
        deadline: sql<string | null>`${schools.deadline}::text`,
        reminderPolicy: schools.reminderPolicy,
        daysOff: sql<string[]>`coalesce((select json_agg(${schoolHolidays.date}::text order by ${schoolHolidays.date}) from ${schoolHolidays} where ${schoolHolidays.schoolId} = ${schools.id}), '[]'::json)`,
      })
      .from(schools);
  return {
    async list() {
      return (await select().orderBy(asc(schools.createdAt))).map(toSettings);
    },
    async find(schoolId) {
      const [row] = await select().where(eq(schools.id, schoolId));
      return row ? toSettings(row) : null;
    },
  };
}

const toSettings = (row: SchoolSettings): SchoolSettings => ({ ...row, daysOff: row.daysOff ?? [] });
