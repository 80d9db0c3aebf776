import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import journal from '../../migrations/meta/_journal.json' with { type: 'json' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  cleanups.push(() => database.destroy());
  return database;
}

async function appliedMigrations(database: DatabaseHandle): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0]?.n ?? 0;
}

describe('migrations', () => {
  it('reports whether every migration is applied (the readiness check)', async () => {
    const database = await freshDatabase();
    expect(await database.migrationsApplied()).toBe(false);
    await database.migrate();
    expect(await database.migrationsApplied()).toBe(true);
    expect(await appliedMigrations(database)).toBe(journal.entries.length);
  });

  it('run once when four instances start at the same moment on a fresh database', async () => {
    const database = await freshDatabase();
    // Four handles, as four instances would have: separate connections (the advisory lock serialises them).
    const handles: DatabaseHandle[] = [];
    for (let i = 0; i < 4; i += 1) {
      const handle = await openDatabase({ url: database.url, maxConnections: 2 });
      cleanups.push(() => handle.close());
      handles.push(handle);
    }
    await Promise.all(handles.map((handle) => handle.migrate()));
    for (const handle of handles) expect(await handle.migrationsApplied()).toBe(true);
    expect(await appliedMigrations(database)).toBe(journal.entries.length);
  });
});
