import { request } from 'node:http';

/** What a Callback API endpoint answered. */
export interface CallbackAnswer {
  status: number;
  body: string;
}

/**
 * Posts to a Callback API endpoint as VK does: a JSON body (or any raw string), no keep-alive, so
 * an endpoint that stops mid-test cannot leave a pooled connection behind.
 */
export function postCallback(url: string, body: unknown, options: { chunked?: boolean } = {}): Promise<CallbackAnswer> {
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          connection: 'close',
          ...(options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': payload.length }),
        },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before reading everything: the answer, not the broken
    // pipe, is the result, and it may arrive just after the error.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return reject(error);
      setTimeout(() => (answered ? undefined : reject(error)), 2000).unref();
    });
    if (options.chunked) {
      // Several chunks, so the server sees the size grow rather than a declared length.
      for (let offset = 0; offset < payload.length; offset += 64 * 1024) req.write(payload.subarray(offset, offset + 64 * 1024));
      req.end();
    } else {
      req.end(payload);
    }
  });
}

/** GET a path of the bot's HTTP server; the body parsed as JSON when it is JSON. */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}
