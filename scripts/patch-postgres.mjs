// Guards postgres.js (3.4.x) against a crash on a dropped connection, until upstream ships the fix:
// https://github.com/porsager/postgres/issues/1208 (also #1066, #1154; fix proposed in PR #1168/#1176).
//
// A small write is deferred with setImmediate; when the server restarts, the connection closes and
// sets `socket = null` first, then the deferred `nextWrite` calls `socket.write` and throws from a
// timer callback — an uncaught TypeError that kills the process. The query itself has already been
// rejected with CONNECTION_CLOSED (and the bot retries it), so the buffered write can be dropped.
// Teardown also leaves `nextWriteTimer` non-null, which stops that connection from ever flushing again.
//
// Runs on `npm ci` / `npm install` (postinstall). Idempotent; fails loudly if the code it expects is gone
// without the fix being there, so an upgrade cannot silently drop the guard.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let root;
try {
  // The package's exports hide package.json: resolve its CommonJS entry (cjs/src/index.js) instead.
  root = join(dirname(require.resolve('postgres')), '..', '..');
} catch {
  process.exit(0); // not installed: nothing to patch
}

const MARK = '/* sferum-bot: guarded nextWrite */';
const edits = [
  [
    'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) { chunk = nextWriteTimer = null; return false }\n    const x = socket.write(chunk, fn)`,
  ],
  ['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n    if (socket) {'],
  ['    clearImmediate(nextWriteTimer)\n    socket.removeListener', '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n    socket.removeListener'],
];

let patched = 0;
for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
  const path = join(root, file);
  let source = readFileSync(path, 'utf8');
  if (source.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (!source.includes(from)) {
      console.error(`patch-postgres: ${file} no longer contains the code this guard expects; check whether postgres.js fixed issue #1208 and update scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    source = source.replace(from, to);
  }
  writeFileSync(path, source);
  patched += 1;
}
if (patched > 0) console.log(`patch-postgres: nextWrite guarded against a closed socket (${patched} files)`);
