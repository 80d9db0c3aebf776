/** Injected failures: queued ones (`failNext`), random ones for drills (`failRandomly`), and how they hit a request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type Params } from './api.js';
import type { InjectedFailure, RandomFaults, TransportFailure } from './types.js';

interface PendingFailure {
  failure: InjectedFailure;
  remaining: number;
}

/** Thrown out of a method call to fail the whole HTTP request carrying it (random faults). */
export class RandomTransportFault extends Error {
  constructor(readonly failure: TransportFailure) {
    super('transport fault');
  }
}

export class Faults {
  readonly randomFaults: { method: string; failure: InjectedFailure | { slow: number }; peerId?: number }[] = [];
  private readonly failures = new Map<string, PendingFailure[]>();
  private faults: RandomFaults | null = null;

  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, remaining: times });
    this.failures.set(method, queue);
  }

  failRandomly(faults: RandomFaults | null): void {
    this.faults = faults;
  }

  /** The first of `methods` whose next injected failure is a transport one, consumed. */
  takeTransportFailure(methods: string[]): TransportFailure | undefined {
    for (const method of methods) {
      const failure = this.failures.get(method)?.[0]?.failure;
      if (failure && isTransportFailure(failure)) {
        this.consumeFailure(method);
        return failure;
      }
    }
    return undefined;
  }

  /**
   * A random fault for this call, if one is due: an ApiError, or a RandomTransportFault the request
   * handler turns into a failed HTTP request (calls before it in an execute have taken effect, as when
   * a connection drops after VK did the work).
   */
  takeRandomFault(method: string, params: Params): ApiError | RandomTransportFault | undefined {
    const faults = this.faults;
    if (!faults || faults.failures.length === 0 || (faults.methods && !faults.methods.includes(method))) return undefined;
    const random = faults.random ?? Math.random;
    if (random() >= faults.rate) return undefined;
    const failure = faults.failures[Math.floor(random() * faults.failures.length)]!;
    this.randomFaults.push({ method, failure, ...(params.peer_id !== undefined ? { peerId: Number(params.peer_id) } : {}) });
    if (isTransportFailure(failure)) return new RandomTransportFault(failure);
    return failure.message !== undefined ? ApiError.withMessage(failure.code, failure.message) : new ApiError(failure.code);
  }

  takeApiFailure(method: string): ApiError | undefined {
    const failure = this.failures.get(method)?.[0]?.failure;
    if (!failure || isTransportFailure(failure)) return undefined;
    this.consumeFailure(method);
    return failure.message !== undefined ? ApiError.withMessage(failure.code, failure.message) : new ApiError(failure.code);
  }

  /** Holds the answer back for `slowMs` when a random slow-down is due. */
  async slowDown(method: string): Promise<void> {
    const faults = this.faults;
    if (faults?.slowMs !== undefined && (faults.random ?? Math.random)() < (faults.slowRate ?? 0)) {
      this.randomFaults.push({ method, failure: { slow: faults.slowMs } });
      await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    }
  }

  private consumeFailure(method: string): void {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
  }
}

export function failTransport(req: IncomingMessage, res: ServerResponse, failure: TransportFailure): void {
  if ('reset' in failure) {
    req.socket.destroy();
    return;
  }
  // Gateways answer with HTML, so clients fail to decode the body as JSON.
  const body = `<html><body><h1>${failure.http}</h1></body></html>`;
  res.writeHead(failure.http, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function isTransportFailure(failure: InjectedFailure): failure is TransportFailure {
  return !('code' in failure);
}
