/**
 * What hostile clients of the Callback API endpoint can make the bot hold: the real entry point
 * (`npm start`, webhook mode, Postgres) in a process of its own, attacked from this one
 * over loopback only. Two scenarios, each against a fresh bot process:
 *
 * - `bodies`: 400 connections each stream up to 1 MiB of a chunked body (the secret inside it can
 *   only be checked once the body is read) and then hold the connection open;
 * - `slow`: 3,000 connections each send a request line and then one header byte every 2 s.
 *
 * Printed per scenario: the bot's peak RSS (VmHWM, reset after start-up through clear_refs), the
 * connections still open after 5 s, and how long the last one was held. Bounded: every socket is
 * closed after 70 s.
 *
 *   DATABASE_URL=… npx tsx bench/webhook-memory.ts [bodies|slow]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { JOIN_CODE } from '../test/support/harness.js';
import { startMain } from '../test/support/main-process.js';

const BODIES = 400;
const BODY_BYTES = 1024 * 1024;
const SLOW = 3000;
const HOLD_LIMIT_MS = 70_000;

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

interface Held {
  socket: Socket;
  closedAt: number | null;
}

function open(port: number): Promise<Held> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const held: Held = { socket, closedAt: null };
    socket.on('error', () => {});
    socket.on('close', () => {
      held.closedAt ??= Date.now();
    });
    socket.on('data', () => {});
    socket.once('connect', () => resolve(held));
    socket.once('close', () => resolve(held));
  });
}

/** Streams up to `bytes` of a chunked body, as fast as the server reads it, then holds. */
async function streamBody(held: Held, bytes: number): Promise<void> {
  const { socket } = held;
  socket.write('POST /vk/callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let sent = 0; sent < bytes && held.closedAt === null; sent += chunk.length) {
    const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
    if (!ok) {
      // The server stopped reading: this connection holds what it holds.
      const drained = await Promise.race([new Promise((r) => socket.once('drain', () => r(true))), sleep(3000, false)]);
      if (!drained) return;
    }
  }
}

async function scenario(name: 'bodies' | 'slow'): Promise<Record<string, string | number>> {
  const fake = await startFakeVk({ groupId: 91 });
  const database = await createTestDatabase();
  const bot = startMain({
    DATABASE_URL: database.url!,
    VK_TOKEN: fake.token,
    VK_GROUP_ID: String(fake.groupId),
    VK_API_BASE_URL: fake.apiBaseUrl,
    VK_UPDATES: 'webhook',
    VK_CALLBACK_SECRET: 'bench-secret-0123456789',
    VK_CONFIRMATION_CODE: 'bench-confirm',
    SCHOOL_NAME: 'МКОУ «СОШ №4»',
    SCHOOL_JOIN_CODE: JOIN_CODE,
    HTTP_HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const sockets: Held[] = [];
  try {
    const port = Number((await bot.waitForLine((l) => l.msg === 'bot started', 120_000)).port);
    await sleep(1000);
    const pid = bot.child.pid!;
    const before = memoryOf(pid);
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const started = Date.now();
    if (name === 'bodies') {
      const opened = await Promise.all(Array.from({ length: BODIES }, () => open(port)));
      sockets.push(...opened);
      await Promise.all(opened.map((held) => streamBody(held, BODY_BYTES)));
    } else {
      for (let i = 0; i < SLOW; i += 100) {
        const batch = await Promise.all(Array.from({ length: Math.min(100, SLOW - i) }, () => open(port)));
        for (const held of batch) held.socket.write('POST /vk/callback HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        sockets.push(...batch);
      }
    }
    const trickle = setInterval(() => {
      for (const held of sockets) if (held.closedAt === null && name === 'slow') held.socket.write('X');
    }, 2000);
    await sleep(5000);
    const openAfter5s = sockets.filter((h) => h.closedAt === null).length;
    const during = memoryOf(pid);
    while (Date.now() - started < HOLD_LIMIT_MS && sockets.some((h) => h.closedAt === null)) await sleep(500);
    clearInterval(trickle);
    const stillOpen = sockets.filter((h) => h.closedAt === null).length;
    const lastClosed = Math.max(...sockets.map((h) => h.closedAt ?? Date.now()));
    const after = memoryOf(pid);
    return {
      scenario: name === 'bodies' ? `${BODIES} bodies of up to 1 MiB, held` : `${SLOW} slow connections`,
      'RSS at start (MB)': before.rss,
      'RSS after 5 s (MB)': during.rss,
      'peak RSS (MB)': after.peak,
      'open after 5 s': openAfter5s,
      'held (s)': stillOpen > 0 ? `>${HOLD_LIMIT_MS / 1000}` : Math.round((lastClosed - started) / 100) / 10,
    };
  } finally {
    for (const held of sockets) held.socket.destroy();
    await bot.stop();
    await fake.close();
    await database.destroy();
  }
}

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is needed: the bot runs in a process of its own, as in production');
const only = process.argv[2];
const rows: Record<string, string | number>[] = [];
for (const name of ['bodies', 'slow'] as const) {
  if (only && only !== name) continue;
  rows.push(await scenario(name));
}
console.table(rows);
