import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { linksFor } from '../support/conversation-driver.js';

/**
 * What a first real trial found a teacher stuck on (issue 13, items 1–7), each walked through the
 * real vk-io client and the fake VK, which refuses keyboards over VK's limits as VK does.
 */
let fake: FakeVk;
let database: TestDatabase;
let app: App;
let nextUserId = 7_100;
let nextGroupId = 300;

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
const labels = (user: VkUser) => user.buttons().map((b) => b.label);

async function register(user: VkUser, classes: string | null) {
  await user.say('Здравствуйте');
  await user.say(JOIN_CODE);
  await user.say('Сидорова Анна Ивановна');
  return classes === null ? user.click('Нет своего класса', { replies: 2 }) : user.say(classes, { replies: 2 });
}

/** A poster is a message of its own after the text: rendered and uploaded, it may take a while. */
const POSTER_WAIT_MS = 20_000;

async function finishAll(user: VkUser) {
  const links = linksFor('5А');
  await user.click('Подтверждаю');
  await user.say(links.withTeacher);
  await user.say(links.parentsOnly, { replies: 2 });
  // The poster is a message of its own after the text.
  await user.expectReplies(1, POSTER_WAIT_MS);
  await user.sendPhoto();
  await user.say('1 декабря');
  await user.say('25');
  await user.say('18');
  await user.click('Старые чаты закрыты');
  return user.click('Готово');
}

describe('a teacher who has done everything', () => {
  it('gets «Изменить ответ» as a list VK accepts, paged, and a menu without next task or reminders (items 1, 7)', async () => {
    const user = newUser();
    await register(user, '5А');
    expect(texts(await finishAll(user))).toContain('Все задания выполнены');
    // The thank-you carries the menu that makes sense now.
    expect(labels(user)).not.toContain('Следующее задание');

    // The parents' figures can still change once everything is done.
    await user.say('меню');
    expect(labels(user)).toEqual(['Мой прогресс', 'Изменить ответ', 'Плакат с QR-кодами', 'Родители в чатах', 'Помощь', 'Удалить мои данные']);

    const list = await user.click('Изменить ответ');
    expect(list[0]?.message).toContain('Какой ответ изменить? (1 из 2)');
    expect(labels(user)).toEqual([
      '1. Отказ от иностранных мессенджеров',
      '2. Родительские чаты в Сферуме',
      '3. QR-коды чатов в классе',
      '4. Разъяснение родителям',
      '5. Общение только через Сферум',
      'Ещё →',
      'Меню',
    ]);
    await user.click('Ещё →');
    expect(labels(user)).toEqual(['6. Привязка к „Электронному образованию“', '← Назад', 'Меню']);
    expect(texts(await user.click('6. Привязка к „Электронному образованию“'))).toContain('Задание 6 из 6 (п. 6 приказа)');
    expect(texts(await user.click('Готово'))).toContain('Ответ обновлён');
    expect(fake.messagesTo(user.id).every((m) => m.message !== '')).toBe(true);
  });
});

describe('questions at any step (item 2)', () => {
  it('answers «?», «не понимаю», «помогите», «а что такое сферум?» with a how-to for the step and who to ask', async () => {
    const user = newUser();
    await register(user, '5А');
    for (const question of ['?', 'не понимаю', 'помогите', 'а что такое сферум?']) {
      const reply = texts(await user.say(question));
      expect(reply).toContain('Просто больше не пишите ученикам и родителям');
      expect(reply).toContain('спросите заместителя директора');
      expect(reply).not.toContain('Чтобы подтвердить');
      expect(labels(user)).toEqual(['Подтверждаю', 'Меню']);
    }
    expect(texts(await user.say('помощь'))).toContain('Просто больше не пишите');
  });

  it('«как это сделать?» on the ЭО step explains the step and does not ask for a photo', async () => {
    const user = newUser();
    await register(user, '5А');
    await finishAll(user);
    await user.say('меню');
    await user.click('Изменить ответ');
    await user.click('Ещё →');
    await user.click('6. Привязка к „Электронному образованию“');
    const reply = texts(await user.say('как это сделать?'));
    expect(reply).toContain('Скриншот необязателен');
    expect(reply).not.toContain('Здесь нужна фотография');
    expect(texts(await user.say('что-то не то'))).toContain('можно просто нажать «Готово»');
  });
});

describe('registration (item 3)', () => {
  it('takes a first message that is the join code, in any case and with spaces', async () => {
    const user = newUser();
    expect(texts(await user.say(` ${JOIN_CODE.toLowerCase()} `))).toContain('Код принят');
  });

  it('ignores hyphens and spaces inside the code', async () => {
    const user = newUser();
    await user.say('Здравствуйте');
    expect(texts(await user.say(JOIN_CODE.replace('-', ' ')))).toContain('Код принят');
    const other = newUser();
    await other.say('Здравствуйте');
    expect(texts(await other.say(JOIN_CODE.replace('-', '')))).toContain('Код принят');
  });

  it('answers a question about the code without counting it toward the lock-out', async () => {
    const user = newUser();
    await user.say('Здравствуйте');
    for (let i = 0; i < 6; i += 1) expect(texts(await user.say('а какой код?'))).toContain('сообщает администрация школы');
    for (let i = 0; i < 4; i += 1) expect(texts(await user.say('неверный'))).toContain('Код не подошёл');
    expect(texts(await user.say(JOIN_CODE))).toContain('Код принят');
  });

  it('reads the classes back', async () => {
    const user = newUser();
    const replies = await register(user, '7а, 9 Б');
    expect(replies[0]?.message).toContain('Классы: 7А, 9Б.');
  });
});

describe('the tasks a teacher sees', () => {
  it('offers no «Не относится ко мне» on point 1 (item 4)', async () => {
    const user = newUser();
    await register(user, '5А');
    expect(labels(user)).toEqual(['Подтверждаю', 'Меню']);
  });

  it('parses the parents report as people write it, says which number looks wrong, repeats what it recorded (item 5)', async () => {
    const user = newUser();
    await register(user, '5А');
    const links = linksFor('5А');
    await user.click('Подтверждаю');
    await user.say(links.withTeacher);
    await user.say(links.parentsOnly, { replies: 2 });
    await user.expectReplies(1, POSTER_WAIT_MS);
    await user.sendPhoto();
    expect(texts(await user.say('2 декабря'))).toContain('Сколько всего родителей');
    expect(texts(await user.say('1 декабря'))).toContain('Похоже, это дата, а здесь нужно число');
    await user.say('25');
    const wrong = texts(await user.say('30'));
    expect(wrong).toContain('Вступили в чаты — 30, а родителей всего — 25');
    expect(wrong).toContain('Сколько всего родителей');
    await user.say('35');
    expect(texts(await user.say('30'))).toContain('Записал: дата собрания — 02.12.2026, родителей всего — 35, вступили в чаты — 30.');
  });

  it('tells a teacher without a class why tasks 2, 3 and 4 are skipped, and asks nothing about class parents (item 6)', async () => {
    const user = newUser();
    await register(user, null);
    const next = texts(await user.click('Подтверждаю'));
    expect(next).toContain(
      'Задания 2 („Родительские чаты в Сферуме“), 3 („QR-коды чатов в классе“) и 4 („Разъяснение родителям“) к вам не относятся: у вас нет своего класса.',
    );
    expect(next).toContain('Задание 5 из 6 (п. 4 приказа)');
    expect(next).not.toContain('Сколько всего родителей');
    const after = texts(await user.click('Старые чаты закрыты'));
    expect(after).toContain('Задание 6 из 6');
    expect(after).not.toContain('к вам не относ');
  });
});
