import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import type * as schema from './schema.js';

export type Schema = typeof schema;
/** Either driver: repositories are written once against this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * libpq reads a Unix socket's directory from `?host=/dir` (as psql does: the embedded server's URL);
 * postgres.js takes the socket's path as an option instead.
 */
export function connectTo(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  const parsed = new URL(url);
  const socketDir = parsed.searchParams.get('host');
  if (!socketDir?.startsWith('/')) return postgres(url, options);
  parsed.searchParams.delete('host');
  return postgres(parsed.toString(), { ...options, path: `${socketDir}/.s.PGSQL.${parsed.port || '5432'}` });
}
