import { sql } from 'drizzle-orm';
import type { School } from '../../domain/model.js';
import { DAGESTAN_DAYS_OFF } from '../../domain/reminders/dagestan.js';
import { JOIN_CODE_NOISE, normalizeJoinCode } from '../../domain/validation/join-code.js';
import type { SchoolRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { schoolHolidays, schools } from '../schema.js';

/** The columns of a domain School. */
export const schoolColumns = { id: schools.id, name: schools.name, eoInstructions: schools.eoInstructions };

export function createSchoolRepository(db: Database): SchoolRepository {
  return {
    async findByJoinCode(code) {
      const [row] = await db
        .select(schoolColumns)
        .from(schools)
        .where(sql`regexp_replace(lower(${schools.joinCode}), ${JOIN_CODE_NOISE}, '', 'g') = ${normalizeJoinCode(code)}`);
      return row ?? null;
    },
  };
}

/**
 * Creates or updates a school known from configuration (its `slug` is the stable key) and
 * returns it. Runs at start-up, before any update is handled. The configured join code applies
 * until an administrator rotates it in the bot; from then on the database owns the code.
 */
export async function upsertConfiguredSchool(db: Database, school: { slug: string; name: string; joinCode: string }): Promise<School> {
  const [row] = await db
    .insert(schools)
    .values(school)
    .onConflictDoUpdate({
      target: schools.slug,
      set: { name: school.name, joinCode: sql`case when ${schools.joinCodeRotatedAt} is null then excluded.join_code else ${schools.joinCode} end` },
    })
    // xmax is 0 on a row this statement inserted, not on one it updated: a new school.
    .returning({ ...schoolColumns, created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error(`school "${school.slug}" was not saved`);
  const { created, ...saved } = row;
  // A new school starts with Dagestan's own days off, which its administrator may then edit.
  if (created) {
    await db
      .insert(schoolHolidays)
      .values(DAGESTAN_DAYS_OFF.map((day) => ({ schoolId: saved.id, date: day.date, note: day.name })))
      .onConflictDoNothing();
  }
  return saved;
}
