import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Admin } from '../../domain/admin/model.js';
import type { AdminRepository, SummaryRecipients } from '../../domain/ports.js';
import { parseAdminState } from '../../domain/admin/state.js';
import type { Database } from '../client.js';
import { admins } from '../schema.js';
import { loadInChunks } from './chunks.js';

const toSession = (row: typeof admins.$inferSelect) => ({
  admin: { vkId: row.vkId, role: row.role, schoolId: row.schoolId } satisfies Admin,
  state: parseAdminState(row.state),
});

export function createAdminRepository(db: Database): AdminRepository & SummaryRecipients {
  return {
    async find(vkId) {
      const [row] = await db.select().from(admins).where(eq(admins.vkId, vkId));
      return row ? toSession(row) : null;
    },
    async lock(vkId) {
      const [row] = await db.select().from(admins).where(eq(admins.vkId, vkId)).for('update');
      return row ? toSession(row) : null;
    },
    async saveState(vkId, state) {
      await db.update(admins).set({ state }).where(eq(admins.vkId, vkId));
    },
    async listForSchools(schoolIds) {
      const rows = await loadInChunks(schoolIds, (chunk) =>
        db
          .select({ schoolId: admins.schoolId, vkId: admins.vkId })
          .from(admins)
          .where(and(inArray(admins.schoolId, chunk), eq(admins.role, 'school')))
          .orderBy(asc(admins.createdAt)),
      );
      const bySchool = new Map<string, number[]>();
      for (const { schoolId, vkId } of rows) {
        const list = bySchool.get(schoolId!) ?? [];
        list.push(vkId);
        bySchool.set(schoolId!, list);
      }
      return bySchool;
    },
  };
}

/**
 * Makes the admins table match the configuration: ADMIN_VK_IDS administer the configured school,
 * REGION_ADMIN_VK_IDS every school. Configuration is the source of truth: an id removed from it
 * stops being an administrator at the next start. (Administrators of other schools in a shared
 * database are rows added by hand and are left alone.)
 */
export async function syncConfiguredAdmins(db: Database, schoolId: string, config: { school: readonly number[]; region: readonly number[] }): Promise<void> {
  await db.transaction(async (tx) => {
    const schoolAdmins = and(eq(admins.role, 'school'), eq(admins.schoolId, schoolId));
    await tx.delete(admins).where(config.school.length > 0 ? and(schoolAdmins, notInArray(admins.vkId, [...config.school])) : schoolAdmins);
    const regionAdmins = eq(admins.role, 'region');
    await tx.delete(admins).where(config.region.length > 0 ? and(regionAdmins, notInArray(admins.vkId, [...config.region])) : regionAdmins);
    const rows = [
      ...config.school.map((vkId) => ({ vkId, schoolId, role: 'school' as const })),
      ...config.region.map((vkId) => ({ vkId, schoolId: null, role: 'region' as const })),
    ];
    if (rows.length === 0) return;
    await tx
      .insert(admins)
      .values(rows)
      .onConflictDoUpdate({
        target: admins.vkId,
        set: { role: sql`excluded.role`, schoolId: sql`excluded.school_id`, state: null },
        // A changed role or school starts from the menu, not a question about another school.
        setWhere: sql`${admins.role} is distinct from excluded.role or ${admins.schoolId} is distinct from excluded.school_id`,
      });
  });
}
