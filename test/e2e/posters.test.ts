import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, type StoredDoc, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { linksFor } from '../support/conversation-driver.js';
import { qrCodesOfPdf as decodePdf } from '../support/qr.js';

let fake: FakeVk;
let database: TestDatabase;
let app: App;
let nextUserId = 700;
// A fresh fake per test restarts its long-poll numbering; a new community id keeps the stored cursor apart.
let nextGroupId = 40;

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
/** A poster is a message of its own after the text: rendered and uploaded under VK's request limit, it may take a while. */
const POSTER_WAIT_MS = 20_000;

/** Registers through the chat and confirms the first task: the next question is the first link. */
async function registerUpToLinks(user: VkUser, classes = '5А') {
  await user.say('Начать');
  await user.say(JOIN_CODE);
  await user.say('Сидорова Анна Ивановна');
  await user.say(classes, { replies: 2 });
  await user.click('Подтверждаю');
}

const qrCodesOfPdf = (doc: StoredDoc) => decodePdf(doc.bytes);

describe('QR posters over the real vk-io client', () => {
  it('a teacher who sends two links for 5А gets a PDF document whose QR codes open exactly those links', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    // One transient upload failure on the way: retried, delivered once.
    fake.failNext('docs.save', { reset: true });
    // The text first (it never waits for the file), then the poster as a message of its own.
    const [lead, next] = await user.say(links.parentsOnly, { replies: 2 });
    const [poster] = await user.expectReplies(1, POSTER_WAIT_MS);

    expect(lead?.message).toContain('Плакат для 5А готов и придёт отдельным сообщением');
    expect(lead?.attachment).toBeUndefined();
    expect(poster?.message).toBe('Плакат для 5А — PDF для печати на листе А4.');
    // The PDF alone: one file save.
    expect(poster?.attachment).toMatch(/^doc-?\d+_\d+$/);
    expect(fake.photos).toHaveLength(0);
    expect(fake.requestLog.filter((r) => r.method === 'photos.saveMessagesPhoto')).toHaveLength(0);
    expect(fake.documents).toHaveLength(1);
    const doc = fake.documents[0]!;
    expect(poster?.attachment).toContain(`doc${doc.ownerId}_${doc.id}`);
    expect(doc).toMatchObject({ title: 'plakat-5A.pdf', ext: 'pdf', type: 'doc' });
    expect(doc.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await qrCodesOfPdf(doc);
    expect(pdf.pages).toBe(1);
    expect(pdf.codes).toEqual([links.withTeacher, links.parentsOnly]);
    expect(pdf.text).toContain('Чаты родителей 5А класса в «Сферуме»');
    expect(pdf.text).toContain('МКОУ «СОШ №4»');

    expect(next?.message).toContain('Задание 3 из 6 (п. 2 приказа). QR-коды чатов в классе');
    expect(next?.message).toContain('Распечатайте плакат для 5А, повесьте в классе и пришлите фото');
    expect(user.buttons().map((b) => b.label)).toEqual(['Прислать плакат ещё раз', 'Не относится ко мне', 'Меню']);
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');
  });

  it('when VK fails the upload for longer than the quick retries, the walkthrough goes on and the poster comes later, once', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    // More failures than the notifier's quick retries (test harness: 4): the outbox tries again later.
    fake.failNext('docs.getMessagesUploadServer', { code: 10 }, 6);
    const [lead, next] = await user.say(links.parentsOnly, { replies: 2 });
    expect(lead?.message).toContain('Плакат для 5А готов');
    expect(next?.message).toContain('Задание 3 из 6');
    expect(fake.documents).toHaveLength(0);
    const [poster] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(poster?.attachment).toMatch(/^doc-?\d+_\d+$/);
    expect(fake.documents).toHaveLength(1);
    expect(await user.expectSilence()).toEqual([]);
  });

  it('when VK refuses the file for good, the teacher gets a polite note and the poster comes on request, its upload reused', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    // Error 100 is not transient: no retry, the message's file-less version goes instead.
    fake.failNext('docs.getMessagesUploadServer', { code: 100 });
    const [, next] = await user.say(links.parentsOnly, { replies: 2 });
    const [note] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(next?.message).toContain('Задание 3 из 6');
    expect(note?.message).toBe('⚠️ Не получилось отправить файл плаката. Попробуйте чуть позже: «Меню» → «Плакат с QR-кодами».');
    expect(note?.attachment).toBeUndefined();
    expect(note?.keyboard?.buttons?.flat().map((b: { action: { label: string } }) => b.action.label)).toEqual(['Прислать плакат ещё раз']);
    expect(fake.documents).toHaveLength(0);

    const [again, question] = await user.click('Прислать плакат ещё раз', { replies: 2 });
    const [poster] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(again?.message).toContain('Плакат для 5А придёт отдельным сообщением');
    expect(question?.message).toContain('пришлите фото');
    expect(poster?.attachment).toMatch(/^doc-?\d+_\d+$/);
    expect((await qrCodesOfPdf(fake.documents[0]!)).codes).toEqual([links.withTeacher, links.parentsOnly]);

    // The same poster again: the uploaded document is sent, nothing is rendered or uploaded.
    const saves = fake.requestLog.filter((r) => r.method === 'docs.save').length;
    await user.click('Прислать плакат ещё раз', { replies: 2 });
    const [same] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(same?.attachment).toBe(poster?.attachment);
    expect(fake.documents).toHaveLength(1);
    expect(fake.requestLog.filter((r) => r.method === 'docs.save')).toHaveLength(saves);
  });

  it('a changed link brings a new poster to reprint; progress shows the old one outdated until the new photo', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    await user.say(links.parentsOnly, { replies: 2 });
    await user.expectReplies(1, POSTER_WAIT_MS);
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');

    await user.say('меню');
    await user.click('Изменить ответ');
    expect(texts(await user.click('2. Родительские чаты в Сферуме'))).toContain('с учителем');
    const changed = 'https://vk.me/join/ResetLink5A000111';
    await user.say(changed);
    const [reprint, ask] = await user.say(links.parentsOnly, { replies: 2 });
    const [poster] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(reprint?.message).toContain('Ссылки для 5А изменились');
    expect(reprint?.message).toContain('распечатайте его и повесьте вместо старого');
    expect(poster?.attachment).toMatch(/^doc/);
    expect(fake.documents).toHaveLength(2);
    expect((await qrCodesOfPdf(fake.documents[1]!)).codes).toEqual([changed, links.parentsOnly]);
    expect(ask?.message).toContain('⚠️ Ссылки на чаты 5А изменились');

    expect(texts(await user.say('прогресс'))).toContain('⚠️ плакат 5А устарел — распечатайте новый');
    await user.sendPhoto();
    expect(texts(await user.say('прогресс'))).not.toContain('устарел');
  });

  it('a teacher with two classes gets a poster per class, and one PDF with a page per class from the menu', async () => {
    const user = newUser();
    await registerUpToLinks(user, '5А, 7Б');
    for (const className of ['5А', '7Б']) {
      await user.say(linksFor(className).withTeacher);
      const [lead] = await user.say(linksFor(className).parentsOnly, { replies: 2 });
      const [poster] = await user.expectReplies(1, POSTER_WAIT_MS);
      expect(lead?.message).toContain(`Плакат для ${className} готов`);
      expect(poster?.attachment).toMatch(/^doc/);
    }
    expect(fake.documents.map((d) => d.title)).toEqual(['plakat-5A.pdf', 'plakat-7B.pdf']);

    await user.say('меню');
    // Mid-task: the question is asked again, and the poster follows.
    const [all] = await user.click('Плакат с QR-кодами', { replies: 2 });
    const [file] = await user.expectReplies(1, POSTER_WAIT_MS);
    expect(all?.message).toContain('Плакаты для 5А, 7Б придут одним PDF');
    expect(file?.message).toBe('Плакат для 5А, 7Б — PDF для печати на листе А4.');
    expect(file?.attachment).toMatch(/^doc-?\d+_\d+$/);
    const combined = fake.documents[2]!;
    expect(combined.title).toBe('plakat-5A-7B.pdf');
    const pdf = await qrCodesOfPdf(combined);
    expect(pdf.pages).toBe(2);
    expect(pdf.text).toContain('Чаты родителей 5А класса');
    expect(pdf.text).toContain('Чаты родителей 7Б класса');
    expect(pdf.codes).toEqual([linksFor('5А').withTeacher, linksFor('5А').parentsOnly]);
  });
});
