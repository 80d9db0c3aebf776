import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import { type Database, connectTo, migrationsFolder } from './connect.js';
import { type WhenRunning, openEmbeddedServer } from './embedded-server.js';
import { hasPgliteData, upgradeFromPglite } from './pglite-upgrade.js';
import { assertPostgresFix } from './postgres-fix.js';
import * as schema from './schema.js';

// The connection basics live in connect.ts, which the PGlite upgrade and the export use too (no import cycle).
export { type Database, type Schema, connectTo, migrationsFolder } from './connect.js';

export interface DatabaseHandle {
  db: Database;
  /** `embedded`: the server this process runs (or shares) in DATA_DIR; `postgres`: DATABASE_URL's. */
  kind: 'postgres' | 'embedded';
  /** Applies pending migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** True when the database answers; used by readiness checks. */
  ping(): Promise<boolean>;
  /** True when every migration in migrations/ is applied; false before `migrate` or on any error. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

/** Arbitrary constant: the key of the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 6410_2024;

/**
 * drizzle's migrator applies every migration newer than the newest row of its journal table, so
 * "all applied" means that row is at least as new as the last migration on disk.
 */
async function migrationsApplied(db: Database): Promise<boolean> {
  const newestOnDisk = Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  try {
    const rows = (await db.execute(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`)) as unknown as { newest: string | null }[];
    const newest = rows[0]?.newest;
    return newest != null && Number(newest) >= newestOnDisk;
  } catch {
    // No journal table yet: nothing was migrated.
    return false;
  }
}

export type DatabaseOptions =
  | {
      url: string;
      maxConnections?: number;
      /** Called with the text of every statement sent, BEGIN and COMMIT included (profiling). */
      onQuery?: (query: string) => void;
    }
  /**
   * The embedded server in `dataDir` (src/db/embedded-server.ts). `whenRunning`: what to do when
   * another process already runs it: share it (a job) or refuse with a message naming it (a bot).
   */
  | {
      dataDir: string;
      whenRunning: WhenRunning;
      role: string;
      /** Told what happens once, when an earlier version's PGlite data in dataDir moves into the server. */
      log?: (message: string) => void;
    };

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
    const client = connectTo(options.url, {
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
        const lockClient = connectTo(options.url, { max: 1, onnotice: () => {} });
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
  const server = await openEmbeddedServer(options.dataDir, { whenRunning: options.whenRunning, role: options.role });
  try {
    if (server.owned && hasPgliteData(options.dataDir)) await upgradeFromPglite(options.dataDir, server.url, options.log ?? (() => {}));
    const handle = await openDatabase({ url: server.url, maxConnections: 5 });
    return {
      ...handle,
      kind: 'embedded',
      async close() {
        await handle.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
