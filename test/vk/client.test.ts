import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type API, VK } from 'vk-io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { PACED_VK_IO_VERSION, createVkClient, paceRequests, requestPacerOf } from '../../src/vk/client.js';
import { createVkNotifier } from '../../src/vk/notifier.js';
import { createRequestPacer } from '../../src/vk/request-pacer.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';

const fakes: FakeVk[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fakeVk(rateLimitPerSecond?: number): Promise<FakeVk> {
  const fake = await startFakeVk({ ...(rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond }), groupId: 700 + fakes.length });
  fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });
  fakes.push(fake);
  return fake;
}

const client = (fake: FakeVk, apiLimit = 20) => createVkClient({ token: fake.token, apiBaseUrl: fake.apiBaseUrl, apiLimit });

/** Stands in for vk-io's worker with the same batching rule as its `parallel_selected` mode. */
function stubWorker() {
  const sent: string[][] = [];
  type Request = { method: string; promise: Promise<unknown> };
  const worker = {
    queue: [] as Request[],
    busy: false,
    paused: false,
    heat() {},
    skipMethod: (method: string) => method.endsWith('.save') || method.startsWith('photos.save'),
    async execute() {
      const head = worker.queue[0];
      if (!head) return;
      if (worker.skipMethod(head.method)) {
        sent.push([worker.queue.shift()!.method]);
        return;
      }
      const batch = worker.queue.filter((request) => !worker.skipMethod(request.method));
      worker.queue = worker.queue.filter((request) => worker.skipMethod(request.method));
      sent.push(batch.map((request) => request.method));
    },
  };
  const request = (method: string): Request => ({ method, promise: new Promise(() => {}) });
  const enqueue = (method: string) => {
    worker.queue.push(request(method));
    worker.heat();
  };
  return { api: { worker } as unknown as API, sent, enqueue, request };
}

describe('request pacing hooked into vk-io', () => {
  it('runs on the vk-io release it was checked against: an upgrade must re-check src/vk/client.ts first', () => {
    const installed = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.resolve('vk-io'))), 'utf8')) as { version: string };
    expect(installed.version).toBe(PACED_VK_IO_VERSION);
    const declared = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { dependencies: Record<string, string> };
    expect(declared.dependencies['vk-io']).toBe(PACED_VK_IO_VERSION);
  });

  it('finds the members of vk-io’s worker it replaces (fails if vk-io changes them)', async () => {
    const vk = client(await fakeVk(), 7);
    expect(requestPacerOf(vk.api).limit).toBe(7);
    expect(() => paceRequests({ worker: {} } as unknown as API, createRequestPacer({ perWindow: 1 }))).toThrow(/vk-io internals changed/);
  });

  it('starts every request vk-io makes on the pacer, batched calls and single ones (fails if vk-io stops calling heat)', async () => {
    const fake = await fakeVk(20);
    const vk = client(fake);
    const started = vi.spyOn(requestPacerOf(vk.api), 'started');
    await Promise.all([
      ...Array.from({ length: 3 }, () => vk.api.users.get({ user_ids: ['1'] })),
      ...Array.from({ length: 5 }, (_, i) => vk.api.messages.send({ peer_id: 1, random_id: 1000 + i, message: 'т' })),
    ]);
    // Three users.get of their own, the five messages.send in executes.
    expect(fake.requestLog.filter((entry) => entry.method === 'users.get')).toHaveLength(3);
    expect(fake.requestLog.flatMap((entry) => entry.calls ?? [])).toHaveLength(5);
    expect(started).toHaveBeenCalledTimes(fake.requestLog.length);
  });

  it('starts a batch of text replies before a file’s save, then the save, however many replies keep coming', () => {
    vi.useFakeTimers();
    const { api, sent, enqueue, request } = stubWorker();
    paceRequests(api, createRequestPacer({ perWindow: 20, windowMs: 1020 }), () => Date.now());
    // Queued in this order before the first slot: a photo's save, then two replies.
    (api as unknown as { worker: { queue: unknown[] } }).worker.queue.push(request('photos.saveMessagesPhoto'), request('messages.send'));
    enqueue('messages.send');
    expect(sent).toEqual([['messages.send', 'messages.send']]);
    // More replies keep arriving before each of the next slots (51 ms apart).
    enqueue('docs.save');
    enqueue('messages.send');
    vi.advanceTimersByTime(51);
    expect(sent.at(-1)).toEqual(['photos.saveMessagesPhoto']);
    enqueue('messages.send');
    vi.advanceTimersByTime(51);
    expect(sent.at(-1)).toEqual(['messages.send', 'messages.send']);
    vi.advanceTimersByTime(51);
    expect(sent.at(-1)).toEqual(['docs.save']);
    expect(sent).toHaveLength(4);
  });

  it('keeps VK’s sliding second and more of its 20 requests/s than vk-io’s own timer on a busy event loop', async () => {
    const pacedFake = await fakeVk(20);
    const paced = client(pacedFake);
    // vk-io as it comes: the next request 1000 / 20 ms after the start of the previous one, on a timer.
    const ownFake = await fakeVk(20);
    const own = new VK({ token: ownFake.token, apiBaseUrl: ownFake.apiBaseUrl, apiLimit: 20, apiMode: 'parallel_selected', apiRequestMode: 'sequential', agent: undefined });
    // Warm: vk-io loads its HTTP client on the first request, which then reaches VK late.
    await Promise.all([paced, own].map((vk) => vk.api.users.get({ user_ids: ['1'] })));
    await sleep(1100);
    for (const fake of fakes) fake.requestLog.length = 0;
    // Another task holding the event loop for 2 ms every 5 ms makes timers late.
    const busy = setInterval(() => {
      const until = performance.now() + 2;
      while (performance.now() < until);
    }, 5);
    try {
      // users.get is never batched: one request per call. Both clients at once, on the same loop.
      await Promise.all([paced, own].map((vk) => Promise.all(Array.from({ length: 61 }, () => vk.api.users.get({ user_ids: ['1'] })))));
    } finally {
      clearInterval(busy);
    }
    const perSecond = (fake: FakeVk) => {
      const arrivals = fake.requestLog.map((entry) => entry.at);
      return (arrivals.length - 1) / ((arrivals.at(-1)! - arrivals[0]!) / 1000);
    };
    expect(pacedFake.requestLog.filter((entry) => entry.errorCode === 6)).toEqual([]);
    expect(pacedFake.requestLog).toHaveLength(61);
    // Measured on 2 cores: about 19.5 against 16.7; under heavy machine load both drop.
    expect(perSecond(pacedFake)).toBeGreaterThan(perSecond(ownFake) + 1);
    expect(perSecond(pacedFake)).toBeLessThanOrEqual(20);
  });

  it('sends a reply’s get-upload-server calls inside one execute', async () => {
    const fake = await fakeVk(20);
    const vk = client(fake);
    const notifier = createVkNotifier({ api: vk.api, upload: vk.upload, logger: createLogger('silent', { pretty: false }) });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const result = await notifier.send(
      21,
      {
        text: 'Плакат для 5А',
        files: [
          { kind: 'document', filename: 'plakat-5A.pdf', content: new TextEncoder().encode('%PDF-1.4') },
          { kind: 'photo', filename: 'qr-1.png', content: png },
          { kind: 'photo', filename: 'qr-2.png', content: png },
        ],
      },
      'poster:21',
    );
    expect(result).toMatchObject({ status: 'sent' });
    expect(fake.messagesTo(21)[0]?.attachment).toMatch(/^doc-?\d+_\d+,photo-?\d+_\d+_\w+,photo-?\d+_\d+_\w+$/);
    // One execute with the three upload servers, a save per file (VK runs no save inside execute), the message.
    const requests = fake.requestLog.map((entry) => entry.calls ?? [entry.method]);
    expect(requests).toHaveLength(5);
    expect(requests[0]).toEqual(['docs.getMessagesUploadServer', 'photos.getMessagesUploadServer', 'photos.getMessagesUploadServer']);
    expect(requests.slice(1, 4).flat().sort()).toEqual(['docs.save', 'photos.saveMessagesPhoto', 'photos.saveMessagesPhoto']);
    expect(requests[4]).toEqual(['messages.send']);
  });
});
