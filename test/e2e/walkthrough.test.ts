import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { auditLog, taskCompletions, teachers } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { linksFor } from '../support/conversation-driver.js';

let fake: FakeVk;
let database: TestDatabase;
let app: App;
let nextUserId = 500;
// A fresh fake per test restarts its long-poll numbering; a new community id keeps the stored cursor apart.
let nextGroupId = 1;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());
beforeEach(async () => {
  fake = await startFakeVk({ groupId: ++nextGroupId });
  app = await startTestApp(fake, database);
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

const newUser = () => new VkUser(fake, ++nextUserId);

async function teacherRow(vkId: number) {
  const [row] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
  return row;
}

async function registerThroughChat(user: VkUser, classes = '5А') {
  await user.say('Начать');
  await user.say(JOIN_CODE);
  await user.say('Сидорова Анна Ивановна');
  return user.say(classes, { replies: 2 });
}

describe('a new teacher over the real vk-io client', () => {
  it('completes the whole checklist by chat, and every completion is stored with its evidence', async () => {
    const user = newUser();
    expect(texts(await user.say('Здравствуйте'))).toContain('напишите код школы');
    expect(texts(await user.say(JOIN_CODE))).toContain('МКОУ «СОШ №4»');
    expect(texts(await user.say('Сидорова Анна Ивановна'))).toContain('В каких классах');
    const registered = await user.say('5А', { replies: 2 });
    expect(registered[0]?.message).toContain('Спасибо, Анна Ивановна!');
    expect(registered[1]?.message).toContain('Задание 1 из 6 (п. 1 приказа). Отказ от иностранных мессенджеров');
    expect(user.buttons().map((b) => b.label)).toEqual(['Подтверждаю', 'Меню']);
    expect(registered[1]?.keyboard).toMatchObject({ inline: true });

    const links = linksFor('5А');
    expect(texts(await user.click('Подтверждаю'))).toContain('Задание 2 из 6');
    expect(texts(await user.say('https://example.com/chat'))).toContain('Это не ссылка-приглашение');
    expect(texts(await user.say(links.withTeacher))).toContain('без учителя');
    // The text at once, the poster as a message of its own after it.
    const [lead, next, poster] = await user.say(links.parentsOnly, { replies: 3 });
    expect(lead?.message).toContain('Плакат для 5А готов');
    expect(next?.message).toContain('Задание 3 из 6');
    expect(poster?.attachment).toMatch(/^doc-?\d+_\d+$/);
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');
    await user.say('05.09.2026');
    await user.say('25');
    expect(texts(await user.say('18'))).toContain('Задание 5 из 6');
    expect(texts(await user.click('Старые чаты закрыты'))).toContain('Задание 6 из 6');
    expect(texts(await user.click('Готово'))).toContain('Все задания выполнены. Спасибо!');

    const progress = await user.say('прогресс');
    expect(progress[0]?.message).toContain('Ваш прогресс: 6 из 6.');

    const teacher = await teacherRow(user.id);
    expect(teacher?.finishedAt).not.toBeNull();
    const rows = await database.db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacher!.id));
    expect(rows.map((r) => `${r.taskCode}:${r.className}`).sort()).toEqual(['chats:5А', 'eo_link:', 'messengers:', 'only_sferum:', 'parents:5А', 'qr:5А']);
    const qr = rows.find((r) => r.taskCode === 'qr');
    expect(qr?.evidence).toMatchObject({ kind: 'poster', links: { with_teacher: links.withTeacher }, photo: { attachment: expect.stringMatching(/^photo\d+_\d+/) } });
    expect((qr!.evidence as { photo: { url: string } }).photo.url).toMatch(/^http:\/\/127\.0\.0\.1/);
  });

  it('a duplicate delivery of an update changes nothing and sends nothing', async () => {
    const user = newUser();
    await registerThroughChat(user);
    const button = user.buttons().find((b) => b.label === 'Подтверждаю')!;
    const { update } = fake.sendMessage(user.id, 'Подтверждаю', { payload: button.payload });
    await user.expectReplies(1);
    fake.pushRawUpdate(update);
    fake.pushRawUpdate(update);
    expect(await user.expectSilence()).toEqual([]);
    const teacher = await teacherRow(user.id);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.teacherId, teacher!.id));
    expect(audits.filter((a) => a.action === 'task_done')).toHaveLength(1);
  });

  it('continues at the same step after a restart, including messages sent while the bot was down', async () => {
    const user = newUser();
    await registerThroughChat(user);
    await user.click('Подтверждаю');
    await user.say(linksFor('5А').withTeacher);

    await app.stop();
    fake.sendMessage(user.id, linksFor('5А').parentsOnly);
    app = await startTestApp(fake, database);

    const replies = await user.expectReplies(2);
    expect(replies[1]?.message).toContain('Задание 3 из 6');
    const teacher = await teacherRow(user.id);
    const rows = await database.db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacher!.id));
    const chats = rows.find((r) => r.taskCode === 'chats');
    expect(chats?.evidence).toEqual({ kind: 'links', links: { with_teacher: linksFor('5А').withTeacher, parents_only: linksFor('5А').parentsOnly } });
  });
});

describe('ordering', () => {
  it("handles one teacher's messages strictly in order, several teachers in parallel", async () => {
    const a = newUser();
    const b = newUser();
    for (const user of [a, b]) {
      await registerThroughChat(user);
      await user.click('Подтверждаю');
    }
    // Both links of each teacher arrive in one long-poll batch, interleaved between the teachers.
    for (const user of [a, b]) fake.sendMessage(user.id, linksFor('5А').withTeacher);
    for (const user of [a, b]) fake.sendMessage(user.id, linksFor('5А').parentsOnly);
    for (const user of [a, b]) {
      const [first, lead, next, poster] = await user.expectReplies(4);
      expect(first?.message).toContain('без учителя');
      expect(lead?.message).toContain('Плакат для 5А готов');
      expect(next?.message).toContain('Задание 3 из 6');
      expect(poster?.attachment).toMatch(/^doc/);
    }
  });
});

describe('bad input never crashes the bot', () => {
  it('invalid JSON payload, forged payloads, huge text, stickers and empty messages get polite replies; the rest of the batch is handled', async () => {
    const user = newUser();
    const other = newUser();
    await registerThroughChat(user);

    // One long-poll batch: a broken payload first, then another user's ordinary message.
    fake.sendMessage(user.id, 'Подтверждаю', { payload: '{not json' });
    fake.sendMessage(other.id, 'Здравствуйте');
    expect(texts(await user.expectReplies(1))).toContain('Не знаю такой кнопки');
    expect(texts(await other.expectReplies(1))).toContain('код школы');

    expect(texts(await user.say('{}', { payload: { a: 'done', t: 'eo_link' } }))).toContain('кнопка уже не действует');
    expect(texts(await user.say('x', { payload: { a: 'admin_export', school: 'all' } }))).toContain('Не знаю такой кнопки');
    expect(texts(await user.say('я'.repeat(10_000)))).toContain('слишком длинное');
    expect(texts(await user.say('', { attachments: [{ type: 'sticker', sticker: { sticker_id: 1, product_id: 1 } }] }))).toContain('понимаю текст, кнопки и фотографии');

    // The state is untouched: the first task is still pending.
    expect(texts(await user.click('Подтверждаю'))).toContain('Задание 2 из 6');
  });

  it('stays silent in group chats', async () => {
    const user = newUser();
    fake.sendMessage(user.id, 'Бот, привет', { peerId: 2_000_000_001 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.messagesTo(2_000_000_001)).toEqual([]);
    expect(fake.messagesTo(user.id)).toEqual([]);
  });
});

describe('VK errors', () => {
  it('error 901 marks the teacher unreachable without crashing', async () => {
    const user = newUser();
    await registerThroughChat(user);
    fake.blockUser(user.id);
    fake.sendMessage(user.id, 'меню');
    await expect.poll(async () => (await teacherRow(user.id))?.unreachableAt, { timeout: 5000 }).not.toBeNull();
  });

  it('retries error 10, HTTP 500 and a reset connection, delivering each reply once', async () => {
    const user = newUser();
    await user.say('Привет');
    fake.failNext('messages.send', { code: 10 });
    expect(texts(await user.say('000000'))).toContain('Код не подошёл');
    fake.failNext('messages.send', { http: 500 });
    expect(texts(await user.say('111111'))).toContain('Код не подошёл');
    fake.failNext('messages.send', { reset: true });
    expect(texts(await user.say('222222'))).toContain('Код не подошёл');
    fake.failNext('messages.send', { code: 6 });
    expect(texts(await user.say('333333'))).toContain('Код не подошёл');
    expect(await user.expectSilence()).toEqual([]);
  });
});
