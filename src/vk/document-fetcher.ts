import { lookup } from 'node:dns';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, type LookupFunction, isIP } from 'node:net';
import type { DocumentFetcher } from '../domain/admin/ports.js';
import { RosterFileError } from '../domain/admin/ports.js';

/**
 * Hosts VK serves message documents from: `vk.com/doc…` links redirect to `*.userapi.com` and the
 * like. A host matches itself or any subdomain.
 */
export const VK_DOCUMENT_HOSTS: readonly string[] = ['vk.com', 'vk.ru', 'vk.me', 'userapi.com', 'vkuser.net', 'vkuserdoc.net', 'vk-cdn.net', 'mycdn.me'];

const MAX_REDIRECTS = 5;

/** Addresses a document download must never reach: loopback, private, link-local, CGNAT, multicast, reserved. */
const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv6');
}

/** True for an address a download must not connect to (IPv4-mapped IPv6 is checked as IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return forbidden.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves like `dns.lookup`, then refuses the connection when any resolved address is forbidden. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad || addresses.length === 0) return callback(new Error('document host resolves to a non-public address'), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
    const [first] = addresses;
    return callback(null, first!.address, first!.family);
  });
};

export interface DocumentFetcherOptions {
  maxBytes: number;
  timeoutMs?: number;
  /**
   * Exact origins (`http://127.0.0.1:4567`) allowed besides VK's https document hosts, with no
   * address check: the local fake VK of tests and of the sandbox. Production never sets it (no
   * configuration variable reaches it), so there only VK's hosts over https on public addresses work.
   */
  extraOrigins?: readonly string[];
}

/**
 * Downloads a document an administrator sent: https from VK's document hosts only (or an origin
 * named in `extraOrigins`), each redirect checked again, never to a private or link-local address,
 * at most `maxBytes` (declared and while reading), within `timeoutMs` in all. Anything else is a
 * RosterFileError.
 */
export function createDocumentFetcher(options: DocumentFetcherOptions): DocumentFetcher {
  const { maxBytes, timeoutMs = 15_000, extraOrigins = [] } = options;

  /** How `url` may be fetched: 'vk' (https, public addresses), 'extra' (named origin) or null (refused). */
  function kindOf(url: URL): 'vk' | 'extra' | null {
    if (extraOrigins.includes(url.origin)) return 'extra';
    if (url.protocol !== 'https:' || url.username || url.password || (url.port !== '' && url.port !== '443')) return null;
    const host = url.hostname.toLowerCase();
    return VK_DOCUMENT_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`)) ? 'vk' : null;
  }

  function get(url: URL, kind: 'vk' | 'extra', signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(url, { method: 'GET', signal, ...(kind === 'vk' ? { lookup: publicOnlyLookup } : {}) }, resolve);
      req.on('error', reject);
      req.end();
    });
  }

  async function read(response: IncomingMessage): Promise<Uint8Array> {
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      response.destroy();
      throw new RosterFileError('too_big');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        response.destroy();
        throw new RosterFileError('too_big');
      }
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  return {
    async fetch(address) {
      let url: URL;
      try {
        url = new URL(address);
      } catch (error) {
        throw new RosterFileError('download', { cause: error });
      }
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
          const kind = kindOf(url);
          if (!kind) throw new RosterFileError('download');
          const response = await get(url, kind, signal);
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400 && response.headers.location) {
            response.resume();
            url = new URL(response.headers.location, url);
            continue;
          }
          if (status !== 200) {
            response.resume();
            throw new RosterFileError('download');
          }
          return await read(response);
        }
        throw new RosterFileError('download');
      } catch (error) {
        if (error instanceof RosterFileError) throw error;
        throw new RosterFileError('download', { cause: error });
      }
    },
  };
}
