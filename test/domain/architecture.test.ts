import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../src');
const FORBIDDEN = ['vk-io', 'drizzle-orm', 'postgres', '@electric-sql/pglite', 'node-cron', 'pino', 'node:fs', 'node:http'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('architecture', () => {
  it('src/domain imports no transport, storage, scheduler or logging library and no adapter', () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, 'domain'))) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const target of imports) {
        const forbiddenPackage = FORBIDDEN.some((name) => target === name || target.startsWith(`${name}/`));
        const adapter = /^\.\.?\//.test(target) && /\/(db|vk|scheduler|reports|sandbox|fake-vk)\//.test(`/${relative(root, join(file, '..', target))}`);
        if (forbiddenPackage || adapter) offenders.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(sources(join(root, 'domain')).length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
