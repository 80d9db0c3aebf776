import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { sendText } from './io.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What /readyz reports: ready only when every check passes. */
export type ReadinessChecks = Record<string, boolean>;

export interface HttpServer {
  /** The port actually bound (differs from the configured one when that was 0). */
  readonly port: number;
  /** Serves `handler` for `method path` from now on. */
  route(method: 'GET' | 'POST', path: string, handler: RequestHandler): void;
  /** Stops accepting connections and waits for the requests in progress, at most `graceMs`. */
  close(): Promise<void>;
}

/** Idle keep-alive connections outlive a typical proxy's 60 s, so the proxy never reuses one we are closing. */
const KEEP_ALIVE_MS = 65_000;
/** The headers must arrive within this time, the whole request (a Callback API event is a few KB) within the next. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * Open connections at most; more are dropped as they arrive. VK delivers a community's events a
 * few at a time and probes are one each: 256 is ample, and bounds what slow clients can hold.
 */
const MAX_CONNECTIONS = 256;

/** A client that hung up mid-request: its business, not an error of ours. */
const isClientAbort = (req: IncomingMessage, error: unknown): boolean =>
  req.destroyed || (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET' || (error as Error | undefined)?.message === 'aborted';

/**
 * The bot's HTTP server (node:http, no framework): `GET /healthz` (the process is alive),
 * `GET /readyz` (it can take traffic: database reachable, migrations applied, not stopping) in
 * both modes, and whatever the app routes on it — the Callback API endpoint in webhook mode.
 */
export async function startHttpServer(deps: {
  host: string;
  port: number;
  logger: Logger;
  readiness: () => Promise<ReadinessChecks>;
  graceMs?: number;
  /** Tests lower these; production keeps the defaults above. */
  limits?: { maxConnections?: number; headersTimeoutMs?: number; requestTimeoutMs?: number };
}): Promise<HttpServer> {
  const { host, logger, readiness, graceMs = 10_000 } = deps;
  const { maxConnections = MAX_CONNECTIONS, headersTimeoutMs = HEADERS_TIMEOUT_MS, requestTimeoutMs = REQUEST_TIMEOUT_MS } = deps.limits ?? {};
  const routes = new Map<string, Map<string, RequestHandler>>();
  let closing = false;

  const route = (method: string, path: string, handler: RequestHandler): void => {
    const byMethod = routes.get(path) ?? new Map<string, RequestHandler>();
    byMethod.set(method, handler);
    routes.set(path, byMethod);
  };

  route('GET', '/healthz', async (_req, res) => sendText(res, 200, 'ok'));
  route('GET', '/readyz', async (_req, res) => {
    const checks = await readiness();
    const ready = Object.values(checks).every(Boolean);
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ ready, checks }));
  });

  const options = {
    keepAliveTimeout: KEEP_ALIVE_MS,
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    // How often Node looks for requests past those timeouts (default 30 s: a slow client would get 40).
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
  };
  const server: Server = createServer(options, (req, res) => {
    if (closing) res.setHeader('connection', 'close');
    // A keep-alive connection whose request was in flight when closing began goes idle afterwards.
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const byMethod = routes.get(path);
    const handler = byMethod?.get(req.method ?? '');
    if (!byMethod) return sendText(res, 404, 'not found');
    if (!handler) {
      res.setHeader('allow', [...byMethod.keys()].join(', '));
      return sendText(res, 405, 'method not allowed');
    }
    handler(req, res).catch((error: unknown) => {
      if (isClientAbort(req, error)) {
        logger.info({ path }, 'HTTP client went away mid-request');
        res.destroy();
        return;
      }
      logger.error({ err: error, path }, 'HTTP handler failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  server.maxConnections = maxConnections;
  server.listen(deps.port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`HTTP_HOST ${host} PORT ${deps.port} is already in use: choose another PORT`, { cause: error });
    if (code === 'EADDRNOTAVAIL') throw new Error(`HTTP_HOST ${host} is not an address of this machine`, { cause: error });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  logger.info({ host, port }, 'HTTP server listening');

  return {
    port,
    route,
    async close() {
      if (closing) return;
      closing = true;
      const closed = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
