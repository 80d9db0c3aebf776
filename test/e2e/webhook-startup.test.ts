import { createServer } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/compose/bot.js';
import { createLogger } from '../../src/logger.js';
import { postCallback } from '../support/callback.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { testConfig } from '../support/harness.js';

const SECRET = 'Wc1x8RkQ2tVbN5mZ7pLd';
let fake: FakeVk;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeVk({ groupId: 7500 });
});
afterAll(async () => {
  await fake.close();
  await database.destroy();
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

describe('the Callback API endpoint during start-up', () => {
  it('answers 503 (deliver again later), not 404, until the bot takes updates, then handles events', async () => {
    const port = await freePort();
    const config = testConfig(fake, { VK_UPDATES: 'webhook', VK_CALLBACK_SECRET: SECRET, VK_CONFIRMATION_CODE: 'abc123', PORT: String(port) });
    // Migrations wait for the test: the HTTP server is up, the bot is not.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowDatabase = { ...database, migrate: async () => {
        await gate;
        return database.migrate();
      },
    };
    const starting = startApp({ config, logger: createLogger('silent', { pretty: false }), database: slowDatabase, scheduler: false, documentOrigins: [new URL(fake.url).origin] });
    const endpoint = `http://127.0.0.1:${port}/vk/callback`;
    const { update } = fake.createMessageUpdate(7501, 'Здравствуйте');
    let early = await postCallback(endpoint, { ...update, secret: SECRET }).catch(() => null);
    for (let i = 0; early === null && i < 100; i += 1) {
      await sleep(50);
      early = await postCallback(endpoint, { ...update, secret: SECRET }).catch(() => null);
    }
    expect(early).toEqual({ status: 503, body: 'not ready' });
    release();
    const app: App = await starting;
    try {
      expect(await postCallback(endpoint, { ...update, secret: SECRET })).toEqual({ status: 200, body: 'ok' });
    } finally {
      await app.stop();
    }
  });
});
