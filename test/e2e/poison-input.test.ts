import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { cleanText } from '../../src/domain/validation/clean-text.js';
import { classes, schoolTasks, taskCompletions, teachers } from '../../src/db/schema.js';
import { linksFor } from '../support/conversation-driver.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { rosterXlsx } from '../support/roster-fixture.js';

const ADMIN = 7301;
let fake: FakeVk;
let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeVk({ groupId: 7300 });
  app = await startTestApp(fake, database, { ADMIN_VK_IDS: String(ADMIN) });
});
afterAll(async () => {
  await app.stop();
  await fake.close();
  await database.destroy();
});

/** The text with a NUL, a right-to-left override, a zero-width space, a BOM and a bell mixed in. */
const poison = (text: string): string => `\u0000${text.slice(0, 2)}\u202E\u200B${text.slice(2)}\uFEFF\u0007`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the control characters it sent.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/;

describe('cleanText', () => {
  it('removes controls, bidi controls and zero-width characters, keeps line breaks and emoji', () => {
    expect(cleanText(poison('Сидорова Анна'))).toBe('Сидорова Анна');
    expect(cleanText('a\r\nb\rc\td')).toBe('a\nb\nc\td');
    expect(cleanText('\u2066x\u2069\u00ADy\u061Cz')).toBe('xyz');
    expect(cleanText('ok 👍')).toBe('ok 👍');
    expect(cleanText('bad \uD800 half')).toBe('bad \uFFFD half');
  });
});

describe('poisoned free text over the real vk-io client', () => {
  it('every teacher field (join code, name, classes, links, report, not-applicable reason, leave date) is stored clean', async () => {
    const user = new VkUser(fake, 7302);
    await user.say(poison('Начать'));
    expect(texts(await user.say(poison(JOIN_CODE)))).toContain('МКОУ «СОШ №4»');
    expect(texts(await user.say(poison('Сидорова Анна Ивановна')))).toContain('В каких классах');
    expect(texts(await user.say(poison('5А, 7Б'), { replies: 2 }))).toContain('Спасибо, Анна Ивановна!');
    await user.click('Подтверждаю');
    const links = linksFor('5А');
    expect(texts(await user.say(poison(links.withTeacher)))).toContain('без учителя');
    // The text, the next question, then the poster as a message of its own.
    expect(texts(await user.say(poison(links.parentsOnly), { replies: 3 }))).toContain('Класс 7Б');
    const links7 = linksFor('7Б');
    await user.say(links7.withTeacher);
    expect(texts(await user.say(links7.parentsOnly, { replies: 3 }))).toContain('Задание 3 из 6');
    await user.sendPhoto();
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');
    await user.say(poison('05.09.2026'));
    await user.say(poison('25'));
    expect(texts(await user.say(poison('18')))).toContain('Класс 7Б');
    await user.say('05.09.2026');
    await user.say('20');
    expect(texts(await user.say('20'))).toContain('Задание 5 из 6');
    await user.click('Не относится ко мне');
    // A NUL in a reason used to fail its transaction on every delivery.
    expect(texts(await user.say(poison('Нет старых чатов')))).toContain('Задание 6 из 6');
    await user.click('Меню');
    await user.click('Я в отпуске до…');
    const until = new Date(Date.now() + 30 * 86_400_000);
    const [dd, mm, yyyy] = [until.getUTCDate(), until.getUTCMonth() + 1, until.getUTCFullYear()].map((n) => String(n).padStart(2, '0'));
    expect(texts(await user.say(poison(`${dd}.${mm}.${yyyy}`)))).toContain(`до ${dd}.${mm}.${yyyy} включительно`);

    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, user.id));
    expect(teacher?.fullName).toBe('Сидорова Анна Ивановна');
    expect(teacher?.leaveUntil).toBe(`${yyyy}-${mm}-${dd}`);
    const names = await database.db.select({ name: classes.name }).from(classes).where(eq(classes.teacherId, teacher!.id));
    expect(names.map((c) => c.name).sort()).toEqual(['5А', '7Б']);
    const rows = await database.db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacher!.id));
    expect(rows.find((r) => r.taskCode === 'only_sferum')).toMatchObject({ status: 'not_applicable', reason: 'Нет старых чатов' });
    expect(rows.find((r) => r.taskCode === 'chats' && r.className === '5А')?.evidence).toMatchObject({ links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly } });
    expect(rows.find((r) => r.taskCode === 'parents' && r.className === '5А')?.evidence).toMatchObject({ values: { meeting_date: '2026-09-05', parents_total: 25, parents_joined: 18 } });
    expect(JSON.stringify(rows)).not.toMatch(INVISIBLE);
  });

  it('the administrator\'s pasted roster, roster file cells and local act are stored clean', async () => {
    const admin = new VkUser(fake, ADMIN);
    await admin.say('Здравствуйте');
    await admin.click('Импорт');
    expect(texts(await admin.say(`${poison('Петров Пётр Петрович')};;${poison('6В')}\n${poison('Орлова Ольга Олеговна')};;`))).toContain('Новых учителей: 2');
    expect(texts(await admin.click('Применить'))).toContain('Добавлено: 2');
    await admin.click('Импорт');
    const file = await rosterXlsx([], [[poison('Зайцева Зоя Захаровна'), '', poison('9Г')]]);
    expect(texts(await admin.say('', { attachments: [fake.uploadUserDocument(ADMIN, poison('Список.xlsx'), file)] }))).toContain('Новых учителей: 1');
    expect(texts(await admin.click('Применить'))).toContain('Добавлено: 1');
    await admin.say('задачи школы');
    await admin.click('Отметить локальный акт');
    expect(texts(await admin.say(poison('№ 12-од от 01.09.2026')))).toContain('Записал: локальный акт № 12-од от 01.09.2026');

    const rows = await database.db.select().from(teachers).where(eq(teachers.schoolId, app.schoolId));
    expect(rows.map((r) => r.fullName)).toEqual(expect.arrayContaining(['Петров Пётр Петрович', 'Орлова Ольга Олеговна', 'Зайцева Зоя Захаровна']));
    const classNames = await database.db.select({ name: classes.name }).from(classes).where(eq(classes.schoolId, app.schoolId));
    expect(classNames.map((c) => c.name)).toEqual(expect.arrayContaining(['6В', '9Г']));
    const tasks = await database.db.select().from(schoolTasks).where(eq(schoolTasks.schoolId, app.schoolId));
    expect(JSON.stringify(tasks)).toContain('12-од');
    expect(JSON.stringify([rows, classNames, tasks])).not.toMatch(INVISIBLE);
  });
});
