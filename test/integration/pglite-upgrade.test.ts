import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, migrationsFolder, openDatabase } from '../../src/db/client.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { teachers } from '../../src/db/schema.js';
import { scratchDir } from '../support/scratch.js';
import { seedTeachers } from '../support/seed.js';

/** A DATA_DIR from an earlier version, where PGlite kept the database: its first start on the embedded server. */

const dataDir = scratchDir('pglite-upgrade-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('an earlier version’s PGlite data in DATA_DIR', () => {
  // Opening PGlite alone takes 3 s on a quiet machine and over 20 s on a busy one.
  it('moves into the embedded server on the first start, once, and the PGlite files are kept aside', { timeout: 180_000 }, async () => {
    const pglite = new PGlite(dataDir);
    const old = drizzle(pglite) as unknown as Database;
    await migrate(drizzle(pglite), { migrationsFolder });
    const school = await upsertConfiguredSchool(old, { slug: 'main', name: 'МКОУ «СОШ №4»', joinCode: 'SOSH4-2026' });
    await seedTeachers(old, school.id, [{ fullName: 'Сидорова Анна Ивановна', vkId: 4242, classes: ['5А'], done: ['messengers'] }]);
    await pglite.close();

    const messages: string[] = [];
    const first = await openDatabase({ dataDir, whenRunning: 'refuse', role: 'the test', log: (m) => messages.push(m) });
    try {
      expect(first.kind).toBe('embedded');
      expect(await first.migrationsApplied()).toBe(true);
      expect((await first.db.select().from(teachers)).map((t) => [t.fullName, t.vkId])).toEqual([['Сидорова Анна Ивановна', 4242]]);
    } finally {
      await first.close();
    }
    expect(messages[0]).toContain('holds a PGlite database from an earlier version');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    expect(existsSync(join(dataDir, 'pglite-before-upgrade', 'PG_VERSION'))).toBe(true);

    const again = await openDatabase({ dataDir, whenRunning: 'refuse', role: 'the test', log: (m) => messages.push(m) });
    try {
      expect(await again.db.select().from(teachers)).toHaveLength(1);
    } finally {
      await again.close();
    }
    expect(messages).toHaveLength(2);
  });
});
