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
