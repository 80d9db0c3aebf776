import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import { serializeError } from './log-safe-error.js';

export type { Logger };

/**
 * True when pino-pretty is installed. It is a development dependency: the production image
 * (`npm ci --omit=dev`) has none and logs JSON, on a terminal too.
 */
export function prettyPrinterInstalled(resolve: (id: string) => string = createRequire(import.meta.url).resolve): boolean {
  try {
    resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * One pino root. Children carry structured fields ({ teacherId, task }); tokens and personal data
 * are redacted should they ever reach a log call. Pretty output only on a terminal, and only where
 * pino-pretty is installed.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; stderr?: boolean; destination?: DestinationStream; prettyInstalled?: () => boolean } = {},
): Logger {
  // Command-line tools print their report on stdout and log on stderr.
  const fd = options.stderr ? 2 : 1;
  const pretty =
    (options.pretty ?? Boolean((options.stderr ? process.stderr : process.stdout).isTTY)) && (options.prettyInstalled ?? prettyPrinterInstalled)();
  const config = {
    level,
    redact: {
      paths: ['token', 'accessToken', 'access_token', '*.token', '*.access_token', 'secret', '*.secret', 'text', '*.text', 'fullName', '*.fullName'],
      censor: '[redacted]',
    },
    // Errors carry query parameters, message texts and names in their fields: see log-safe-error.ts.
    serializers: { err: serializeError, error: serializeError },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', destination: fd } } } : {}),
  };
  if (options.destination) return pino(config, options.destination);
  return pretty || fd === 1 ? pino(config) : pino(config, pino.destination({ fd, sync: true }));
}
