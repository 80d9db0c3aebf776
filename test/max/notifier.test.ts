import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeMax } from '../../src/fake-max/server.js';
import { createMaxClient } from '../../src/max/client.js';
import { createMaxNotifier, splitText } from '../../src/max/notifier.js';
import { createLogger } from '../../src/logger.js';
import type { Notifier } from '../../src/domain/ports.js';

const anna = { user_id: 601, first_name: 'Анна', is_bot: false };
const logger = createLogger('silent');

describe('MAX notifier', () => {
  let max: FakeMax;
  let notifier: Notifier;
  let unreachable: number[];

  beforeEach(async () => {
    max = new FakeMax();
    unreachable = [];
    const client = createMaxClient({ token: max.token, baseUrl: await max.listen(), timeoutMs: 2_000 });
    notifier = createMaxNotifier({ client, logger, retry: { attempts: 3, baseDelayMs: 20 }, onUnreachable: async (id) => void unreachable.push(id) });
  });
  afterEach(() => max.close());

  it('sends a poster as its own document message, then the text with the picture and the keyboard', async () => {
    max.start(anna);
    const files = [
      { kind: 'document' as const, filename: 'plakat-5А.pdf', content: new TextEncoder().encode('%PDF') },
      { kind: 'photo' as const, filename: 'plakat-5А.png', content: new Uint8Array([137, 80, 78, 71]) },
    ];
    const delivery = await notifier.send(anna.user_id, { text: 'Плакат для 5А', files, buttons: [[{ label: 'Меню', payload: { a: 'menu' } }]] }, 'event-1');
    expect(delivery).toEqual({ status: 'sent' });
    const inbox = max.inbox(anna.user_id);
    expect(inbox.map((message) => message.attachments.map((attachment) => attachment.type))).toEqual([['file'], ['image', 'inline_keyboard']]);
    expect(inbox[1]!.text).toBe('Плакат для 5А');
  });

  it('reports a person who never started or stopped the bot as unreachable', async () => {
    expect(await notifier.send(anna.user_id, { text: 'Напоминание' }, 'r-1')).toEqual({ status: 'unreachable' });
    max.start(anna);
    max.stop(anna.user_id);
    expect(await notifier.send(anna.user_id, { text: 'Напоминание' }, 'r-2')).toEqual({ status: 'unreachable' });
    expect(unreachable).toEqual([anna.user_id, anna.user_id]);
  });

  it('retries what surely was not sent, once delivered', async () => {
    max.start(anna);
    max.failNext('POST /messages', { status: 429, code: 'too.many.requests', message: 'slow down' });
    max.failNext('POST /messages', { status: 503, code: 'service.unavailable', message: 'later' });
    expect(await notifier.send(anna.user_id, { text: 'Готово' }, 'e-2')).toEqual({ status: 'sent' });
    expect(max.inbox(anna.user_id).map((message) => message.text)).toEqual(['Готово']);
  });

  it('gives up after its attempts with a retryable failure, and keeps two messages a second per chat', async () => {
    max.start(anna);
    max.failNext('POST /messages', { status: 502, code: 'bad.gateway', message: 'down' }, 3);
    expect(await notifier.send(anna.user_id, { text: 'Раз' }, 'e-3')).toEqual({ status: 'failed', error: 'bad.gateway', retryable: true });
    const long = `${'а'.repeat(3000)}\n\n${'б'.repeat(3000)}\n\n${'в'.repeat(3000)}`;
    expect(await notifier.send(anna.user_id, { text: long }, 'e-4')).toEqual({ status: 'sent' });
    expect(max.inbox(anna.user_id).map((message) => message.text.length)).toEqual([3000, 3000, 3000]);
  });

  it('falls back to the file-less reply when a file is refused', async () => {
    max.start(anna);
    max.failNext('POST /uploads', { status: 400, code: 'proto.payload', message: 'File extension is forbidden' });
    const reply = { text: 'Плакат', files: [{ kind: 'document' as const, filename: 'x.exe', content: new Uint8Array([1]) }], withoutFiles: { text: 'Плакат не удалось отправить.' } };
    expect(await notifier.send(anna.user_id, reply, 'e-5')).toEqual({ status: 'sent' });
    expect(max.inbox(anna.user_id).map((message) => message.text)).toEqual(['Плакат не удалось отправить.']);
  });
});

describe('splitText', () => {
  it('keeps short text whole and cuts long text at a break near the limit', () => {
    expect(splitText('Здравствуйте', 4000)).toEqual(['Здравствуйте']);
    expect(splitText('ab\ncd', 3)).toEqual(['ab', 'cd']);
    expect(splitText('abcdef', 4)).toEqual(['abcd', 'ef']);
    expect(splitText('x'.repeat(8001), 4000).map((part) => part.length)).toEqual([4000, 4000, 1]);
  });
});
