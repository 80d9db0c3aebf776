import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeVk } from './fake-vk.js';
import { JOIN_CODE } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface JobProcess {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Settles when the process exits, with what it printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Runs `npm run job -- <args>` as its own process (node --import tsx, as npm would), configured
 * through the environment exactly like `npm start`, against the fake VK and DATABASE_URL's database
 * (without one, the embedded default in the DATA_DIR that `env` names).
 */
export function startJobProcess(args: string[], options: { fake: FakeVk; databaseUrl?: string; env?: Record<string, string> }): JobProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/job.ts', ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      VK_TOKEN: options.fake.token,
      VK_GROUP_ID: String(options.fake.groupId),
      VK_API_BASE_URL: options.fake.apiBaseUrl,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      SCHOOL_NAME: 'МКОУ «СОШ №4»',
      SCHOOL_JOIN_CODE: JOIN_CODE,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    // 'close' comes after the output pipes are drained, unlike 'exit'.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, kill: (signal) => child.kill(signal), exited };
}
