// Compiles src/ to plain JavaScript for production (`node dist/main.js`): no TypeScript loader in
// the running bot, which saves some 75 MB of memory per process (docs/BENCHMARKS.md, RSS).
// `node scripts/build.mjs [outDir]`, default dist/. src/ and dist/ are siblings, so paths a module
// resolves from its own URL (../../migrations) hold in both.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
// Files the code reads from beside itself (the sandbox's page); JSON imports are emitted by tsc.
cpSync(join(root, 'src'), outDir, { recursive: true, filter: (path) => !/\.[a-z]+$/i.test(path) || path.endsWith('.html') });
