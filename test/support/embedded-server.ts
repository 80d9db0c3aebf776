import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedServer, openEmbeddedServer } from '../../src/db/embedded-server.js';

/**
 * A throwaway cluster for tests and benchmarks: the same server the bot embeds, with durability
 * off (a crash of the machine may lose it; nothing here outlives the run) and room for the
 * connections of many test files and the bot processes they start.
 */
const THROWAWAY_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300', shared_buffers: '64MB' };

export interface ThrowawayServer extends EmbeddedServer {
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

export async function startThrowawayServer(): Promise<ThrowawayServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sferum-db-'));
  // Run as root, the server is another user ("postgres"), who must reach its folder.
  chmodSync(dir, 0o755);
  const server = await openEmbeddedServer(dir, { whenRunning: 'refuse', role: 'a test run', settings: THROWAWAY_SETTINGS });
  return {
    ...server,
    async destroy() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
