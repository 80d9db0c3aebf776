import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VK } from 'vk-io';
import { createLogger } from '../../src/logger.js';
import { createVkNotifier, randomIdFor } from '../../src/vk/notifier.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';

let fake: FakeVk;
let notifier: ReturnType<typeof createVkNotifier>;
const unreachable: number[] = [];

beforeAll(async () => {
  fake = await startFakeVk();
  const vk = new VK({ token: fake.token, apiBaseUrl: fake.apiBaseUrl, agent: undefined, apiMode: 'parallel_selected', apiLimit: 20, apiWait: 50, apiRetryLimit: 1 });
  notifier = createVkNotifier({
    api: vk.api,
    upload: vk.upload,
    logger: createLogger('silent', { pretty: false }),
    retry: { attempts: 3, baseDelayMs: 10 },
    onUnreachable: async (vkId) => {
      unreachable.push(vkId);
    },
  });
});
afterAll(() => fake.close());

describe('VK notifier', () => {
  it('uploads documents and photos and sends them with the message', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 poster');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const result = await notifier.send(
      11,
      { text: 'Плакат для 5А', files: [{ kind: 'document', filename: 'poster-5A.pdf', content: pdf }, { kind: 'photo', filename: 'qr.png', content: png }] },
      'poster:1',
    );
    expect(result).toEqual({ status: 'sent', uploaded: [expect.stringMatching(/^doc/), expect.stringMatching(/^photo/)] });
    const [message] = fake.messagesTo(11);
    expect(message?.attachment).toMatch(/^doc-?\d+_\d+,photo-?\d+_\d+/);
    const doc = fake.documents.at(-1);
    expect(doc?.title).toBe('poster-5A.pdf');
    expect(Buffer.compare(doc!.bytes, Buffer.from(pdf))).toBe(0);
    expect(Buffer.compare(fake.photos.at(-1)!.bytes, Buffer.from(png))).toBe(0);
  });

  it('derives random_id from the key, so a resend of the same message is dropped by VK', async () => {
    await notifier.send(12, { text: 'Напоминание' }, 'reminder:t1:2026-09-10');
    await notifier.send(12, { text: 'Напоминание' }, 'reminder:t1:2026-09-10');
    expect(fake.messagesTo(12)).toHaveLength(1);
    expect(fake.messagesTo(12)[0]?.randomId).toBe(randomIdFor('reminder:t1:2026-09-10'));
  });

  it('reports 901 as unreachable and tells the hook, without throwing', async () => {
    fake.blockUser(13);
    expect(await notifier.send(13, { text: 'Привет' }, 'k13')).toEqual({ status: 'unreachable' });
    expect(unreachable).toContain(13);
  });

  it('retries a failed upload and gives up politely after the attempts', async () => {
    fake.failNext('docs.getMessagesUploadServer', { code: 10 });
    expect(await notifier.send(14, { text: 'Файл', files: [{ kind: 'document', filename: 'a.pdf', content: new Uint8Array([1]) }] }, 'k14')).toMatchObject({ status: 'sent' });
    // As many as the notifier's attempts (3): none is left over for the next test.
    fake.failNext('docs.getMessagesUploadServer', { code: 10 }, 3);
    const failed = await notifier.send(15, { text: 'Файл', files: [{ kind: 'document', filename: 'a.pdf', content: new Uint8Array([1]) }] }, 'k15');
    expect(failed).toEqual({ status: 'failed', error: '10', retryable: true });
    expect(fake.messagesTo(15)).toEqual([]);
  });

  it('sends the file-less version of a reply when VK refuses its files for good, reports a transient failure for a later try', async () => {
    const poster = {
      text: 'Плакат для 5А',
      files: [{ kind: 'document' as const, filename: 'plakat-5A.pdf', content: new Uint8Array([1]) }],
      withoutFiles: { text: 'Не получилось отправить файл.' },
    };
    fake.failNext('docs.getMessagesUploadServer', { code: 10 }, 3);
    expect(await notifier.send(17, poster, 'k17')).toEqual({ status: 'failed', error: '10', retryable: true });
    expect(fake.messagesTo(17)).toEqual([]);

    fake.failNext('docs.getMessagesUploadServer', { code: 100 });
    const result = await notifier.send(
      16,
      {
        text: 'Плакат для 5А',
        files: [{ kind: 'document', filename: 'plakat-5A.pdf', content: new Uint8Array([1]) }],
        withoutFiles: { text: 'Плакат для 5А. Не получилось отправить файл.', buttons: [[{ label: 'Прислать плакат ещё раз', payload: { a: 'poster', c: '5А' } }]] },
      },
      'k16',
    );
    expect(result).toEqual({ status: 'sent' });
    const [message] = fake.messagesTo(16);
    expect(message?.message).toBe('Плакат для 5А. Не получилось отправить файл.');
    expect(message?.attachment).toBeUndefined();
    expect(message?.randomId).toBe(randomIdFor('k16'));
    expect(message?.keyboard?.buttons?.[0]?.[0]?.action).toMatchObject({ label: 'Прислать плакат ещё раз', payload: '{"a":"poster","c":"5А"}' });
  });
});
