import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentFetcher, isForbiddenAddress, publicOnlyLookup } from '../../src/vk/document-fetcher.js';

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
    if (req.url === '/redirect-away') {
      // Another origin (the same server by another name): not on the allow-list.
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/small` });
      return res.end();
    }
    if (req.url === '/redirect-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
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

// The test server is named explicitly, as the tests' fake VK is: production names no origin.
let fetcher: ReturnType<typeof createDocumentFetcher>;
beforeAll(() => {
  fetcher = createDocumentFetcher({ maxBytes: 5000, timeoutMs: 300, extraOrigins: [base] });
});

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

  it('refuses anything but https from VK document hosts unless the origin is named, and checks every redirect', async () => {
    const production = createDocumentFetcher({ maxBytes: 5000, timeoutMs: 300 });
    await expect(production.fetch(`${base}/small`)).rejects.toMatchObject({ code: 'download' });
    await expect(production.fetch('http://vk.com/doc1_2')).rejects.toMatchObject({ code: 'download' });
    await expect(production.fetch('https://evil.example/doc1_2')).rejects.toMatchObject({ code: 'download' });
    await expect(production.fetch('https://vk.com.evil.example/doc')).rejects.toMatchObject({ code: 'download' });
    await expect(production.fetch('https://user:pw@vk.com/doc')).rejects.toMatchObject({ code: 'download' });
    await expect(production.fetch('https://vk.com:8443/doc')).rejects.toMatchObject({ code: 'download' });
    await expect(fetcher.fetch(`${base}/redirect-away`)).rejects.toMatchObject({ code: 'download' });
    await expect(fetcher.fetch(`${base}/redirect-metadata`)).rejects.toMatchObject({ code: 'download' });
  });

  it('never connects to loopback, private, link-local or mapped addresses', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isForbiddenAddress(address), address).toBe(true);
    }
    for (const address of ['87.240.129.133', '95.142.206.1', '2a00:bdc0:3:103:1:0:403:901']) expect(isForbiddenAddress(address), address).toBe(false);
    // A VK-looking name that resolves to a private address is refused at connect time (DNS rebinding included).
    const error = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', {}, (e) => resolve(e)));
    expect(error?.message).toMatch(/non-public/);
  });
});
