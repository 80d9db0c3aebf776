import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APIError, DocumentAttachment, ExecuteError, Keyboard, type MessageContext, PhotoAttachment, VK } from 'vk-io';

import { startFakeVk, type FakeVk, type FakeVkOptions } from '../support/fake-vk.js';

type VkOptions = ConstructorParameters<typeof VK>[0];

let fake: FakeVk | undefined;
let vk: VK | undefined;

afterEach(async () => {
  await vk?.updates.stop();
  await fake?.close();
  vk = undefined;
  fake = undefined;
});

/** Starts a fake and a real vk-io client pointed at it. */
async function setup(options: FakeVkOptions = {}, vkOptions: Partial<VkOptions> = {}): Promise<{ fake: FakeVk; vk: VK }> {
  fake = await startFakeVk(options);
  vk = new VK({
    token: fake.token,
    apiBaseUrl: fake.apiBaseUrl,
    pollingGroupId: fake.groupId,
    // vk-io defaults `agent` to https.globalAgent, which rejects http:// URLs with ERR_INVALID_PROTOCOL.
    // An explicit undefined overrides that default, so node-fetch picks its own agent per protocol.
    agent: undefined,
    apiMode: 'parallel_selected',
    apiLimit: 20,
    // Retries after network errors wait apiWait ms (3 s by default).
    apiWait: 50,
    ...vkOptions,
  });
  return { fake, vk };
}

/** Calls an API method over plain HTTP, the way vk-io does, and returns the decoded body. */
async function rawCall(target: FakeVk, method: string, params: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`${target.apiBaseUrl}/${method}`, {
    method: 'POST',
    body: new URLSearchParams({ access_token: target.token, v: '5.199', ...params }),
  });
  return response.json();
}

async function download(url: string | undefined): Promise<Buffer> {
  expect(url).toBeDefined();
  const response = await fetch(url as string);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function countRequests(target: FakeVk, method: string): number {
  return target.requestLog.filter((entry) => entry.method === method).length;
}

/** Collects message_new contexts and lets a test await the n-th one. */
function collectMessages(client: VK): { received: MessageContext[]; waitFor(count: number, timeoutMs?: number): Promise<MessageContext[]> } {
  const received: MessageContext[] = [];
  const waiters: (() => void)[] = [];
  client.updates.on('message_new', (context, next) => {
    received.push(context);
    for (const wake of waiters) wake();
    return next();
  });
  return {
    received,
    waitFor: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${received.length} of ${count} updates`)), timeoutMs);
        const check = (): void => {
          if (received.length < count) return;
          clearTimeout(timer);
          resolve(received);
        };
        waiters.push(check);
        check();
      }),
  };
}

describe('messages.send', () => {
  it('records a message sent with peer_id, decoding the keyboard', async () => {
    const { fake, vk } = await setup();
    const keyboard = Keyboard.builder().textButton({ label: 'Готово', payload: { command: 'done' } }).oneTime();

    const messageId = await vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'Привет', keyboard, payload: '{"a":1}' });

    expect(messageId).toBeTypeOf('number');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ peerId: 10, randomId: 1, message: 'Привет', payload: '{"a":1}', messageId });
    expect(fake.sent[0]?.keyboard).toMatchObject({
      one_time: true,
      buttons: [[{ action: { type: 'text', label: 'Готово', payload: '{"command":"done"}' } }]],
    });
  });

  it('answers peer_ids with a per-recipient result and a 901 error for a blocked user', async () => {
    const { fake, vk } = await setup();
    fake.blockUser(42);

    const result = (await vk.api.messages.send({ peer_ids: [10, 42], random_id: 2, message: 'Всем' })) as unknown as object[];

    expect(result).toEqual([
      { peer_id: 10, message_id: expect.any(Number), conversation_message_id: 1 },
      { peer_id: 42, error: { code: 901, description: "Can't send messages for users without permission" } },
    ]);
    expect(fake.sent.map((message) => message.peerId)).toEqual([10]);
  });

  it('drops a repeated (peer, random_id) pair but answers with the original message id', async () => {
    const { fake, vk } = await setup();

    const first = await vk.api.messages.send({ peer_id: 10, random_id: 777, message: 'once' });
    const second = await vk.api.messages.send({ peer_id: 10, random_id: 777, message: 'once' });
    const otherPeer = await vk.api.messages.send({ peer_id: 11, random_id: 777, message: 'once' });

    expect(second).toBe(first);
    expect(otherPeer).not.toBe(first);
    expect(fake.sent.map((message) => message.peerId)).toEqual([10, 11]);
    expect(fake.resent).toEqual([{ peerId: 10, randomId: 777 }]);
  });

  it('builds a message_new update without delivering it, for a Callback API endpoint', async () => {
    const { fake } = await setup();
    const { eventId, update } = fake.createMessageUpdate(10, 'Привет');
    expect(update).toMatchObject({ type: 'message_new', group_id: fake.groupId, event_id: eventId, object: { message: { from_id: 10, text: 'Привет' } } });
    const poll = (await (await fetch(`${fake.apiBaseUrl}/groups.getLongPollServer?access_token=${fake.token}&v=5.199&group_id=${fake.groupId}`)).json()) as {
      response: { server: string; key: string; ts: string };
    };
    const url = `${poll.response.server}?act=a_check&key=${poll.response.key}&ts=${poll.response.ts}&wait=0`;
    expect(((await (await fetch(url)).json()) as { updates: unknown[] }).updates).toEqual([]);
  });

  it('batches concurrent sends into execute requests (parallel_selected)', async () => {
    const { fake, vk } = await setup();

    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) => vk.api.messages.send({ peer_id: 10, random_id: 1000 + i, message: `#${i}` })),
    );

    expect(new Set(ids).size).toBe(30);
    const delivered = await fake.waitForMessages(10, 30);
    expect(delivered.map((message) => message.message)).toEqual(Array.from({ length: 30 }, (_, i) => `#${i}`));
    expect(countRequests(fake, 'messages.send')).toBe(0);
    expect(countRequests(fake, 'execute')).toBeGreaterThan(0);
    expect(countRequests(fake, 'execute')).toBeLessThan(30);
  });

  it('rejects only the failed call of an execute batch with an ExecuteError', async () => {
    const { fake, vk } = await setup();
    fake.blockUser(42);

    const results = await Promise.allSettled([
      vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'a' }),
      vk.api.messages.send({ peer_id: 42, random_id: 2, message: 'b' }),
      vk.api.messages.send({ peer_id: 11, random_id: 3, message: 'c' }),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ExecuteError);
    expect(error).toMatchObject({ code: 901, method: 'messages.send' });
    expect(countRequests(fake, 'execute')).toBe(1);
    expect(fake.sent.map((message) => message.message)).toEqual(['a', 'c']);
  });

  it('rejects an empty message with error 100', async () => {
    const { fake, vk } = await setup();

    await expect(vk.api.messages.send({ peer_id: 10, random_id: 1, message: '' })).rejects.toMatchObject({ code: 100 });
    expect(fake.sent).toEqual([]);
  });

  /** VK's limits (dev.vk.com/ru/api/bots/development/keyboard): inline 5×6 and 10 buttons, standard 5×10 and 40, labels ≤ 40. */
  const textButton = (label: string) => ({ action: { type: 'text', label, payload: '{"a":"menu"}' }, color: 'secondary' });
  const grid = (rows: number, perRow: number, label = 'Кнопка') => Array.from({ length: rows }, () => Array.from({ length: perRow }, () => textButton(label)));
  it.each([
    ['an inline keyboard of 7 rows', { inline: true, buttons: grid(7, 1) }],
    ['an inline keyboard of 11 buttons', { inline: true, buttons: grid(4, 3).slice(0, 4).map((row, i) => (i < 3 ? row : row.slice(0, 2))) }],
    ['a standard keyboard of 11 rows', { one_time: false, buttons: grid(11, 1) }],
    ['a standard keyboard of 41 buttons', { one_time: false, buttons: [...grid(8, 5), [textButton('41')]] }],
    ['a row of 6 buttons', { inline: true, buttons: grid(1, 6) }],
    ['a label of 41 characters', { inline: true, buttons: [[textButton('х'.repeat(41))]] }],
    ['buttons that are not rows', { inline: true, buttons: [textButton('x')] }],
  ])('refuses %s with error 911, as VK does', async (_name, keyboard) => {
    const { fake, vk } = await setup();
    await expect(vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'x', keyboard: JSON.stringify(keyboard) })).rejects.toMatchObject({ code: 911 });
    expect(fake.sent).toEqual([]);
  });

  it.each([
    ['an inline keyboard of 6 rows and 10 buttons', { inline: true, buttons: [...grid(4, 2), [textButton('a')], [textButton('b')]] }],
    ['a standard keyboard of 10 rows and 40 buttons', { one_time: false, buttons: [...grid(8, 5)] }],
    ['a label of 40 characters', { inline: true, buttons: [[textButton('х'.repeat(40))]] }],
  ])('accepts %s', async (_name, keyboard) => {
    const { fake, vk } = await setup();
    await vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'x', keyboard: JSON.stringify(keyboard) });
    expect(fake.sent).toHaveLength(1);
  });
});

describe('long poll updates', () => {
  it('delivers sendMessage as a MessageContext that can be answered', async () => {
    const { fake, vk } = await setup();
    const messages = collectMessages(vk);
    vk.updates.on('message_new', (context) => context.send(`echo: ${context.text}`));
    await vk.updates.start();

    fake.sendMessage(7, 'Начать', { payload: { command: 'start' } });

    const [context] = await messages.waitFor(1);
    expect(context).toMatchObject({ text: 'Начать', senderId: 7, peerId: 7, isChat: false, isOutbox: false });
    expect(context?.messagePayload).toEqual({ command: 'start' });
    const [reply] = await fake.waitForMessages(7, 1);
    expect(reply?.message).toBe('echo: Начать');
  });

  it('marks messages from group chats as chat messages with id 0', async () => {
    const { fake, vk } = await setup();
    const messages = collectMessages(vk);
    await vk.updates.start();

    const { update } = fake.sendMessage(7, 'в беседе', { peerId: 2_000_000_001 });

    const [context] = await messages.waitFor(1);
    expect(context).toMatchObject({ isChat: true, chatId: 1, id: 0, conversationMessageId: 1, senderId: 7 });
    expect(update).toMatchObject({ type: 'message_new', group_id: 1, v: '5.199', event_id: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });

  it('delivers a duplicated raw update twice (vk-io does not deduplicate)', async () => {
    const { fake, vk } = await setup();
    const messages = collectMessages(vk);
    await vk.updates.start();
    const { update } = fake.sendMessage(7, 'twice');

    fake.pushRawUpdate(update);

    const received = await messages.waitFor(2);
    expect(received.map((context) => context.conversationMessageId)).toEqual([1, 1]);
  });

  it('survives an update with an invalid JSON payload, which vk-io drops after a ~3 s polling stall', async () => {
    const { fake, vk } = await setup();
    const messages = collectMessages(vk);
    await vk.updates.start();
    fake.sendMessage(7, 'warm-up');
    await messages.waitFor(1);

    const startedAt = Date.now();
    fake.sendMessage(7, 'broken', { payload: '{not json' });
    // vk-io's MessageContext constructor throws on JSON.parse; its polling loop logs the error and
    // sleeps 3 s before polling again. Keep the next message out of the broken update's batch.
    await new Promise((resolve) => setTimeout(resolve, 300));
    fake.sendMessage(7, 'after');

    const received = await messages.waitFor(2, 8000);
    expect(received.map((context) => context.text)).toEqual(['warm-up', 'after']);
    expect(Date.now() - startedAt).toBeGreaterThan(2000);
  }, 12_000);

  it('serves raw long poll requests with VK semantics (ts, failed: 2, capped hold)', async () => {
    fake = await startFakeVk({ longPollWaitCapSeconds: 0.3 });
    const server = await rawCall(fake, 'groups.getLongPollServer', { group_id: String(fake.groupId) });
    const poll = async (query: Record<string, string>): Promise<any> =>
      (await fetch(`${server.response.server}?${new URLSearchParams({ act: 'a_check', wait: '25', ...query })}`)).json();

    const startedAt = Date.now();
    const empty = await poll({ key: server.response.key, ts: server.response.ts });
    const heldFor = Date.now() - startedAt;
    fake.pushRawUpdate({ type: 'custom', object: { n: 1 } });
    fake.pushRawUpdate({ type: 'custom', object: { n: 2 } });
    const both = await poll({ key: server.response.key, ts: server.response.ts });
    const second = await poll({ key: server.response.key, ts: String(Number(server.response.ts) + 1) });

    expect(empty).toEqual({ ts: server.response.ts, updates: [] });
    expect(heldFor).toBeGreaterThanOrEqual(250);
    expect(heldFor).toBeLessThan(2000);
    expect(both.updates.map((update: any) => update.object.n)).toEqual([1, 2]);
    expect(both.ts).toBe(String(Number(server.response.ts) + 2));
    expect(second.updates.map((update: any) => update.object.n)).toEqual([2]);
    expect(await poll({ key: 'wrong', ts: server.response.ts })).toEqual({ failed: 2 });
  });

  it('answers a held long poll as soon as an update arrives', async () => {
    fake = await startFakeVk({ longPollWaitCapSeconds: 10 });
    const server = await rawCall(fake, 'groups.getLongPollServer', { group_id: String(fake.groupId) });

    const startedAt = Date.now();
    const pending = fetch(`${server.response.server}?act=a_check&key=${server.response.key}&ts=${server.response.ts}&wait=25`);
    setTimeout(() => fake?.sendMessage(5, 'wake up'), 100);
    const result: any = await (await pending).json();

    expect(result.updates).toHaveLength(1);
    expect(result.updates[0].object.message.text).toBe('wake up');
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });
});

describe('uploads', () => {
  it('uploads a message photo whose bytes can be downloaded back', async () => {
    const { fake, vk } = await setup();
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 2048 }, (_, i) => i % 256)]);

    const photo = await vk.upload.messagePhoto({ peer_id: 10, source: { value: bytes } });

    expect(photo).toBeInstanceOf(PhotoAttachment);
    expect(photo.toString()).toMatch(/^photo-1_\d+_[0-9a-f]+$/);
    expect(fake.photos).toHaveLength(1);
    expect(fake.photos[0]?.bytes.equals(bytes)).toBe(true);
    expect((await download(photo.largeSizeUrl)).equals(bytes)).toBe(true);

    await vk.api.messages.send({ peer_id: 10, random_id: 1, attachment: photo.toString() });
    expect(fake.sent[0]?.attachment).toBe(photo.toString());
  });

  it('uploads a message document whose bytes can be downloaded back', async () => {
    const { fake, vk } = await setup();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('\r\n--not-a-boundary\r\n'), Buffer.alloc(4096, 7)]);

    const doc = await vk.upload.messageDocument({ peer_id: 10, source: { value: bytes, filename: 'a.pdf' } });

    expect(doc).toBeInstanceOf(DocumentAttachment);
    expect(doc).toMatchObject({ title: 'a.pdf', extension: 'pdf', size: bytes.length });
    expect(doc.toString()).toBe(`doc-1_${doc.id}`);
    expect(fake.documents).toEqual([{ id: doc.id, ownerId: -1, title: 'a.pdf', type: 'doc', ext: 'pdf', bytes }]);
    expect((await download(doc.url)).equals(bytes)).toBe(true);
  });

  it('lets a user send a photo that the bot can download', async () => {
    const { fake, vk } = await setup();
    const messages = collectMessages(vk);
    await vk.updates.start();

    const attachment = fake.uploadUserPhoto(7);
    fake.sendMessage(7, '', { attachments: [attachment] });

    const [context] = await messages.waitFor(1);
    const [photo] = context?.getAttachments('photo') ?? [];
    expect(photo).toBeInstanceOf(PhotoAttachment);
    expect(photo?.ownerId).toBe(7);
    const downloaded = await download(photo?.largeSizeUrl);
    expect(downloaded.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('error injection', () => {
  it('fails the next calls with an injected API error', async () => {
    const { fake, vk } = await setup();
    fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });
    fake.failNext('users.get', { code: 10 });
    fake.failNext('messages.send', { code: 10, message: 'Internal server error: boom' });

    await expect(vk.api.users.get({ user_ids: ['1'] })).rejects.toSatisfy(
      (error) => error instanceof APIError && !(error instanceof ExecuteError) && error.code === 10,
    );
    await expect(vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'x' })).rejects.toSatisfy(
      (error) => error instanceof ExecuteError && error.code === 10 && error.message.includes('boom'),
    );
    await expect(vk.api.users.get({ user_ids: ['1'] })).resolves.toHaveLength(1);
    expect(fake.requestLog.find((entry) => entry.method === 'users.get')?.errorCode).toBe(10);
  });

  it('lets vk-io retry after an HTTP 500 and after a reset connection', async () => {
    const { fake, vk } = await setup();
    fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });
    fake.failNext('users.get', { http: 500 });
    fake.failNext('users.get', { reset: true });
    fake.failNext('messages.send', { http: 502 });

    const [users, messageId] = await Promise.all([
      vk.api.users.get({ user_ids: ['1'] }),
      vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'after retry' }),
    ]);

    expect(users[0]?.first_name).toBe('Анна');
    expect(messageId).toBeTypeOf('number');
    expect(countRequests(fake, 'users.get')).toBe(3);
    expect(countRequests(fake, 'execute')).toBe(2);
    expect(fake.messagesTo(10).map((message) => message.message)).toEqual(['after retry']);
  });

  it('fails calls at random at the given rate, with the listed failures, only for the listed methods', async () => {
    const { fake } = await setup();
    fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });
    fake.failRandomly({ rate: 0.5, failures: [{ code: 9 }, { code: 10 }], methods: ['users.get'] });

    const bodies = [];
    for (let i = 0; i < 200; i += 1) bodies.push(await rawCall(fake, 'users.get', { user_ids: '1' }));
    const failed = bodies.filter((body) => body.error !== undefined);
    expect(failed.length).toBeGreaterThan(60);
    expect(failed.length).toBeLessThan(140);
    expect(new Set(failed.map((body) => body.error.error_code))).toEqual(new Set([9, 10]));
    expect(fake.randomFaults).toHaveLength(failed.length);
    // Methods not listed never fail.
    const others = await Promise.all([1, 2, 3, 4, 5].map(() => rawCall(fake, 'groups.getById')));
    expect(others.every((body) => body.response !== undefined)).toBe(true);

    fake.failRandomly(null);
    expect((await rawCall(fake, 'users.get', { user_ids: '1' })).response).toHaveLength(1);
  });

  it('fails the whole request for a random transport failure, and slows answers', async () => {
    const { fake, vk } = await setup();
    fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });
    let draws = 0;
    // The first call fails with a reset, the rest succeed; every answer is slowed by 150 ms.
    fake.failRandomly({ rate: 0.5, failures: [{ reset: true }], methods: ['users.get'], slowRate: 1, slowMs: 150, random: () => (draws++ < 2 ? 0 : 0.99) });
    await expect(rawCall(fake, 'users.get', { user_ids: '1' })).rejects.toThrow();
    const started = Date.now();
    const users = await vk.api.users.get({ user_ids: ['1'] });
    expect(users[0]?.first_name).toBe('Анна');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(fake.randomFaults.map((f) => f.failure)).toEqual([{ reset: true }, { slow: 150 }]);
  });

  it('surfaces transport errors once vk-io runs out of retries', async () => {
    const { fake, vk } = await setup({}, { apiRetryLimit: 1 });
    fake.failNext('users.get', { http: 503 }, 2);
    fake.failNext('groups.getById', { reset: true }, 2);

    await expect(vk.api.users.get({ user_ids: ['1'] })).rejects.toBeInstanceOf(SyntaxError);
    await expect(vk.api.groups.getById({})).rejects.toMatchObject({ name: 'FetchError', code: 'ECONNRESET' });
    expect(countRequests(fake, 'users.get')).toBe(2);
  });

  it('enforces rateLimitPerSecond with error 6, which vk-io retries transparently', async () => {
    const { fake, vk } = await setup({ rateLimitPerSecond: 2 });
    fake.users.set(1, { first_name: 'Анна', last_name: 'Иванова' });

    const raw = await Promise.all([1, 2, 3].map(() => rawCall(fake, 'users.get', { user_ids: '1' })));
    expect(raw.filter((body) => body.response !== undefined)).toHaveLength(2);
    expect(raw.find((body) => body.error !== undefined)?.error).toMatchObject({ error_code: 6, error_msg: 'Too many requests per second' });

    const results = await Promise.all([1, 2, 3, 4].map(() => vk.api.users.get({ user_ids: ['1'] })));
    expect(results.every((users) => users[0]?.id === 1)).toBe(true);
    expect(fake.requestLog.filter((entry) => entry.errorCode === 6).length).toBeGreaterThan(1);
  });
});

describe('users and auth', () => {
  it('answers users.get and utils.resolveScreenName from the users map', async () => {
    const { fake, vk } = await setup();
    fake.users.set(5, { first_name: 'Анна', last_name: 'Иванова', screen_name: 'anna' });
    fake.users.set(6, { first_name: 'Пётр', last_name: 'Петров' });

    const users = await vk.api.users.get({ user_ids: ['5', 'id6'] });
    const withScreenName = await vk.api.users.get({ user_ids: ['anna'], fields: ['screen_name'] });

    expect(users).toEqual([
      { id: 5, first_name: 'Анна', last_name: 'Иванова', can_access_closed: true, is_closed: false },
      { id: 6, first_name: 'Пётр', last_name: 'Петров', can_access_closed: true, is_closed: false },
    ]);
    expect(withScreenName[0]?.screen_name).toBe('anna');
    await expect(vk.api.users.get({ user_ids: ['404'] })).rejects.toMatchObject({ code: 113, message: 'Code №113 - Invalid user id' });
    expect(await vk.api.utils.resolveScreenName({ screen_name: 'anna' })).toEqual({ type: 'user', object_id: 5 });
    expect(await vk.api.utils.resolveScreenName({ screen_name: 'club1' })).toEqual({ type: 'group', object_id: 1 });
    expect(await vk.api.utils.resolveScreenName({ screen_name: 'nobody' })).toEqual([]);
  });

  it('answers groups.getById in the 5.199 shape', async () => {
    const { vk } = await setup();

    const result = await vk.api.groups.getById({});

    expect(result.groups[0]).toMatchObject({ id: 1, name: 'Школа', screen_name: 'club1', type: 'group' });
  });

  it('rejects other tokens with error 5 and unknown methods with error 3', async () => {
    const { fake } = await setup();
    const stranger = new VK({ token: 'not-the-token', apiBaseUrl: fake.apiBaseUrl, agent: undefined });

    await expect(stranger.api.users.get({})).rejects.toMatchObject({ code: 5 });
    await expect(vk?.api.call('foo.bar', {})).rejects.toMatchObject({ code: 3 });
    expect(await rawCall(fake, 'users.get', { access_token: '' })).toMatchObject({
      error: { error_code: 5, error_msg: 'User authorization failed: no access_token passed.' },
    });
  });
});

describe('robustness', () => {
  it('answers bad input without crashing', async () => {
    fake = await startFakeVk();
    const tooManyCalls = `return [${Array.from({ length: 26 }, () => 'API.users.get({})').join(',')}];`;

    const notFound = await fetch(`${fake.url}/nope`);
    const garbageBody = await fetch(`${fake.apiBaseUrl}/users.get`, { method: 'POST', body: '%%%&&&==\u0000' });
    const badCode = await rawCall(fake, 'execute', { code: 'return API.users.get({"user_ids":"1"' });
    const badJson = await rawCall(fake, 'execute', { code: 'return [API.users.get({user_ids: 1})];' });
    const tooMany = await rawCall(fake, 'execute', { code: tooManyCalls });
    const badMultipart = await fetch(`${fake.url}/upload/photo`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'garbage',
    });
    const missingFile = await fetch(`${fake.url}/files/doc-1_1`);

    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: 'Not found' });
    expect(await garbageBody.json()).toMatchObject({ error: { error_code: 5 } });
    expect(badCode.error.error_code).toBe(12);
    expect(badJson.error.error_code).toBe(12);
    expect(tooMany.error.error_code).toBe(13);
    expect(await badMultipart.json()).toMatchObject({ error: 'no_file' });
    expect(missingFile.status).toBe(404);
    expect(await rawCall(fake, 'groups.getById')).toMatchObject({ response: { groups: [{ id: 1 }] } });
  });

  it('parses execute params with nested JSON, escapes and brackets inside strings', async () => {
    fake = await startFakeVk();
    const params = { peer_id: 10, random_id: 9, message: 'a "quoted" ) ] } ; API.x( \\ text', keyboard: '{"buttons":[],"one_time":false}' };

    const body = await rawCall(fake, 'execute', {
      code: `return [API.messages.send(${JSON.stringify(params)}), API.unknown.method({})];`,
    });

    expect(body.response).toEqual([expect.any(Number), false]);
    expect(body.execute_errors).toEqual([{ method: 'unknown.method', error_code: 3, error_msg: 'Unknown method passed: unknown.method' }]);
    expect(fake.sent[0]).toMatchObject({ message: params.message, keyboard: { buttons: [], one_time: false } });
    expect(countRequests(fake, 'execute')).toBe(1);
  });

  it('close() ends pending long polls and waiters promptly', async () => {
    const target = await startFakeVk({ longPollWaitCapSeconds: 30 });
    const server = await rawCall(target, 'groups.getLongPollServer', { group_id: '1' });
    const pendingPoll = fetch(`${server.response.server}?act=a_check&key=${server.response.key}&ts=${server.response.ts}&wait=25`);
    const pendingWait = target.waitForMessages(10, 1, 30_000);
    // The poll must be held by the server before close(); under load that can take a while.
    await expect.poll(() => target.longPollsWaiting, { timeout: 5000 }).toBe(1);

    const startedAt = Date.now();
    await target.close();

    expect(Date.now() - startedAt).toBeLessThan(1000);
    await expect(pendingWait).rejects.toThrow(/closed while waiting/);
    expect(await (await pendingPoll).json()).toMatchObject({ updates: [] });
  });

  it('explains what was received when waitForMessages times out', async () => {
    const { fake, vk } = await setup();
    await vk.api.messages.send({ peer_id: 10, random_id: 1, message: 'first' });
    await vk.api.messages.send({ peer_id: 11, random_id: 2, message: 'elsewhere' });

    await expect(fake.waitForMessages(10, 2, 100)).rejects.toThrow(
      /Expected at least 2 message\(s\) to peer 10 within 100 ms\.\nReceived:\n {2}1\. "first"\nMessages were also sent to peers: 11\./,
    );
  });
});

describe('callback buttons', () => {
  it('delivers a press as message_event and records the answer once', async () => {
    const { fake, vk } = await setup();
    const { eventId, update } = fake.sendMessageEvent(7, { a: 'next' }, { conversationMessageId: 3 });
    const server = await rawCall(fake, 'groups.getLongPollServer', { group_id: '1' });
    const poll: any = await (await fetch(`${server.response.server}?act=a_check&key=${server.response.key}&ts=1&wait=0`)).json();

    expect(poll.updates).toEqual([update]);
    expect(update).toMatchObject({ type: 'message_event', object: { user_id: 7, peer_id: 7, event_id: eventId, payload: { a: 'next' }, conversation_message_id: 3 } });

    const eventData = JSON.stringify({ type: 'show_snackbar', text: 'Готово' });
    expect(await vk.api.messages.sendMessageEventAnswer({ event_id: eventId, user_id: 7, peer_id: 7, event_data: eventData })).toBe(1);
    await expect(vk.api.messages.sendMessageEventAnswer({ event_id: eventId, user_id: 7, peer_id: 7 })).rejects.toMatchObject({ code: 100 });
    await expect(vk.api.messages.sendMessageEventAnswer({ event_id: 'nope', user_id: 7, peer_id: 7 })).rejects.toMatchObject({ code: 100 });
    expect(fake.eventAnswers).toEqual([{ eventId, userId: 7, peerId: 7, eventData: { type: 'show_snackbar', text: 'Готово' }, at: expect.any(Number) }]);
  });
});

describe('long poll ts out of range', () => {
  it('answers failed: 1 with the current ts for a ts beyond the latest event or older than the kept history', async () => {
    fake = await startFakeVk({ longPollHistoryLimit: 2 });
    const server = await rawCall(fake, 'groups.getLongPollServer', { group_id: '1' });
    const poll = async (ts: string): Promise<any> =>
      (await fetch(`${server.response.server}?act=a_check&key=${server.response.key}&ts=${ts}&wait=0`)).json();
    for (const n of [1, 2, 3]) fake.pushRawUpdate({ type: 'custom', object: { n } });

    expect(await poll('5')).toEqual({ failed: 1, ts: '4' });
    expect(await poll('1')).toEqual({ failed: 1, ts: '4' });
    expect((await poll('2')).updates.map((update: any) => update.object.n)).toEqual([2, 3]);
    expect(await poll('4')).toEqual({ ts: '4', updates: [] });
  });
});

describe('other requests', () => {
  it('passes paths outside the VK routes to onOtherRequest', async () => {
    fake = await startFakeVk({
      onOtherRequest: (_req, res, url) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`page ${url.pathname}`);
      },
    });
    expect(await (await fetch(`${fake.url}/chat`)).text()).toBe('page /chat');
    expect((await rawCall(fake, 'groups.getById')).response.groups[0].id).toBe(1);
  });
});

describe('state on disk', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('restarts with the same messages, files, users and long poll position, on another port', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fake-vk-'));
    const first = await setup({ stateDir: dir });
    first.fake.users.set(7, { first_name: 'Анна', last_name: 'Сидорова' });
    first.fake.sendMessage(7, 'Здравствуйте');
    first.fake.sendMessage(7, '', { attachments: [first.fake.uploadUserPhoto(7)] });
    const bytes = Buffer.from('%PDF-1.4 poster');
    const doc = await first.vk.upload.messageDocument({ peer_id: 7, source: { value: bytes, filename: 'Плакат 5А.pdf' } });
    await first.vk.api.messages.send({ peer_id: 7, random_id: 42, message: 'Плакат', attachment: doc.toString() });
    const before = await rawCall(first.fake, 'groups.getLongPollServer', { group_id: '1' });
    await first.fake.close();
    await first.vk.updates.stop();
    // Hold the old port, so the restarted emulator surely gets another one.
    const blocker = createServer().listen(Number(new URL(first.fake.url).port), '127.0.0.1');
    await once(blocker, 'listening');

    const second = await setup({ stateDir: dir }).finally(() => blocker.close());
    expect(second.fake.url).not.toBe(first.fake.url);
    expect(second.fake.received.map((message) => message.text)).toEqual(['Здравствуйте', '']);
    expect(second.fake.sent).toMatchObject([{ peerId: 7, message: 'Плакат', attachment: doc.toString() }]);
    expect(second.fake.users.get(7)).toEqual({ first_name: 'Анна', last_name: 'Сидорова' });
    expect(second.fake.documents).toEqual([{ id: doc.id, ownerId: -1, title: 'Плакат 5А.pdf', type: 'doc', ext: 'pdf', bytes }]);

    // Files are served at the new address, under their title.
    const poster = await fetch(`${second.fake.url}/files/doc-1_${doc.id}`);
    expect(Buffer.from(await poster.arrayBuffer()).equals(bytes)).toBe(true);
    expect(poster.headers.get('content-type')).toBe('application/pdf');
    expect(poster.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Плакат 5А.pdf')}`);
    const photo = second.fake.received[1]?.attachments[0] as any;
    expect(photo.photo.sizes[0].url.startsWith(`${second.fake.url}/files/`)).toBe(true);
    expect((await fetch(photo.photo.sizes[0].url)).status).toBe(200);

    // The long poll counts on from where it stopped, and a repeated random_id is still dropped.
    const after = await rawCall(second.fake, 'groups.getLongPollServer', { group_id: '1' });
    expect(after.response.ts).toBe(before.response.ts);
    second.fake.sendMessage(7, 'после перезапуска');
    const poll: any = await (await fetch(`${after.response.server}?act=a_check&key=${after.response.key}&ts=${before.response.ts}&wait=0`)).json();
    expect(poll.updates.map((update: any) => update.object.message.text)).toEqual(['после перезапуска']);
    await second.vk.api.messages.send({ peer_id: 7, random_id: 42, message: 'Плакат' });
    expect(second.fake.messagesTo(7)).toHaveLength(1);
  });

  it('refuses a state it cannot read, naming the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fake-vk-'));
    writeFileSync(join(dir, 'state.json'), '{ broken');
    await expect(startFakeVk({ stateDir: dir })).rejects.toThrow(/state\.json cannot be read; delete the folder/);
  });
});
