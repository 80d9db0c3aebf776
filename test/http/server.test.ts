import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createCallbackHandler } from '../../src/vk/callback.js';
import type { UpdateDispatcher } from '../../src/vk/updates.js';
import { getJson } from '../support/callback.js';

/** A raw loopback connection that records when the server closed it. */
async function rawConnection(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  let closed = false;
  socket.on('error', () => {});
  socket.on('data', () => {});
  socket.on('close', () => {
    closed = true;
  });
  await once(socket, 'connect');
  return { socket, closed: () => closed };
}

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

  it('drops connections over the limit as they arrive', async () => {
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, logger, readiness: async () => ({}), limits: { maxConnections: 3 } });
    servers.push(server);
    const connections = [];
    for (let i = 0; i < 6; i += 1) connections.push(await rawConnection(server.port));
    await sleep(300);
    expect(connections.map((c) => c.closed())).toEqual([false, false, false, true, true, true]);
    for (const c of connections) c.socket.destroy();
  });

  it('closes a connection whose headers trickle in slower than the headers timeout', async () => {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      readiness: async () => ({}),
      limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000 },
    });
    servers.push(server);
    const slow = await rawConnection(server.port);
    slow.socket.write('POST /vk/callback HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => slow.socket.write('X'), 100);
    const started = Date.now();
    while (!slow.closed() && Date.now() - started < 5000) await sleep(50);
    clearInterval(trickle);
    expect(slow.closed()).toBe(true);
    slow.socket.destroy();
  });

  it('logs a client that hangs up mid-body below error level', async () => {
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const captured = createLogger('debug', { pretty: false, destination });
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, logger: captured, readiness: async () => ({}) });
    servers.push(server);
    const dispatcher = { dispatch: async () => 'handled' } as unknown as UpdateDispatcher;
    server.route('POST', '/vk/callback', createCallbackHandler({ groupId: 1, secret: 'x'.repeat(20), confirmationCode: 'c', dispatcher, logger: captured }));
    const client = await rawConnection(server.port);
    client.socket.write('POST /vk/callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":');
    await sleep(100);
    client.socket.destroy();
    const started = Date.now();
    while (!lines.some((l) => l.msg.includes('went away')) && Date.now() - started < 3000) await sleep(50);
    expect(lines.filter((l) => l.msg.includes('went away')).map((l) => l.level)).toEqual([30]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});
