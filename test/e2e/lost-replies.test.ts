import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { createConversationService } from '../../src/domain/conversation/service.js';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { createUnitOfWork } from '../../src/db/repositories/index.js';
import { outbox, teachers } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp } from '../support/harness.js';

let fake: FakeVk;
let database: TestDatabase;
let app: App | undefined;
let nextUserId = 3_100;
let nextGroupId = 310;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());
beforeEach(async () => {
  fake = await startFakeVk({ groupId: ++nextGroupId });
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await fake.close();
});

/** What a stranger is told, step by step, while registering. */
const REGISTRATION = [
  { say: 'Начать', replies: ['код школы'] },
  { say: JOIN_CODE, replies: ['Код принят'] },
  { say: 'Сидорова Анна Ивановна', replies: ['В каких классах'] },
  { say: '5А', replies: ['Спасибо, Анна Ивановна!', 'Задание 1 из 6'] },
];

describe('a reply is never lost once its step is recorded', () => {
  it('VK answers error 10 or HTTP 502 to every send for 6 s: every reply arrives afterwards, once, in order', async () => {
    app = await startTestApp(fake, database);
    const users = [new VkUser(fake, ++nextUserId), new VkUser(fake, ++nextUserId), new VkUser(fake, ++nextUserId)];
    fake.failRandomly({ rate: 1, failures: [{ code: 10 }, { http: 502 }], methods: ['messages.send'] });
    const recovered = Date.now() + 6000;
    // Each teacher registers while VK refuses every message: each step is recorded, nothing reaches them.
    for (const step of REGISTRATION) {
      for (const user of users) fake.sendMessage(user.id, step.say);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // VK stays down until every step is recorded (on a loaded machine that can take longer than 6 s).
    await expect
      .poll(() => Promise.all(users.map(async (user) => (await database.db.select().from(teachers).where(eq(teachers.vkId, user.id))).length)), { timeout: 30_000 })
      .toEqual([1, 1, 1]);
    expect(fake.sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, recovered - Date.now())));
    fake.failRandomly(null);

    const expected = REGISTRATION.flatMap((step) => step.replies);
    for (const user of users) {
      const replies = await fake.waitForMessages(user.id, expected.length, 30_000);
      expected.forEach((text, index) => {
        expect(replies[index]?.message).toContain(text);
      });
      await user.expectReplies(expected.length);
    }
    for (const user of users) expect(await user.expectSilence(1500)).toEqual([]);
    expect(fake.randomFaults.length).toBeGreaterThan(0);
    expect(await app.database.db.select().from(outbox).where(eq(outbox.status, 'pending'))).toEqual([]);
  }, 60_000);

  it('replies committed by a process that died before sending them are sent by the next one; the redelivered update is a duplicate', async () => {
    const vkId = ++nextUserId;
    // The committed state a crash right after the commit leaves behind: the update's id and its replies in the outbox, nothing sent.
    const service = createConversationService({ uow: createUnitOfWork(database.db), checklist: defaultChecklist, clock: { now: () => new Date() }, timeZone: 'Europe/Moscow' });
    const { update, eventId } = fake.createMessageUpdate(vkId, 'Начать');
    const handled = await service.handle({ eventId, vkUserId: vkId, input: { type: 'text', text: 'Начать' } });
    expect(handled.queued.text).toHaveLength(1);

    app = await startTestApp(fake, database);
    // Once the reply is older than the drain's grace for fresh replies (3 s): its own process is gone.
    const [reply] = await fake.waitForMessages(vkId, 1, 15_000);
    expect(reply?.message).toContain('код школы');
    // VK delivers the update again (it was never acknowledged): nothing more is sent.
    fake.pushRawUpdate(update);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.messagesTo(vkId)).toHaveLength(1);
  });
});
