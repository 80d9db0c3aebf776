import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeVk, startFakeVk } from './support/fake-vk.js';
import { type MainProcess, startMain } from './support/main-process.js';
import { PageUser, textsOf } from './support/sandbox-page.js';
import { scratchDir } from './support/scratch.js';

/** `npm start` as a process: which mode it picks from the environment. */

let dataDir: string;
let main: MainProcess | undefined;
let fake: FakeVk | undefined;

afterEach(async () => {
  await main?.stop();
  await fake?.close();
  main = undefined;
  fake = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function isListening(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  // events.once rejects when 'error' comes first: a refused connection.
  const connected = await once(socket, 'connect').then(
    () => true,
    () => false,
  );
  socket.destroy();
  return connected;
}

describe('npm start', { timeout: 120_000 }, () => {
  it('without VK_TOKEN runs the sandbox, says so in its first log line, and stops cleanly', async () => {
    dataDir = scratchDir('main-sandbox-');
    main = startMain({ DATA_DIR: dataDir, SANDBOX_PORT: '0', LOG_LEVEL: 'info' });

    const first = await main.waitForLine(() => true);
    expect(first.msg).toMatch(/^Sandbox: VK_TOKEN is not set, so the bot talks to a local VK emulator\. Open http:\/\/127\.0\.0\.1:\d+ to chat with it$/);
    const url = first.url as string;
    expect(first.msg).toContain(url);
    expect(await (await fetch(url)).text()).toContain('Песочница бота');

    await main.waitForLine((line) => line.msg === 'bot started');
    expect(textsOf(await new PageUser(url, 1002).say('Здравствуйте'))).toContain('напишите код школы');
    expect(await main.stop()).toBe(0);
    expect(main.lines.at(-1)?.msg).toBe('stopped');
  });

  it('without VK_TOKEN on a taken SANDBOX_PORT stops and says which variable to change', async () => {
    dataDir = scratchDir('main-busy-');
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      main = startMain({ DATA_DIR: dataDir, SANDBOX_PORT: String(port), LOG_LEVEL: 'info' });
      expect(await main.exited).toBe(1);
      expect(main.stderr()).toContain(`Start-up failed: port ${port} on 127.0.0.1 is taken: stop what uses it or set SANDBOX_PORT to another port`);
    } finally {
      taken.close();
    }
  });

  it('with VK_TOKEN set never starts the sandbox, and runs the bot against the configured VK', async () => {
    dataDir = scratchDir('main-bot-');
    fake = await startFakeVk({ groupId: 77 });
    const sandboxPort = await freePort();
    main = startMain({
      VK_TOKEN: fake.token,
      VK_GROUP_ID: '77',
      VK_API_BASE_URL: fake.apiBaseUrl,
      SCHOOL_NAME: 'МКОУ «СОШ №4»',
      SCHOOL_JOIN_CODE: 'SOSH4-2026',
      DATA_DIR: dataDir,
      SANDBOX_PORT: String(sandboxPort),
      LOG_LEVEL: 'info',
    });

    await main.waitForLine((line) => line.msg === 'bot started');
    fake.sendMessage(501, 'Здравствуйте');
    expect((await fake.waitForMessages(501, 1, 15_000))[0]?.message).toContain('напишите код школы');
    expect(main.lines.some((line) => /sandbox/i.test(line.msg))).toBe(false);
    expect(await isListening(sandboxPort)).toBe(false);
  });

  it.each([
    ['in production', { NODE_ENV: 'production' }],
    ['with DATABASE_URL', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_used' }],
  ])('%s without VK_TOKEN stops with the configuration error instead of starting the sandbox', async (_, env) => {
    dataDir = scratchDir('main-no-sandbox-');
    main = startMain({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'info' });

    expect(await main.exited).toBe(1);
    expect(main.stderr()).toContain('Configuration error: VK_TOKEN is not set');
    expect(main.lines).toEqual([]);
  });
});

describe('npm start under npm', { timeout: 180_000 }, () => {
  /**
   * npm runs a script as `sh -c "<script>"` and passes SIGTERM to that shell; a shell that only
   * starts node dies and leaves the bot running (issue 13, item 19). The script `exec`s node, so the
   * signal reaches the bot. This runs the real script from package.json, with npm, in a scratch
   * directory (so no developer's .env is read), and stops npm the way a supervisor would.
   */
  it('stops the bot when npm gets SIGTERM', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const cwd = mkdtempSync(join(tmpdir(), 'npm-start-'));
    // A DATA_DIR the embedded server's own user can reach when the tests run as root.
    dataDir = scratchDir('npm-start-data-');
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'npm-start-check', private: true, scripts: { start: script.replace('src/main.ts', join(root, 'src/main.ts')) } }));
    symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'));
    const npm = spawn('npm', ['start', '--silent'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, DATA_DIR: dataDir, SANDBOX_PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: { pid?: number; msg?: string }[] = [];
    const started = new Promise<void>((resolve) => {
      createInterface({ input: npm.stdout! }).on('line', (text) => {
        try {
          lines.push(JSON.parse(text) as { pid?: number; msg?: string });
        } catch {
          return;
        }
        if (lines.at(-1)?.msg === 'bot started') resolve();
      });
    });
    try {
      await started;
      const botPid = lines.at(-1)!.pid!;
      npm.kill('SIGTERM');
      await once(npm, 'exit');
      // The bot itself shuts down: its last words, and no process left behind.
      const deadline = Date.now() + 30_000;
      while (isAlive(botPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(isAlive(botPid)).toBe(false);
      expect(lines.at(-1)?.msg).toBe('stopped');
    } finally {
      npm.kill('SIGKILL');
      for (const line of lines) if (line.pid && isAlive(line.pid)) process.kill(line.pid, 'SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
