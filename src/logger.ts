import pino, { type DestinationStream, type Logger } from 'pino';
import { serializeError } from './log-safe-error.js';

export type { Logger };

/**
 * One pino root. Children carry structured fields ({ teacherId, task }); tokens and personal data
 * are redacted should they ever reach a log call. Pretty output only on a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean; stderr?: boolean; destination?: DestinationStream } = {}): Logger {
  // Command-line tools print their report on stdout and log on stderr.
  const fd = options.stderr ? 2 : 1;
  const pretty = options.pretty ?? Boolean((options.stderr ? process.stderr : process.stdout).isTTY);
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
