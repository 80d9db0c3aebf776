/**
 * QR poster generation: how long rendering takes and how big the files are, then what a teacher
 * waits for end to end (second link sent → poster message with the document received) over the
 * fake VK. Prints tables; not a test.
 *
 *   npm run bench -- posters                  (BENCH_RUNS=30 by default; the embedded server, or DATABASE_URL)
 */
import { defaultChecklist } from '../src/domain/checklist/default-checklist.js';
import type { OutgoingFile, PosterRequest } from '../src/domain/model.js';
import { posterRequest } from '../src/domain/poster.js';
import { createPosterRenderer } from '../src/reports/chat-poster.js';
import { createTestDatabase } from '../test/support/database.js';
import { startFakeVk } from '../test/support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp } from '../test/support/harness.js';
import { quantile } from './support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
/** A running bot has rendered many posters: the first ones run before the JIT has compiled the hot paths. */
const WARM_UPS = 10;
const chats = defaultChecklist.tasks.find((t) => t.code === 'chats')!;
const typical = (suffix: string) => ({
  with_teacher: `https://sferum.ru/?p=messages&join=Bench${suffix}WithTeacher0123456789`,
  parents_only: `https://vk.me/join/Bench${suffix}ParentsOnly_0123456789abcdef`,
});
const longest = { with_teacher: `https://sferum.ru/?p=messages&join=${'Ab1_-='.repeat(50)}`, parents_only: `https://vk.me/join/${'Zz-9'.repeat(75)}` };
const request = (pages: { className: string; links: Record<string, string> }[], previews: boolean): PosterRequest =>
  posterRequest({ schoolName: 'МКОУ «СОШ №4»', linksTask: chats, pages, previews });

/** Each run gets links never rendered before, as each teacher's poster does (the renderer keeps word layouts). */
const CASES: { name: string; request: (run: number) => PosterRequest }[] = [
  { name: '1 class, typical links, PDF + 2 PNG (walkthrough)', request: (run) => request([{ className: '5А', links: typical(`A${run}`) }], true) },
  { name: '1 class, 300-char tokens, PDF + 2 PNG', request: () => request([{ className: '5А', links: longest }], true) },
  { name: '1 class, typical links, PDF only', request: (run) => request([{ className: '5А', links: typical(`A${run}`) }], false) },
  {
    name: '3 classes in one PDF (menu)',
    request: (run) => request(['5А', '7Б', '9В'].map((className, i) => ({ className, links: typical(`${i}x${run}`) })), false),
  },
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const size = (files: OutgoingFile[], kind: OutgoingFile['kind']) => files.filter((f) => f.kind === kind).reduce((sum, f) => sum + f.content.length, 0);

/**
 * The longest time the event loop was held while `work` ran: a setImmediate ticker notes the gap
 * between its turns, and no turn can come while rendering runs synchronously.
 */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; blockMs: number }> {
  let last = performance.now();
  let longest = 0;
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const result = await work();
    await new Promise((resolve) => setImmediate(resolve));
    return { result, blockMs: longest };
  } finally {
    ticking = false;
  }
}

async function renderingTable(): Promise<void> {
  const renderer = createPosterRenderer();
  const coldStart = performance.now();
  await renderer.render(CASES[0]!.request(-1));
  const cold = performance.now() - coldStart;
  console.log(`\nRendering (${RUNS} runs per case after ${WARM_UPS} warm-ups of every case; first render in a fresh process ${cold.toFixed(0)} ms)`);
  console.log('CPU: the process\'s user + system time per render; block: the longest stretch the event loop was held\n');
  console.log('| case | median ms | p95 ms | min–max ms | CPU ms median | block ms median / max | PDF | PNGs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  let run = 0;
  for (const { request: req } of CASES) {
    for (let i = 0; i < WARM_UPS; i += 1) {
      run += 1;
      await renderer.render(req(run));
    }
  }
  for (const { name, request: req } of CASES) {
    const times: number[] = [];
    const cpu: number[] = [];
    const blocks: number[] = [];
    let files: OutgoingFile[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      run += 1;
      const next = req(run);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const { result, blockMs } = await longestBlock(() => renderer.render(next));
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      blocks.push(blockMs);
      files = result;
    }
    for (const list of [times, cpu, blocks]) list.sort((a, b) => a - b);
    const pngs = files.filter((f) => f.kind === 'photo').length;
    console.log(
      `| ${name} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} | ${times[0]!.toFixed(1)}–${times.at(-1)!.toFixed(1)} | ${quantile(cpu, 0.5).toFixed(1)} | ${quantile(blocks, 0.5).toFixed(1)} / ${blocks.at(-1)!.toFixed(1)} | ${kb(size(files, 'document'))} | ${pngs > 0 ? `${pngs} × ${kb(size(files, 'photo') / pngs)}` : '—'} |`,
    );
  }
}

/** Teachers one after another: the time from the second link to the poster message, uploads included. */
async function endToEndTable(): Promise<void> {
  const teachers = Math.max(3, Math.round(RUNS / 3));
  const database = await createTestDatabase();
  const fake = await startFakeVk({ groupId: 900_000 + Math.floor(Math.random() * 1000) });
  const app = await startTestApp(fake, database);
  const waits: number[] = [];
  try {
    for (let i = 0; i < teachers; i += 1) {
      const user = new VkUser(fake, 9_000_000 + i);
      await user.say('Начать');
      await user.say(JOIN_CODE);
      await user.say('Сидорова Анна Ивановна');
      await user.say('5А', { replies: 2 });
      await user.click('Подтверждаю');
      const links = typical(`T${i}`);
      await user.say(links.with_teacher);
      const started = performance.now();
      // The text and the next question first, then the poster as a message of its own.
      const [, , poster] = await user.say(links.parents_only, { replies: 3 });
      if (!poster?.attachment?.startsWith('doc')) throw new Error('the poster message carries no document');
      waits.push(performance.now() - started);
    }
  } finally {
    await app.stop();
    await fake.close();
    await database.destroy();
  }
  waits.sort((a, b) => a - b);
  console.log(`\nEnd to end over the fake VK (${teachers} teachers, ${database.kind}): second link sent → poster message with its PDF received\n`);
  console.log(`median ${quantile(waits, 0.5).toFixed(0)} ms, p90 ${quantile(waits, 0.9).toFixed(0)} ms, max ${waits.at(-1)!.toFixed(0)} ms`);
  console.log('(includes the long poll, the transaction, the text replies before it, rendering, the upload (server in execute, upload, docs.save) and messages.send)');
}

export async function benchPosters(): Promise<void> {
  await renderingTable();
  await endToEndTable();
}
