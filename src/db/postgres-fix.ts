import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * postgres.js 3.4.9 (the latest release) throws from a timer when a connection closes with a write
 * pending: an uncaught TypeError that kills the process (porsager/postgres#1208, also #1066, #1154;
 * seen here when the database server restarts). The fix proposed upstream (PR #1209, not merged) is
 * installed from vendor/postgres-3.4.9-pr1209.tgz: the npm tarball with vendor/postgres-3.4.9-pr1209.patch
 * applied. It is an ordinary `file:` dependency pinned by the lockfile's integrity hash, so `npm ci`
 * installs it with or without install scripts (vendor/README.md says how it is built). A later
 * `npm install postgres@…` would silently bring the crash back: the database refuses to open then.
 */
const POSTGRES_FIX_ISSUE = 'porsager/postgres#1208';

/** The installed postgres.js connection module, the one `import 'postgres'` loads. */
export function installedPostgresConnection(): string {
  return fileURLToPath(new URL('connection.js', import.meta.resolve('postgres')));
}

/**
 * True when postgres.js's `nextWrite` settles a write that finds its connection closed (rejects the
 * query) instead of throwing (3.4.9) or dropping it, which left the query waiting forever.
 */
export function hasPostgresFix(connectionSource: string): boolean {
  const nextWrite = /function nextWrite\(fn\) \{\n([\s\S]*?)\n {2}\}\n/.exec(connectionSource)?.[1] ?? '';
  const guard = /if \(!socket\) \{([\s\S]*?)\}/.exec(nextWrite)?.[1] ?? '';
  return /\berror\(Errors\.connection\('CONNECTION_CLOSED'/.test(guard) && nextWrite.indexOf('if (!socket)') < nextWrite.indexOf('socket.write(');
}

/** Throws, naming the file and the way out, when the installed postgres.js lacks the fix. */
export function assertPostgresFix(path: string = installedPostgresConnection()): void {
  if (hasPostgresFix(readFileSync(path, 'utf8'))) return;
  throw new Error(
    `postgres.js at ${path} lacks the fix for ${POSTGRES_FIX_ISSUE} (a restart of the database server would crash the bot or hang a query). ` +
      'Install the dependencies from the lockfile with `npm ci`, which installs vendor/postgres-3.4.9-pr1209.tgz; see vendor/README.md.',
  );
}
