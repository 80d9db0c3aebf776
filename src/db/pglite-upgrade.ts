import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, connectTo } from './connect.js';
import { exportDatabase } from './export.js';

/**
 * Earlier versions kept the embedded database in PGlite, its files right in DATA_DIR. The first
 * start of this version moves that data into the embedded server: PGlite's database is exported
 * (src/db/export.ts) and loaded in one transaction, then PGlite's files go to
 * DATA_DIR/pglite-before-upgrade, kept as a backup. A crash half-way repeats the step that did not
 * finish: the load is skipped when the server already holds the data.
 */
/** The files of a PostgreSQL cluster, which is what PGlite keeps in its folder. */
const PGLITE_FILES = /^(PG_VERSION|base|global|pg_[a-z_]+|postgresql(\.auto)?\.conf|postmaster\.(opts|pid))$/;

export function hasPgliteData(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

export async function upgradeFromPglite(dataDir: string, serverUrl: string, log: (message: string) => void): Promise<void> {
  const target = connectTo(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [loaded] = await target<{ exists: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
    if (!loaded?.exists) {
      log(`DATA_DIR ${dataDir} holds a PGlite database from an earlier version: moving its data into the embedded PostgreSQL server`);
      const [{ PGlite }, { drizzle }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
      const pglite = new PGlite(dataDir);
      const chunks: string[] = [];
      try {
        await exportDatabase(drizzle(pglite) as unknown as Database, (chunk) => void chunks.push(chunk));
      } finally {
        await pglite.close();
      }
      // One script in one simple query: its BEGIN … COMMIT makes the load all or nothing.
      await target.unsafe(chunks.join('')).simple();
    }
  } finally {
    await target.end({ timeout: 5 });
  }
  const backup = join(dataDir, 'pglite-before-upgrade');
  mkdirSync(backup, { recursive: true });
  for (const name of readdirSync(dataDir)) if (PGLITE_FILES.test(name)) renameSync(join(dataDir, name), join(backup, name));
  log(`The PGlite files are kept in ${backup}; delete that folder once the bot runs well`);
}
