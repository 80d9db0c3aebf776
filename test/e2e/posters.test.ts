import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, type StoredDoc, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { linksFor } from '../support/conversation-driver.js';
import { decodeQr, qrCodesOfPdf as decodePdf } from '../support/qr.js';

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

/** Registers through the chat and confirms the first task: the next question is the first link. */
async function registerUpToLinks(user: VkUser, classes = '5А') {
  await user.say('Начать');
  await user.say(JOIN_CODE);
  await user.say('Сидорова Анна Ивановна');
  await user.say(classes, { replies: 2 });
  await user.click('Подтверждаю');
}

const qrCodesOfPdf = (doc: StoredDoc) => decodePdf(doc.bytes);

const decodePng = (bytes: Buffer): string | null => {
  const decoded = decodeQr(bytes);
  return decoded ? new TextDecoder().decode(decoded) : null;
};

describe('QR posters over the real vk-io client', () => {
  it('a teacher who sends two links for 5А gets a PDF document whose QR codes open exactly those links', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    // One transient upload failure on the way: retried, delivered once.
    fake.failNext('docs.save', { reset: true });
    const [poster, next] = await user.say(links.parentsOnly, { replies: 2 });

    expect(poster?.message).toContain('Плакат для 5А готов');
    expect(poster?.attachment).toMatch(/^doc-?\d+_\d+,photo-?\d+_\d+_\w+,photo-?\d+_\d+_\w+$/);
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
    expect(fake.photos.map((p) => decodePng(p.bytes))).toEqual([links.withTeacher, links.parentsOnly]);

    expect(next?.message).toContain('Задание 3 из 6 (п. 2 приказа). QR-коды чатов в классе');
    expect(next?.message).toContain('Плакат для 5А — в сообщении выше');
    expect(user.buttons().map((b) => b.label)).toEqual(['Прислать плакат ещё раз', 'Не относится ко мне', 'Меню']);
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');
  });

  it('when VK keeps refusing the upload, the teacher gets a polite note, the walkthrough goes on, and the poster comes on request', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    // As many failures as the app's retry attempts (test harness: 4).
    fake.failNext('docs.getMessagesUploadServer', { code: 10 }, 4);
    const [note, next] = await user.say(links.parentsOnly, { replies: 2 });
    expect(note?.message).toContain('Плакат для 5А готов');
    expect(note?.message).toContain('Не получилось отправить файл плаката. Попробуйте чуть позже');
    expect(note?.attachment).toBeUndefined();
    expect(note?.keyboard?.buttons?.flat().map((b: { action: { label: string } }) => b.action.label)).toEqual(['Прислать плакат ещё раз']);
    expect(next?.message).toContain('Задание 3 из 6');
    expect(fake.documents).toHaveLength(0);

    const [again, question] = await user.click('Прислать плакат ещё раз', { replies: 2 });
    expect(again?.message).toContain('Плакат для 5А');
    expect(again?.attachment).toMatch(/^doc-?\d+_\d+,photo/);
    expect((await qrCodesOfPdf(fake.documents[0]!)).codes).toEqual([links.withTeacher, links.parentsOnly]);
    expect(question?.message).toContain('пришлите фото');
  });

  it('a changed link brings a new poster to reprint; progress shows the old one outdated until the new photo', async () => {
    const user = newUser();
    await registerUpToLinks(user);
    const links = linksFor('5А');
    await user.say(links.withTeacher);
    await user.say(links.parentsOnly, { replies: 2 });
    expect(texts(await user.sendPhoto())).toContain('Задание 4 из 6');

    await user.say('меню');
    await user.click('Изменить ответ');
    expect(texts(await user.click('2. Родительские чаты в Сферуме'))).toContain('с учителем');
    const changed = 'https://vk.me/join/ResetLink5A000111';
    await user.say(changed);
    const [reprint, ask] = await user.say(links.parentsOnly, { replies: 2 });
    expect(reprint?.message).toContain('Ссылки для 5А изменились');
    expect(reprint?.message).toContain('распечатайте его и повесьте вместо старого');
    expect(reprint?.attachment).toMatch(/^doc/);
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
      const [poster] = await user.say(linksFor(className).parentsOnly, { replies: 2 });
      expect(poster?.message).toContain(`Плакат для ${className} готов`);
    }
    expect(fake.documents.map((d) => d.title)).toEqual(['plakat-5A.pdf', 'plakat-7B.pdf']);

    await user.say('меню');
    const [all] = await user.click('Плакат с QR-кодами');
    expect(all?.message).toContain('Плакаты для 5А, 7Б — в одном PDF');
    expect(all?.attachment).toMatch(/^doc-?\d+_\d+$/);
    const combined = fake.documents[2]!;
    expect(combined.title).toBe('plakat-5A-7B.pdf');
    const pdf = await qrCodesOfPdf(combined);
    expect(pdf.pages).toBe(2);
    expect(pdf.text).toContain('Чаты родителей 5А класса');
    expect(pdf.text).toContain('Чаты родителей 7Б класса');
    expect(pdf.codes).toEqual([linksFor('5А').withTeacher, linksFor('5А').parentsOnly]);
  });
});
