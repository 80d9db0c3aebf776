import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FakeVk } from './fake-vk.js';

/** A running bot, in a child process or in this one, reached over HTTP like VK reaches it. */
export interface BotInstance {
  readonly name: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** Log lines by message (`update handled`, `duplicate update ignored`, …); child processes only. */
  readonly logCounts: Map<string, number>;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** The environment of a bot instance in webhook mode against the fake VK (everything but the database). */
export function webhookEnv(fake: FakeVk, secret: string, confirmation: string): Record<string, string> {
  return {
    VK_TOKEN: fake.token,
    VK_GROUP_ID: String(fake.groupId),
    VK_API_BASE_URL: fake.apiBaseUrl,
    SCHOOL_NAME: 'МКОУ «СОШ №4»',
    SCHOOL_JOIN_CODE: 'SOSH4-2026',
    VK_UPDATES: 'webhook',
    VK_CALLBACK_SECRET: secret,
    VK_CONFIRMATION_CODE: confirmation,
    HTTP_HOST: '127.0.0.1',
    PORT: '0',
  };
}

/**
 * Runs the real entry point (`src/main.ts`, as `npm start` does) in a child process and resolves
 * once it is ready: it logged its port and /readyz answers 200. Its logs are read as JSON lines.
 */
export async function startBotProcess(name: string, env: Record<string, string>): Promise<BotInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logCounts = new Map<string, number>();
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  let port: number | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    remember(line);
    try {
      const entry = JSON.parse(line) as { msg?: string; port?: number; level?: number };
      if (entry.msg === 'HTTP server listening' && typeof entry.port === 'number') port = entry.port;
      if (entry.msg) logCounts.set(entry.msg, (logCounts.get(entry.msg) ?? 0) + 1);
    } catch {
      // Not a log line: kept in the tail for diagnostics only.
    }
  });
  createInterface({ input: child.stderr! }).on('line', remember);
  const exited = once(child, 'exit');
  const failure = (reason: string) => new Error(`bot instance ${name} ${reason}; last output:\n${tail.join('\n')}`);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw failure(`exited with ${child.exitCode ?? child.signalCode} while starting`);
    if (Date.now() > deadline) {
      await kill(child);
      throw failure(`was not ready within ${START_TIMEOUT_MS / 1000} s`);
    }
    if (port !== undefined && (await isReady(`http://127.0.0.1:${port}`))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    name,
    baseUrl,
    logCounts,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const [code] = await exited;
      clearTimeout(timer);
      if (code !== 0) throw failure(`stopped with exit code ${code}`);
    },
  };
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { headers: { connection: 'close' } });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
