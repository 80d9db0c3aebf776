import { randomBytes } from 'node:crypto';
import { type DatabaseHandle, connectTo, openDatabase } from '../../src/db/client.js';
import { type ThrowawayServer, startThrowawayServer } from './embedded-server.js';

export interface TestDatabase extends DatabaseHandle {
  /** The connection URL, which other processes (a bot, a job) can use too. */
  url: string;
  /** Closes the connection and drops the database the test created. */
  destroy(): Promise<void>;
}

/** Outside vitest (benchmarks, drills): one embedded server for this process, stopped when it exits. */
let ownServer: Promise<ThrowawayServer> | undefined;

/** The server test databases are created on: DATABASE_URL's, else the embedded one (test/support/global-setup.ts). */
async function serverUrl(): Promise<string> {
  const url = process.env.DATABASE_URL ?? process.env.EMBEDDED_TEST_DATABASE_URL;
  if (url) return url;
  ownServer ??= startThrowawayServer().then((server) => {
    process.once('beforeExit', () => void server.destroy());
    return server;
  });
  return (await ownServer).url;
}

/**
 * A fresh database for one test file, migrated unless `migrate: false`, dropped by `destroy`: on
 * DATABASE_URL's server when set, otherwise on the embedded server the bot uses by default.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const server = await serverUrl();
  const name = `sferum_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = connectTo(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: 5 });
  if (migrate) await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    async destroy() {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
