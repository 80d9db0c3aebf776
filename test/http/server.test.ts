import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { getJson } from '../support/callback.js';

const logger = createLogger('silent', { pretty: false });
const servers: HttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(readiness: () => Promise<Record<string, boolean>>, port = 0): Promise<HttpServer> {
  const server = await startHttpServer({ host: '127.0.0.1', port, logger, readiness });
  servers.push(server);
  return server;
}

describe('the HTTP server', () => {
  it('is ready only when every check passes, and says which failed', async () => {
    let database = true;
    const server = await start(async () => ({ started: true, database }));
    const readyz = `http://127.0.0.1:${server.port}/readyz`;
    expect(await getJson(readyz)).toEqual({ status: 200, body: { ready: true, checks: { started: true, database: true } } });
    database = false;
    expect(await getJson(readyz)).toEqual({ status: 503, body: { ready: false, checks: { started: true, database: false } } });
    expect(await getJson(`http://127.0.0.1:${server.port}/healthz`)).toEqual({ status: 200, body: 'ok' });
  });

  it('answers a failing handler with 500 and keeps serving', async () => {
    const server = await start(async () => ({}));
    server.route('GET', '/boom', async () => {
      throw new Error('boom');
    });
    expect(await getJson(`http://127.0.0.1:${server.port}/boom`)).toEqual({ status: 500, body: 'internal error' });
    expect((await getJson(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });

  it('fails to start with a message naming PORT when the port is taken', async () => {
    const first = await start(async () => ({}));
    await expect(start(async () => ({}), first.port)).rejects.toThrow(`HTTP_HOST 127.0.0.1 PORT ${first.port} is already in use: choose another PORT`);
  });
});
