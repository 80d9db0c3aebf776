import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeMax } from '../../src/fake-max/server.js';
import { type MaxClient, createMaxClient } from '../../src/max/client.js';
import { MaxApiError, classifyMaxError, surelyNotSent } from '../../src/max/errors.js';
import { renderMaxKeyboard } from '../../src/max/keyboard.js';

/** An address nothing listens on (fetch itself refuses "bad ports" such as 9). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const anna = { user_id: 501, first_name: 'Анна', is_bot: false };

describe('MAX client against the fake MAX API', () => {
  let max: FakeMax;
  let client: MaxClient;

  beforeEach(async () => {
    max = new FakeMax();
    client = createMaxClient({ token: max.token, baseUrl: await max.listen(), timeoutMs: 2_000 });
  });
  afterEach(() => max.close());

  it('sends the raw token (no Bearer) and reads the bot', async () => {
    expect((await client.me()).username).toBe('sferum_helper_bot');
    const wrong = createMaxClient({ token: 'Bearer nope', baseUrl: max.url });
    const error = await wrong.me().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaxApiError);
    expect((error as MaxApiError).code).toBe('verify.token');
  });

  it('maps "never started" and "stopped the bot" to unreachable, as VK 901', async () => {
    const never = await client.sendToUser(anna.user_id, { text: 'Здравствуйте' }).catch((caught: unknown) => caught);
    expect(classifyMaxError(never)).toBe('unreachable');
    max.start(anna);
    await client.sendToUser(anna.user_id, { text: 'Здравствуйте' });
    max.stop(anna.user_id);
    const stopped = await client.sendToUser(anna.user_id, { text: 'Напоминание' }).catch((caught: unknown) => caught);
    expect((stopped as MaxApiError).status).toBe(403);
    expect(classifyMaxError(stopped)).toBe('unreachable');
    expect(max.inbox(anna.user_id).map((message) => message.text)).toEqual(['Здравствуйте']);
  });

  it('sends text with an inline keyboard whose payloads come back on a click', async () => {
    max.start(anna);
    const keyboard = renderMaxKeyboard([[{ label: 'Подтверждаю', payload: { a: 'done', t: 'messengers' } }], [{ label: 'Меню', payload: { a: 'menu' } }]]);
    await client.sendToUser(anna.user_id, { text: 'Задание 1', attachments: keyboard ? [keyboard] : [] });
    const update = max.click(anna.user_id, 'Подтверждаю');
    expect(update.update_type).toBe('message_callback');
    expect(JSON.parse((update as { callback: { payload: string } }).callback.payload)).toEqual({ a: 'done', t: 'messengers' });
    const callbackId = (update as { callback: { callback_id: string } }).callback.callback_id;
    expect(max.unansweredCallbacks).toEqual([callbackId]);
    await client.answerCallback(callbackId);
    expect(max.unansweredCallbacks).toEqual([]);
    expect(max.answers.get(callbackId)).toBe(1);
  });

  it('is refused what MAX refuses: long text, empty messages, a file beside other attachments', async () => {
    max.start(anna);
    const long = await client.sendToUser(anna.user_id, { text: 'я'.repeat(4001) }).catch((caught: unknown) => caught);
    expect((long as MaxApiError).status).toBe(400);
    expect(classifyMaxError(long)).toBe('fatal');
    await expect(client.sendToUser(anna.user_id, { text: 'я'.repeat(4000) })).resolves.toMatchObject({ mid: expect.any(String) });
    const empty = await client.sendToUser(anna.user_id, { text: '  ' }).catch((caught: unknown) => caught);
    expect((empty as MaxApiError).status).toBe(400);
    const file = await client.upload('file', new Uint8Array([37, 80, 68, 70]), 'plakat-5А.pdf');
    const keyboard = renderMaxKeyboard([[{ label: 'Меню', payload: { a: 'menu' } }]])!;
    const mixed = await client.sendToUser(anna.user_id, { attachments: [file, keyboard] }).catch((caught: unknown) => caught);
    expect((mixed as MaxApiError).status).toBe(400);
  });

  it('uploads a file keeping its name, then sends it as the only attachment', async () => {
    max.start(anna);
    const file = await client.upload('file', new TextEncoder().encode('%PDF-1.7 poster'), 'plakat-5А.pdf');
    expect(file.type).toBe('file');
    const image = await client.upload('image', new Uint8Array([137, 80, 78, 71]), 'plakat-5А.png');
    expect(image.type).toBe('image');
    expect([...max.uploads.values()].map((upload) => upload.filename)).toEqual(['plakat-5А.pdf', 'plakat-5А.png']);
    await client.sendToUser(anna.user_id, { attachments: [file] });
    await client.sendToUser(anna.user_id, { text: 'Плакат', attachments: [image] });
    expect(max.inbox(anna.user_id).map((message) => message.attachments[0]?.type)).toEqual(['file', 'image']);
  });

  it('keeps marker 0 and timeout 0 in a long poll (the SDK drops falsy values) and acknowledges by marker', async () => {
    max.start(anna);
    max.say(anna.user_id, 'Здравствуйте');
    const first = await client.updates({ marker: 0, timeout: 0 });
    expect(first.updates.map((update) => update.update_type)).toEqual(['bot_started', 'message_created']);
    const again = await client.updates({ marker: 0, timeout: 0 });
    expect(again.updates).toHaveLength(2);
    const next = await client.updates({ marker: first.marker, timeout: 0 });
    expect(next.updates).toEqual([]);
  });

  it('answers a long poll with 405 while a webhook is subscribed', async () => {
    await client.subscribe({ url: 'https://bot.example/max/webhook', secret: 'secret_123456', updateTypes: ['message_created'] });
    expect(await client.subscriptions()).toHaveLength(1);
    const refused = await client.updates({ marker: null, timeout: 0 }).catch((caught: unknown) => caught);
    expect((refused as MaxApiError).status).toBe(405);
    await client.unsubscribe('https://bot.example/max/webhook');
    await expect(client.updates({ marker: null, timeout: 0 })).resolves.toMatchObject({ updates: [] });
  });

  it('tells a retryable failure from one that surely did not send', async () => {
    max.start(anna);
    max.failNext('POST /messages', { status: 429, code: 'too.many.requests', message: 'slow down' });
    const limited = await client.sendToUser(anna.user_id, { text: 'Раз' }).catch((caught: unknown) => caught);
    expect(classifyMaxError(limited)).toBe('retry');
    expect(surelyNotSent(limited)).toBe(true);
    max.failNext('POST /messages', { status: 400, code: 'attachment.not.ready', message: 'Key: errors.process.attachment.file.not.processed' });
    expect(classifyMaxError(await client.sendToUser(anna.user_id, { text: 'Два' }).catch((caught: unknown) => caught))).toBe('not_ready');
    const closed = createMaxClient({ token: max.token, baseUrl: await closedPort(), timeoutMs: 500 });
    const refused = await closed.me().catch((caught: unknown) => caught);
    expect(classifyMaxError(refused)).toBe('retry');
    expect(surelyNotSent(refused)).toBe(true);
    expect(surelyNotSent(new MaxApiError(0, 'timeout', 'no answer in time'))).toBe(false);
  });

  it('paces its requests to the limit it was given', async () => {
    const paced = createMaxClient({ token: max.token, baseUrl: max.url, apiLimit: 5 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 11 }, () => paced.me()));
    // 11 requests at 5 per second: the 11th may start only after two full windows.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('refuses over 2 messages a second to one chat with 429, like MAX', async () => {
    max.start(anna);
    const results = await Promise.allSettled([1, 2, 3].map((n) => client.sendToUser(anna.user_id, { text: `Сообщение ${n}` })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(classifyMaxError((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason)).toBe('retry');
  });
});
