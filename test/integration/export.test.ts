import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, openDatabase } from '../../src/db/client.js';
import { exportDatabase } from '../../src/db/export.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { auditLog, schools } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { ALL_TASKS, seedTeachers, setDeadline } from '../support/seed.js';

/**
 * `npm run db:export`: the embedded database (or DATABASE_URL's) as a plain SQL script, loaded
 * with psql into a fresh database on a PostgreSQL server, compared table by table.
 */

/** The server the dump is loaded into: DATABASE_URL's, else the machine's on 127.0.0.1:5432, else the embedded test server. */
async function targetServer(): Promise<string> {
  const candidates = [process.env.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres', process.env.EMBEDDED_TEST_DATABASE_URL];
  for (const url of candidates) {
    if (!url) continue;
    const probe = connectTo(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      return url;
    } catch {
      // Not reachable: the next one.
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  throw new Error('no PostgreSQL server to load the dump into');
}

const hasPsql = spawnSync('psql', ['--version']).status === 0;

let source: TestDatabase;
let admin: postgres.Sql;
let targetUrl: string;
let targetName: string;
let scratch: string;

beforeAll(async () => {
  source = await createTestDatabase();
  const server = await targetServer();
  admin = connectTo(server, { max: 1, onnotice: () => {} });
  targetName = `sferum_export_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database "${targetName}"`);
  const url = new URL(server);
  url.pathname = `/${targetName}`;
  targetUrl = url.toString();
  scratch = mkdtempSync(join(tmpdir(), 'export-'));
});
afterAll(async () => {
  await source.destroy();
  await admin.unsafe(`drop database if exists "${targetName}" with (force)`);
  await admin.end({ timeout: 5 });
  rmSync(scratch, { recursive: true, force: true });
});

/** Every table of the public and drizzle schemas, with a digest of all its rows (as text, sorted). */
async function contents(url: string): Promise<Record<string, { rows: number; digest: string }>> {
  const client = connectTo(url, { max: 1, onnotice: () => {} });
  try {
    await client`set time zone 'UTC'`;
    const tables = await client<{ name: string }[]>`
      select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname in ('public', 'drizzle') order by 1`;
    const result: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables) {
      const [row] = await client.unsafe<{ rows: number; digest: string | null }[]>(
        `select count(*)::int as rows, md5(string_agg(t::text, E'\\n' order by t::text)) as digest from ${name} t`,
      );
      result[name] = { rows: row!.rows, digest: row!.digest ?? '' };
    }
    const sequences = await client<{ name: string; last_value: string | null }[]>`
      select schemaname || '.' || sequencename as name, last_value::text from pg_sequences order by 1`;
    for (const s of sequences) result[`sequence ${s.name}`] = { rows: 0, digest: s.last_value ?? 'unused' };
    return result;
  } finally {
    await client.end({ timeout: 5 });
  }
}

describe('npm run db:export', () => {
  it(`writes a script that ${hasPsql ? 'psql' : 'a client'} loads into a fresh database on a server, nothing lost`, async () => {
    const school = await upsertConfiguredSchool(source.db, { slug: 'main', name: 'МКОУ «СОШ №4»', joinCode: 'КОД-2026' });
    await source.db.update(schools).set({ reminderPolicy: { window: { from: '09:00', to: '18:00' } }, joinCodeRotatedAt: new Date('2026-12-01T07:00:00Z') });
    await setDeadline(source.db, school.id, '2026-12-25');
    // Quotes, backslashes, a newline, Cyrillic and an emoji: what a teacher may type.
    const ids = await seedTeachers(source.db, school.id, [
      { fullName: "O'Нил \\ «Анна»\nИвановна 📚", vkId: 9001, classes: ['5А', '7Б'], done: ['messengers', 'chats'] },
      { fullName: 'Петров Пётр', vkId: 9002, done: ALL_TASKS, finishedAt: new Date('2026-12-03T12:34:56.789Z') },
      { fullName: 'Без ВК', vkId: null, startedAt: null, leaveUntil: '2026-12-20' },
    ]);
    await source.db.insert(auditLog).values({ schoolId: school.id, teacherId: ids[0]!, actor: 'system', action: 'test', details: { quote: "it's", nested: [1, null, 'два'] } });

    const chunks: string[] = [];
    await exportDatabase(source.db, (chunk) => void chunks.push(chunk));
    const file = join(scratch, 'dump.sql');
    writeFileSync(file, chunks.join(''));

    if (hasPsql) {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, targetUrl], { stdio: ['ignore', 'ignore', 'pipe'] });
    } else {
      const client = connectTo(targetUrl, { max: 1, onnotice: () => {} });
      await client.unsafe(chunks.join('')).simple();
      await client.end({ timeout: 5 });
    }

    const before = await contents(source.url);
    const after = await contents(targetUrl);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual(before);
    expect(before['public.teachers']?.rows).toBe(3);
    expect(before['public.task_completions']?.rows).toBe(3 + 6);
    expect(before['public.audit_log']?.rows).toBe(1);

    // The bot pointed at the new database finds every migration applied, and new rows get new ids.
    const target = await openDatabase({ url: targetUrl, maxConnections: 1 });
    try {
      expect(await target.migrationsApplied()).toBe(true);
      await target.migrate();
      const [row] = await target.db.insert(auditLog).values({ schoolId: school.id, actor: 'system', action: 'after' }).returning();
      expect(row!.id).toBeGreaterThan(Number((before['sequence public.audit_log_id_seq'] ?? { digest: '0' }).digest));
    } finally {
      await target.close();
    }
  });
});
