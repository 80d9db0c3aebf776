import type { DocumentFetcher } from '../domain/admin/ports.js';
import { RosterFileError } from '../domain/admin/ports.js';

/**
 * Downloads a document an administrator sent: http(s) only, at most `maxBytes` (checked on the
 * declared length and while reading), within `timeoutMs`. Anything else is a RosterFileError.
 */
export function createDocumentFetcher(options: { maxBytes: number; timeoutMs?: number }): DocumentFetcher {
  const { maxBytes, timeoutMs = 15_000 } = options;
  return {
    async fetch(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch (error) {
        throw new RosterFileError('download', { cause: error });
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RosterFileError('download');
      let response: Response;
      try {
        response = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      } catch (error) {
        throw new RosterFileError('download', { cause: error });
      }
      if (!response.ok || !response.body) throw new RosterFileError('download');
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await response.body.cancel();
        throw new RosterFileError('too_big');
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new RosterFileError('too_big');
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof RosterFileError) throw error;
        throw new RosterFileError('download', { cause: error });
      }
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}
