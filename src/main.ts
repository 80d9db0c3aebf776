import { existsSync } from 'node:fs';
import { startApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';
import { createLogger } from './logger.js';

/** Entry point: the only place that reads process.env and handles signals. */
async function main(): Promise<void> {
  // A .env file in the working directory fills in what the real environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
      console.error('See .env.example and the configuration table in README.md.');
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp({ config, logger });
  logger.info({ updates: config.VK_UPDATES, port: app.http.port }, 'bot started');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Stop first, log second: a log write that fails (stdout gone) must not prevent the shutdown.
    const stopped = app.stop();
    // In-flight updates get this long to finish; then the process exits anyway.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    safely(() => logger.info({ signal }, 'shutting down'));
    stopped.then(
      () => {
        safely(() => logger.info('stopped'));
        process.exit(0);
      },
      (error: unknown) => {
        safely(() => logger.error({ err: error }, 'shutdown failed'));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const SHUTDOWN_DEADLINE_MS = 20_000;

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Nothing sensible left to do with a failing log destination during shutdown.
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Start-up failed: ${error.message}` : error);
  process.exit(1);
});
