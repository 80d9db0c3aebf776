import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One pino root. Children carry structured fields ({ teacherId, task }); tokens and personal data
 * are redacted should they ever reach a log call. Pretty output only on a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean; stderr?: boolean } = {}): Logger {
  // Command-line tools print their report on stdout and log on stderr.
  const fd = options.stderr ? 2 : 1;
  const pretty = options.pretty ?? Boolean((options.stderr ? process.stderr : process.stdout).isTTY);
  const config = {
    level,
    redact: {
      paths: ['token', 'accessToken', 'access_token', '*.token', '*.access_token', 'secret', '*.secret', 'text', '*.text', 'fullName', '*.fullName'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', destination: fd } } } : {}),
  };
  return pretty || fd === 1 ? pino(config) : pino(config, pino.destination({ fd, sync: true }));
}
