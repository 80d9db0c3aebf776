import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPostgresFix, hasPostgresFix, installedPostgresConnection } from '../../src/db/postgres-fix.js';

/** `nextWrite` as postgres.js 3.4.9 ships it, as the former postinstall guard left it, and as fixed. */
const nextWrite = {
  released: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)
    nextWriteTimer !== null && clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    return x
  }
`,
  dropsTheWrite: `  function nextWrite(fn) {
    if (!socket) { chunk = nextWriteTimer = null; return false }
    const x = socket.write(chunk, fn)
    nextWriteTimer !== null && clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    return x
  }
`,
};
const scratch = mkdtempSync(join(tmpdir(), 'postgres-fix-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the postgres.js fix for porsager/postgres#1208', () => {
  it('is in the installed postgres.js', () => {
    expect(installedPostgresConnection()).toMatch(/node_modules[/\\]postgres[/\\]src[/\\]connection\.js$/);
    expect(() => assertPostgresFix()).not.toThrow();
  });

  it('refuses, with a message naming the file, the issue and the way out, a postgres.js that throws or drops the write', () => {
    const installed = readFileSync(installedPostgresConnection(), 'utf8');
    const fixed = /  function nextWrite\(fn\) \{\n[\s\S]*?\n {2}\}\n/.exec(installed)![0];
    expect(hasPostgresFix(installed)).toBe(true);
    for (const [name, body] of Object.entries(nextWrite)) {
      const path = join(scratch, `${name}.js`);
      writeFileSync(path, installed.replace(fixed, body));
      expect(hasPostgresFix(readFileSync(path, 'utf8'))).toBe(false);
      expect(() => assertPostgresFix(path)).toThrow(new RegExp(`postgres\\.js at ${path.replace(/[\\.]/g, '\\$&')} lacks the fix for porsager/postgres#1208 .*npm ci`));
    }
  });

  // The scenario of the issue, on a real server: a reserved connection's backend is terminated, then
  // a query goes to it. 3.4.9 crashed the process (a TypeError from a timer); the former guard dropped
  // the write and the query waited forever (what HANDLE_DEADLINE_MS in src/vk/updates.ts caught).
  it.runIf(process.env.DATABASE_URL)('rejects a query sent to a connection whose server went away, at once, instead of crashing or hanging', async () => {
    const url = process.env.DATABASE_URL!;
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const killer = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await killer`select pg_terminate_backend(${row!.pid})`;
      // The close reaches the client a moment later.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const outcome = await Promise.race([
        reserved`select 1`.then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
      ]);
      expect(outcome).toBe('CONNECTION_CLOSED');
      expect(performance.now() - started).toBeLessThan(1000);
      reserved.release();
    } finally {
      await killer.end({ timeout: 1 });
      await sql.end({ timeout: 1 });
    }
  });
});
