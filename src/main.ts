import { existsSync } from 'node:fs';
import { startApp } from './compose/bot.js';
import { ConfigError, parseConfig, parseSandboxSettings, startMode } from './config.js';
import { type Logger, createLogger } from './logger.js';

/** Entry point: the only place that reads process.env and handles signals. */
async function main(): Promise<void> {
  // A .env file in the working directory fills in what the real environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { logger, app } = await start(process.env).catch(exitOnConfigError);

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

/** The bot when VK_TOKEN is set; without it, the sandbox: a local VK emulator and a chat page. */
async function start(env: Record<string, string | undefined>): Promise<{ logger: Logger; app: { stop(): Promise<void> } }> {
  if (startMode(env) === 'sandbox') {
    const logger = createLogger(parseSandboxSettings(env).LOG_LEVEL);
    // Loaded only here: the production bot never loads the emulator or the page.
    const { startSandbox } = await import('./compose/sandbox.js');
    const { sandboxJobs } = await import('./sandbox/jobs.js');
    const sandbox = await startSandbox({ env, logger, jobs: sandboxJobs });
    logger.info({ url: sandbox.url }, 'bot started');
    return { logger, app: sandbox };
  }
  const config = parseConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp({ config, logger });
  logger.info({ updates: config.VK_UPDATES, port: app.http.port }, 'bot started');
  return { logger, app };
}

/** A configuration error stops the process with one line per problem; anything else goes on up. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    console.error('See .env.example and the configuration table in README.md.');
    process.exit(1);
  }
  throw error;
}

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
