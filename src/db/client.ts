import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { assertPostgresFix } from './postgres-fix.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** Either driver: repositories are written once against this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** True when the database answers; used by readiness checks. */
  ping(): Promise<boolean>;
  /** True when every migration in migrations/ is applied; false before `migrate` or on any error. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Arbitrary constant: the key of the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 6410_2024;

/**
 * drizzle's migrator applies every migration newer than the newest row of its journal table, so
 * "all applied" means that row is at least as new as the last migration on disk.
 */
async function migrationsApplied(db: Database): Promise<boolean> {
  const newestOnDisk = Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  try {
    const result = await db.execute(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`);
    // postgres.js returns the rows as an array, PGlite as `{ rows }`.
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { newest: string | null }[];
    const newest = rows[0]?.newest;
    return newest != null && Number(newest) >= newestOnDisk;
  } catch {
    // No journal table yet: nothing was migrated.
    return false;
  }
}

/**
 * PGlite runs in this process only, but several apps in one process (tests) may share a handle:
 * their migrations run one after another, like the advisory lock does for Postgres.
 */
const pgliteMigrations = new WeakMap<PGlite, Promise<void>>();

export type DatabaseOptions =
  | {
      url: string;
      maxConnections?: number;
      /** Called with the text of every statement sent, BEGIN and COMMIT included (profiling). */
      onQuery?: (query: string) => void;
    }
  /** Embedded PGlite: `dataDir` persists on disk; omitted, the database lives in memory. */
  | { dataDir?: string };

/**
 * drizzle runs its queries through postgres.js's `unsafe` with `prepare: false` (unless a query was
 * given a name), and postgres.js then has the server describe every unnamed statement with
 * parameters before it binds them: two round trips per statement, and nothing else is sent on the
 * connection meanwhile. Prepared (`prepare: true`), a statement is described once per connection;
 * from then on it is one round trip, pipelined with the statements issued after it. The server keeps
 * each connection's statements until the connection closes; one whose plan a migration made stale is
 * prepared again (postgres.js retries it).
 */
function preparingStatements<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      // Transactions and savepoints hand drizzle a client of their own: it prepares the same way.
      if (property === 'begin' || property === 'savepoint') {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) =>
          open.apply(
            target,
            args.map((arg) => (typeof arg === 'function' ? (inner: postgres.Sql) => (arg as (sql: postgres.Sql) => unknown)(preparingStatements(inner)) : arg)),
          );
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if ('url' in options) {
    assertPostgresFix();
    const { onQuery } = options;
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}),
    });
    const db = drizzlePostgres(preparingStatements(client), { schema }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      async migrate() {
        // drizzle's migrator takes no lock. One dedicated connection holds a session advisory lock
        // while it migrates, so instances starting together run the migrations exactly once.
        const lockClient = postgres(options.url, { max: 1, onnotice: () => {} });
        try {
          await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
          await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder });
          await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        } finally {
          await lockClient.end({ timeout: 5 });
        }
      },
      async ping() {
        try {
          await client`select 1`;
          return true;
        } catch {
          return false;
        }
      },
      migrationsApplied: () => migrationsApplied(db),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Loaded only when used: PGlite's module alone adds some 45 MB to a process that talks to Postgres.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = new PGlite(options.dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    migrate() {
      const previous = pgliteMigrations.get(client) ?? Promise.resolve();
      const current = previous.catch(() => {}).then(() => migratePglite(drizzlePglite(client), { migrationsFolder }));
      pgliteMigrations.set(client, current);
      return current;
    },
    async ping() {
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    migrationsApplied: () => migrationsApplied(db),
    close: () => client.close(),
  };
}
