import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentFetcher } from '../../src/vk/document-fetcher.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') return res.end('roster');
    if (req.url === '/declared-big') {
      res.writeHead(200, { 'content-length': String(10_000) });
      return res.end(Buffer.alloc(10_000));
    }
    if (req.url === '/chunked-big') {
      // No length header: the cap must hold while reading.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i += 1) res.write(Buffer.alloc(1000));
      return res.end();
    }
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/small' });
      return res.end();
    }
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const fetcher = createDocumentFetcher({ maxBytes: 5000, timeoutMs: 300 });

describe('document fetcher', () => {
  it('downloads a small file, following a redirect', async () => {
    expect(new TextDecoder().decode(await fetcher.fetch(`${base}/small`))).toBe('roster');
    expect(new TextDecoder().decode(await fetcher.fetch(`${base}/redirect`))).toBe('roster');
  });

  it('refuses more than the cap, declared or streamed', async () => {
    await expect(fetcher.fetch(`${base}/declared-big`)).rejects.toMatchObject({ code: 'too_big' });
    await expect(fetcher.fetch(`${base}/chunked-big`)).rejects.toMatchObject({ code: 'too_big' });
  });

  it('gives up on a slow server, a missing file and anything but http(s)', async () => {
    await expect(fetcher.fetch(`${base}/slow`)).rejects.toMatchObject({ code: 'download' });
    await expect(fetcher.fetch(`${base}/missing`)).rejects.toMatchObject({ code: 'download' });
    await expect(fetcher.fetch('file:///etc/passwd')).rejects.toMatchObject({ code: 'download' });
    await expect(fetcher.fetch('not a url')).rejects.toMatchObject({ code: 'download' });
  });
});
