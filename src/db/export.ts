import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { type Database, migrationsFolder } from './connect.js';

/**
 * The whole database as one plain SQL script, the format `pg_dump --inserts` writes: the schema
 * (the migrations this database has applied, from migrations/, as drizzle ran them), drizzle's
 * journal of them, every row of every table as an INSERT, and every sequence's position. psql
 * loads it into an empty database on any PostgreSQL server, in one transaction:
 *
 *   psql -v ON_ERROR_STOP=1 -f dump.sql postgres://user@server/newdb
 *
 * after which the bot, pointed there with DATABASE_URL, finds every migration applied. Read in one
 * REPEATABLE READ transaction: a consistent snapshot while the bot keeps running.
 *
 * Values are written as the server prints them (the text output of each type, quoted), and read
 * back by the same type's input: the round trip of COPY's text format, for every column type.
 */
export async function exportDatabase(db: Database, write: (chunk: string) => void | Promise<void>): Promise<void> {
  await db.transaction(
    async (tx) => {
      const query = async <T>(text: string): Promise<T[]> => {
        const result = await tx.execute(sql.raw(text));
        // postgres.js returns the rows as an array, PGlite as `{ rows }`.
        return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
      };
      const [journalTable] = await query<{ exists: boolean }>("select to_regclass('drizzle.__drizzle_migrations') is not null as exists");
      if (!journalTable?.exists) throw new Error('The database is empty (no migration applied): start the bot once, or there is nothing to export');
      const applied = new Set((await query<{ created_at: string }>('select created_at::text from drizzle.__drizzle_migrations')).map((r) => Number(r.created_at)));
      const migrations = readMigrationFiles({ migrationsFolder }).filter((m) => applied.has(m.folderMillis));
      if (migrations.length !== applied.size) throw new Error('This database has applied migrations that are not in migrations/: export it with the version of the bot that made it');
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };

      await write(
        [
          '--',
          '-- Sferum onboarding bot: the whole database (npm run db:export). Plain SQL, as pg_dump --inserts writes it.',
          '-- Load into an empty database: psql -v ON_ERROR_STOP=1 -f this-file.sql postgres://user@server/newdb',
          '--',
          '',
          'BEGIN;',
          "SET client_encoding = 'UTF8';",
          'SET standard_conforming_strings = on;',
          'SET check_function_bodies = false;',
          'SET client_min_messages = warning;',
          "SET TIME ZONE 'UTC';",
          "SET datestyle = 'ISO, YMD';",
          '',
        ].join('\n'),
      );
      for (const migration of migrations) {
        const tag = journal.entries.find((e) => e.when === migration.folderMillis)?.tag ?? String(migration.folderMillis);
        await write(`\n-- Migration ${tag}\n\n${migration.sql.map((statement) => `${statement.trim()}\n`).join('\n')}`);
      }
      // drizzle's own journal table, as its migrator creates it.
      await write(
        '\n-- drizzle\'s journal of the migrations above\n\nCREATE SCHEMA IF NOT EXISTS drizzle;\nCREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);\n',
      );

      await query("set local time zone 'UTC'");
      await query("set local datestyle = 'ISO, YMD'");
      for (const table of await tablesInLoadOrder(query)) {
        const columns = await query<{ name: string }>(
          `select quote_ident(attname) as name from pg_attribute where attrelid = '${table}'::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
        );
        const names = columns.map((c) => c.name).join(', ');
        const values = columns.map((c) => `quote_nullable(${c.name}::text)`).join(` || ', ' || `);
        const rows = await query<{ line: string }>(`select 'INSERT INTO ${table} (${names}) VALUES (' || ${values} || ');' as line from ${table}`);
        await write(`\n-- Data of ${table}: ${rows.length} rows\n\n${rows.map((r) => `${r.line}\n`).join('')}`);
      }

      const sequences = await query<{ line: string }>(
        "select format('SELECT pg_catalog.setval(%L, %s, true);', quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value) as line from pg_sequences where schemaname in ('public', 'drizzle') and last_value is not null order by 1",
      );
      await write(`\n-- Sequences\n\n${sequences.map((s) => `${s.line}\n`).join('')}\nCOMMIT;\n`);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Every table of the public and drizzle schemas, qualified and quoted, each after the tables its
 * foreign keys point to (the schema has no cycles; a table that points to itself loads as is,
 * its rows in storage order).
 */
async function tablesInLoadOrder(query: <T>(text: string) => Promise<T[]>): Promise<string[]> {
  const tables = await query<{ name: string }>(
    "select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname in ('public', 'drizzle') order by 1",
  );
  const edges = await query<{ child: string; parent: string }>(
    "select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint where contype = 'f' and conrelid <> confrelid",
  );
  // regclass prints a public table without its schema: compare on that form.
  const short = (name: string) => name.replace(/^public\./, '');
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${[...path, name].join(' → ')}`);
    for (const edge of edges.filter((e) => e.child === short(name))) {
      const parent = tables.find((t) => short(t.name) === edge.parent);
      if (parent) visit(parent.name, [...path, name]);
    }
    ordered.push(name);
  };
  for (const table of tables) visit(table.name, []);
  return ordered;
}
