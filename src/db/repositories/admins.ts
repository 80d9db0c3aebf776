import { and, asc, eq } from 'drizzle-orm';
import type { Admin, AdminRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { admins } from '../schema.js';

/** Administrators named in ADMIN_VK_IDS become administrators of the configured school (once). */
export async function bootstrapAdmins(db: Database, schoolId: string, vkIds: readonly number[]): Promise<void> {
  if (vkIds.length === 0) return;
  await db
    .insert(admins)
    .values(vkIds.map((vkId) => ({ vkId, schoolId, role: 'school' as const })))
    .onConflictDoNothing();
}

const columns = { id: admins.id, vkId: admins.vkId, schoolId: admins.schoolId, role: admins.role };

export function createAdminRepository(db: Database): AdminRepository {
  return {
    async findByVkId(vkId): Promise<Admin | null> {
      const [row] = await db.select(columns).from(admins).where(eq(admins.vkId, vkId));
      return row ?? null;
    },
    async listForSchool(schoolId) {
      return db
        .select(columns)
        .from(admins)
        .where(and(eq(admins.schoolId, schoolId), eq(admins.role, 'school')))
        .orderBy(asc(admins.createdAt));
    },
  };
}
