import { startThrowawayServer } from './embedded-server.js';

/**
 * Without DATABASE_URL the whole run shares one embedded server (the bot's embedded default), and
 * each test file creates its own database on it, as it does on DATABASE_URL's server
 * (test/support/database.ts). Test files run in worker processes started after this, which
 * inherit EMBEDDED_TEST_DATABASE_URL.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const server = await startThrowawayServer();
  process.env.EMBEDDED_TEST_DATABASE_URL = server.url;
  return () => server.destroy();
}
