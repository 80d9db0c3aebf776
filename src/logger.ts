import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One pino root. Children carry structured fields ({ teacherId, task }); tokens and personal data
 * are redacted should they ever reach a log call. Pretty output only on a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    level,
    redact: {
      paths: ['token', 'accessToken', 'access_token', '*.token', '*.access_token', 'secret', '*.secret', 'text', '*.text', 'fullName', '*.fullName'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
