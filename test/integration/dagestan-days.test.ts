import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchoolSettingsRepository } from '../../src/db/repositories/school-settings.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { schoolHolidays } from '../../src/db/schema.js';
import { DAGESTAN_DAYS_OFF } from '../../src/domain/reminders/dagestan.js';
import { createSchoolCalendar } from '../../src/domain/reminders/school-calendar.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

/** Issue 13, item 13: reminders respect Dagestan's own non-working days, which the administrator may edit. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe("Dagestan's non-working days", () => {
  it('a new school starts with them as its own days off; a restart neither duplicates nor restores them', async () => {
    const school = await upsertConfiguredSchool(database.db, { slug: 'dag', name: 'МКОУ «СОШ №4»', joinCode: 'DAG-1' });
    const days = await database.db.select().from(schoolHolidays).where(eq(schoolHolidays.schoolId, school.id));
    expect(days.map((d) => d.date).sort()).toEqual(DAGESTAN_DAYS_OFF.map((d) => d.date).sort());
    expect(days.find((d) => d.date === '2027-09-15')?.note).toBe('День единства народов Дагестана');

    // The administrator moved a feast: the next start-up keeps the edit.
    await database.db.delete(schoolHolidays).where(eq(schoolHolidays.date, '2027-03-09'));
    await upsertConfiguredSchool(database.db, { slug: 'dag', name: 'МКОУ «СОШ №4»', joinCode: 'DAG-1' });
    const after = await database.db.select().from(schoolHolidays).where(eq(schoolHolidays.schoolId, school.id));
    expect(after).toHaveLength(DAGESTAN_DAYS_OFF.length - 1);

    const settings = await createSchoolSettingsRepository(database.db).find(school.id);
    const calendar = createSchoolCalendar({ workingDays: [1, 2, 3, 4, 5] }, settings!.daysOff);
    // Wednesday 15 September 2027: no reminder; the next working day is Thursday.
    expect(calendar.isWorkingDay('2027-09-15')).toBe(false);
    expect(calendar.nextWorkingDay('2027-09-14')).toBe('2027-09-16');
    expect(calendar.isWorkingDay('2027-03-09')).toBe(true);
  });

  it('expected dates are marked as expected, and every date is a real one', () => {
    for (const day of DAGESTAN_DAYS_OFF) {
      expect(day.name.includes('ожидаемая')).toBe(day.expected);
      expect(new Date(`${day.date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(day.date);
    }
  });
});
