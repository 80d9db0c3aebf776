import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { maxLinksFor } from '../support/conversation-driver.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { qrCodesOfPdf } from '../support/qr.js';

const ADMIN = 7101;
let fake: FakeVk;
let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeVk({ groupId: 4343 });
  app = await startTestApp(fake, database, { ADMIN_VK_IDS: String(ADMIN) });
});
afterAll(async () => {
  await app.stop();
  await fake.close();
  await database.destroy();
});

/** A poster is rendered and uploaded after the step's text, under VK's request limit. */
const POSTER_WAIT_MS = 20_000;

// One long walk (two classes, two posters rendered and decoded, a summary and an export): more than the default 20 s on a busy machine.
describe('chats in MAX over the real vk-io client', { timeout: 60_000 }, () => {
  it('a teacher of 5А and 7Б sends MAX links, gets posters of exactly those links, cannot reuse 5А\'s chat for 7Б, and her parents figures reach the summary and the export', async () => {
    const teacher = new VkUser(fake, 7201);
    await teacher.say('Здравствуйте');
    await teacher.say(JOIN_CODE);
    await teacher.say('Сидорова Анна Ивановна');
    await teacher.say('5А, 7Б', { replies: 2 });
    expect(texts(await teacher.click('Подтверждаю'))).toContain('Класс 5А.');

    // Both chats of 5А in one message: the poster comes, then 7Б is asked.
    const a = maxLinksFor('5А');
    const [posterA, next] = await teacher.say(`с учителем: ${a.withTeacher}\nбез учителя: ${a.parentsOnly}`, { replies: 2 });
    expect(posterA?.message).toContain('Плакат для 5А готов');
    expect(next?.message).toContain('Класс 7Б.');
    // The poster itself follows as a message of its own.
    const [fileA] = await teacher.expectReplies(1, POSTER_WAIT_MS);
    expect(fileA?.attachment).toMatch(/^doc/);
    const pdfA = await qrCodesOfPdf(fake.documents.at(-1)!.bytes);
    expect(pdfA.codes).toEqual([a.withTeacher, a.parentsOnly]);

    // 5А's chat given again for 7Б: refused, naming 5А; nothing recorded.
    const refused = texts(await teacher.say(a.withTeacher));
    expect(refused).toContain('Эта ссылка уже указана для 5А');
    expect(refused).toContain('Класс 7Б.');

    const b = maxLinksFor('7Б');
    await teacher.say(b.withTeacher);
    const [posterB] = await teacher.say(b.parentsOnly, { replies: 2 });
    expect(posterB?.message).toContain('Плакат для 7Б готов');
    const [fileB] = await teacher.expectReplies(1, POSTER_WAIT_MS);
    expect(fileB?.attachment).toMatch(/^doc/);
    const pdfB = await qrCodesOfPdf(fake.documents.at(-1)!.bytes);
    expect(pdfB.codes).toEqual([b.withTeacher, b.parentsOnly]);
    expect(pdfB.text).toContain('7Б');

    // Photos of both hung posters, then the parents report of each class.
    await teacher.sendPhoto();
    expect(texts(await teacher.sendPhoto())).toContain('Когда прошло собрание');
    await teacher.say('05.09.2026');
    expect(texts(await teacher.say('25'))).toContain('вступили');
    expect(texts(await teacher.say('18'))).toContain('Класс 7Б.');
    await teacher.say('06.09.2026');
    await teacher.say('20');
    await teacher.say('12');

    const admin = new VkUser(fake, ADMIN);
    await admin.say('Здравствуйте');
    const summary = texts(await admin.say('сводка'));
    expect(summary).toContain('Родители в чатах класса: 30 из 45 (67 %).');
    expect(summary).toContain('• Сидорова А. И. — 5А 18/25, 7Б 12/20: 30 из 45 (67 %)');

    await admin.say('экспорт');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fake.documents.at(-1)!.bytes as unknown as ExcelJS.Buffer);
    const parents = workbook.getWorksheet('Родители в чатах')!;
    const rows = parents.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
    expect(rows).toEqual([
      ['Учитель', 'Класс', 'Вступили', 'Всего родителей', '%', 'Вступили с прошлой сводки'],
      ['Сидорова А. И.', '5А', 18, 25, 72],
      ['Сидорова А. И.', '7Б', 12, 20, 60],
      ['Сидорова А. И.', 'всего', 30, 45, 67],
      ['Вся школа', undefined, 30, 45, 67],
    ]);
    const sheet = workbook.getWorksheet('Учителя')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const column = (name: string) => row[header.indexOf(name)];
    expect([column('Родители в чатах: вступили'), column('Родители в чатах: всего'), column('Родители в чатах: %')]).toEqual([30, 45, 67]);
  });
});
