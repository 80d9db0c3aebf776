/**
 * Conversation throughput and latency: simulated teachers walk the checklist over the fake VK's
 * long poll while the real bot (vk-io, Postgres or the embedded server) answers. Prints a table; not a test.
 *
 *   npm run bench -- conversation            (the embedded server, and Postgres too when DATABASE_URL is set)
 *   CONVERSATION_RUNS=rate,posters npm run bench -- conversation   (some of: limits, capacity, rate, posters)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { VK } from 'vk-io';
import { type App, startApp } from '../src/compose/bot.js';
import { createLogger } from '../src/logger.js';
import { type TestDatabase, createTestDatabase } from '../test/support/database.js';
import { type FakeVk, startFakeVk } from '../test/support/fake-vk.js';
import { testConfig } from '../test/support/harness.js';
import { createReplyTracker, forEachDatabase, mainSchoolId, printTable, quantile, scale, scaled, seedTeachers, trackPeakRss } from './support.js';

/** One teacher's walk: each input and how many replies it gets. */
export interface ScriptStep {
  text: string;
  payload?: object;
  photo?: boolean;
  replies: number;
  /** How many of the replies carry a file: messages of their own, after the text. */
  files?: number;
}

const SCRIPT: ScriptStep[] = [
  { text: 'Здравствуйте', replies: 2 },
  { text: 'Подтверждаю', payload: { a: 'done', t: 'messengers' }, replies: 1 },
  { text: 'https://sferum.ru/?p=messages&join=BenchWithTeacher01', replies: 1 },
  // The second link brings a text, the next question, then the class's QR poster as a message of its own.
  { text: 'https://vk.me/join/BenchParentsOnly02', replies: 3, files: 1 },
  { text: '', photo: true, replies: 1 },
  { text: '05.09.2026', replies: 1 },
  { text: '25', replies: 1 },
  { text: '18', replies: 1 },
  { text: 'Старые чаты закрыты', payload: { a: 'done', t: 'only_sferum' }, replies: 1 },
  { text: 'Готово', payload: { a: 'done', t: 'eo_link' }, replies: 1 },
];

export interface RunResult {
  updates: number;
  replies: number;
  seconds: number;
  /** From an update to the last of its replies, files included. */
  latencies: number[];
  /** From an update to the last of its text replies (a file is a message of its own, after them). */
  textLatencies: number[];
  /** Messages with a file the script expects, and those that arrived with one. */
  files: { expected: number; delivered: number };
  rateLimitErrors: number;
  /** HTTP requests to the VK API (an `execute` is one). */
  requests: number;
}

const VK_CEILING = 20 * 25;

async function withBot<T>(
  database: TestDatabase,
  fakeOptions: { rateLimitPerSecond?: number },
  apiLimit: number,
  work: (fake: FakeVk, app: App) => Promise<T>,
): Promise<T> {
  const fake = await startFakeVk({ ...fakeOptions, groupId: Math.floor(Math.random() * 1e6) + 10 });
  const config = { ...testConfig(fake), VK_API_LIMIT: apiLimit };
  const app = await startApp({ config, logger: createLogger((process.env.BENCH_LOG as 'silent') ?? 'silent', { pretty: false }), database, pollWaitSeconds: 1, retry: { attempts: 5, baseDelayMs: 50 } });
  try {
    return await work(fake, app);
  } finally {
    await app.stop();
    await fake.close();
  }
}

/** Every user walks the script (default: the whole checklist) as fast as replies come back (closed loop). */
export async function closedLoop(fake: FakeVk, users: number[], script: readonly ScriptStep[] = SCRIPT): Promise<RunResult> {
  const tracker = createReplyTracker(fake);
  const latencies: number[] = [];
  const textLatencies: number[] = [];
  const started = Date.now();
  await Promise.all(
    users.map(async (vkId) => {
      let expected = 0;
      for (const step of script) {
        expected += step.replies;
        const sentAt = Date.now();
        fake.sendMessage(vkId, step.text, { payload: step.payload, attachments: step.photo ? [fake.uploadUserPhoto(vkId)] : undefined });
        const [text, all] = await Promise.all([tracker.waitFor(vkId, expected - (step.files ?? 0)), tracker.waitFor(vkId, expected)]);
        textLatencies.push(text.at - sentAt);
        latencies.push(all.at - sentAt);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  tracker.stop();
  const files = { expected: users.length * script.reduce((sum, step) => sum + (step.files ?? 0), 0), delivered: filesDelivered(fake) };
  return { updates: users.length * script.length, replies: fake.sent.length, seconds, latencies, textLatencies, files, rateLimitErrors: fake.requestLog.filter((r) => r.errorCode === 6).length, requests: fake.requestLog.length };
}

/** Messages the bot sent with a document attached (a poster). */
function filesDelivered(fake: FakeVk): number {
  return fake.sent.filter((message) => message.attachment?.includes('doc')).length;
}

/** Updates are sent at a fixed rate, each by a user whose previous message was answered (open loop). */
async function fixedRate(fake: FakeVk, users: number[], perSecond: number, seconds: number): Promise<RunResult> {
  const tracker = createReplyTracker(fake);
  const latencies: number[] = [];
  const textLatencies: number[] = [];
  const idle = users.map((vkId) => ({ vkId, step: 0, expected: 0 }));
  const total = perSecond * seconds;
  let filesExpected = 0;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const user = idle.shift();
    if (!user) throw new Error(`not enough simulated users for this rate: ${users.length} all wait for replies after ${i} updates (p99 so far ${quantile([...latencies].sort((a, b) => a - b), 0.99)} ms, text ${quantile([...textLatencies].sort((a, b) => a - b), 0.99)} ms, ${filesDelivered(fake)} posters)`);
    const step = SCRIPT[user.step]!;
    user.expected += step.replies;
    filesExpected += step.files ?? 0;
    const sentAt = Date.now();
    fake.sendMessage(user.vkId, step.text, { payload: step.payload, attachments: step.photo ? [fake.uploadUserPhoto(user.vkId)] : undefined });
    inFlight.push(
      Promise.all([tracker.waitFor(user.vkId, user.expected - (step.files ?? 0)), tracker.waitFor(user.vkId, user.expected)]).then(([text, all]) => {
        textLatencies.push(text.at - sentAt);
        latencies.push(all.at - sentAt);
        user.step += 1;
        if (user.step < SCRIPT.length) idle.push(user);
      }),
    );
  }
  await Promise.all(inFlight);
  tracker.stop();
  const files = { expected: filesExpected, delivered: filesDelivered(fake) };
  return { updates: total, replies: fake.sent.length, seconds: (Date.now() - started) / 1000, latencies, textLatencies, files, rateLimitErrors: fake.requestLog.filter((r) => r.errorCode === 6).length, requests: fake.requestLog.length };
}

/** The framework's ceiling: a bare vk-io bot that echoes every message, on the same fake. */
async function echoBot(users: number[], perUser: number): Promise<RunResult> {
  const fake = await startFakeVk({ groupId: 7 });
  const vk = new VK({ token: fake.token, apiBaseUrl: fake.apiBaseUrl, pollingGroupId: fake.groupId, agent: undefined, apiMode: 'parallel_selected', apiLimit: 1000 });
  vk.updates.on('message_new', (context) => context.send(`echo: ${context.text ?? ''}`).then(() => undefined));
  await vk.updates.start();
  const tracker = createReplyTracker(fake);
  const latencies: number[] = [];
  const started = Date.now();
  await Promise.all(
    users.map(async (vkId) => {
      for (let i = 1; i <= perUser; i += 1) {
        const sentAt = Date.now();
        fake.sendMessage(vkId, `сообщение ${i}`);
        latencies.push((await tracker.waitFor(vkId, i)).at - sentAt);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const requests = fake.requestLog.length;
  tracker.stop();
  await vk.updates.stop();
  await fake.close();
  return { updates: users.length * perUser, replies: users.length * perUser, seconds, latencies, textLatencies: latencies, files: { expected: 0, delivered: 0 }, rateLimitErrors: 0, requests };
}

function row(scenario: string, db: string, users: number, result: RunResult, ratioTo?: { label: string; value: number }) {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const perSecond = result.replies / result.seconds;
  return {
    scenario,
    db,
    users,
    updates: result.updates,
    'replies/s': Math.round(perSecond),
    ratio: ratioTo ? `${((perSecond / ratioTo.value) * 100).toFixed(0)}% of ${ratioTo.label}` : '',
    'p50 ms': quantile(sorted, 0.5),
    'p95 ms': quantile(sorted, 0.95),
    'p99 ms': quantile(sorted, 0.99),
    'p99 text ms': quantile([...result.textLatencies].sort((a, b) => a - b), 0.99),
    'requests/s': Math.round(result.requests / result.seconds),
    'err 6': result.rateLimitErrors,
    posters: result.files.expected === 0 ? '' : `${result.files.delivered}/${result.files.expected}`,
  };
}

async function benchDatabase(label: string, rows: ReturnType<typeof row>[], echo: RunResult): Promise<void> {
  const database = await createTestDatabase();
  const peak = trackPeakRss();
  try {
    let nextVkId = 1_000_000;
    const teachers = async (n: number) => {
      const ids = await seedTeachers(database.db, await mainSchoolId(database.db), n, nextVkId);
      nextVkId += n;
      return ids;
    };

    const runs = (process.env.CONVERSATION_RUNS ?? 'limits,capacity,rate,posters').split(',');
    if (runs.includes('limits')) await withBot(database, { rateLimitPerSecond: 20 }, 20, async (fake) => {
      const users = await teachers(scaled(300));
      const result = await closedLoop(fake, users);
      rows.push(row('VK limits on (20 req/s)', label, users.length, result, { label: 'VK ceiling 500/s', value: VK_CEILING }));
      console.log(rows.at(-1));
    });
    if (runs.includes('capacity')) await withBot(database, {}, 1000, async (fake) => {
      const users = await teachers(scaled(300));
      const result = await closedLoop(fake, users);
      rows.push(row('limits off: bot capacity', label, users.length, result, { label: 'echo bot', value: echo.replies / echo.seconds }));
      console.log(rows.at(-1));
    });
    if (runs.includes('rate')) await withBot(database, { rateLimitPerSecond: 20 }, 20, async (fake) => {
      // A large pool (not scaled): each user waits for its reply before it can be picked again.
      const users = await teachers(400);
      const result = await fixedRate(fake, users, 100, Math.max(1, Math.round(15 * scale)));
      rows.push(row('100 updates/s, VK limits on', label, users.length, result));
    });
    if (runs.includes('posters')) await withBot(database, { rateLimitPerSecond: 20 }, 20, async (fake) => {
      // Every teacher reaches the poster at once: how many posters a second fit in VK's 20 requests/s.
      const users = await teachers(scaled(200));
      const result = await closedLoop(fake, users, SCRIPT.slice(0, 4));
      const times = fake.sent.filter((message) => message.attachment?.includes('doc')).map((message) => message.at);
      const span = (Math.max(...times) - Math.min(...times)) / 1000;
      rows.push(row('poster burst, VK limits on', label, users.length, result));
      posterRates.push(`${label}: ${times.length} posters in ${span.toFixed(1)} s from the first to the last = ${(times.length / span).toFixed(1)} posters/s, with the conversation's text around them`);
    });
  } finally {
    await database.destroy();
    memory.push(`${label}: peak RSS ${peak.stop()} MB under load`);
  }
}

const memory: string[] = [];
const posterRates: string[] = [];

export async function runConversationBench(): Promise<void> {
  const rows: ReturnType<typeof row>[] = [];
  const echoUsers = Array.from({ length: scaled(300) }, (_, i) => 9_000_000 + i);
  const echo = await echoBot(echoUsers, 10);
  rows.push(row('bare vk-io echo bot', '—', echoUsers.length, echo));
  await forEachDatabase((label) => benchDatabase(label, rows, echo));
  printTable('Conversation: delivery → reply latency and throughput', rows);
  if (posterRates.length > 0) console.log(`\nPoster burst: ${posterRates.join('; ')}.`);
  console.log(`\n${memory.join('; ')} (bot, fake VK and simulated teachers in one process: one per database, see bench/run.ts).`);
}
