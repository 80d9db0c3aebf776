import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scratchDir } from './scratch.js';

const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface MainProcess {
  child: ChildProcess;
  /** Every JSON log line so far, in order. */
  lines: LogLine[];
  /** Everything written to stderr. */
  stderr(): string;
  /** Resolves with the first log line `match` accepts; rejects when the process exits first or after `timeoutMs`. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code; SIGKILL if it has not exited within 25 s. */
  stop(): Promise<number | null>;
}

/**
 * Runs `npm start`'s command (node with the tsx loader on src/main.ts) with exactly `env` and
 * nothing else: no inherited VK_TOKEN or DATABASE_URL, and a fresh working directory, so a
 * developer's .env can never point a test at the real VK. With `compiled`, runs that build's
 * main.js with plain node instead (`npm run start:dist`).
 */
export function startMain(env: Record<string, string>, options: { compiled?: string } = {}): MainProcess {
  const cwd = scratchDir('main-cwd-');
  const args = options.compiled ? [join(options.compiled, 'main.js')] : ['--import', tsxLoader, mainPath];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      lines.push({ level: 0, msg: text });
    }
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    notify();
  });

  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(match, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no such log line within ${timeoutMs} ms`)), timeoutMs);
        const finish = (error?: Error, line?: LogLine): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(new Error(`${error.message}\nlog:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`));
          else resolve(line!);
        };
        const check = (): void => {
          const line = lines.find(match);
          if (line) finish(undefined, line);
          else if (exitCode !== undefined) finish(new Error(`the process exited with ${exitCode} first`));
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
        await exited;
        clearTimeout(killer);
      }
      return exited;
    },
  };
}
