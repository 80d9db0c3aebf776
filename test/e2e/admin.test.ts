import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { wallClock } from '../../src/domain/calendar.js';
import { auditLog, classes, schoolTasks, taskCompletions, teachers } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { VkUser, startTestApp, texts } from '../support/harness.js';
import { fixtureTeachers, rosterXlsx } from '../support/roster-fixture.js';

// jsqr is CommonJS with a `default` export: NodeNext types the default import as the module.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? (jsQRModule as unknown as Decode));

const ADMIN = 7001;
const TZ = 'Europe/Moscow';
let fake: FakeVk;
let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeVk({ groupId: 4242 });
  app = await startTestApp(fake, database, { ADMIN_VK_IDS: String(ADMIN) });
});
afterAll(async () => {
  await app.stop();
  await fake.close();
  await database.destroy();
});

const roster = fixtureTeachers(30, 20_001);

async function schoolTeachers() {
  return database.db.select().from(teachers).where(and(eq(teachers.schoolId, app.schoolId), isNull(teachers.erasedAt)));
}

/** Seconds are what a spreadsheet keeps; the database has microseconds. */
const toSecond = (date: unknown) => (date instanceof Date ? Math.round(date.getTime() / 1000) : date);

describe('the administrator over the real vk-io client', () => {
  it('imports 30 teachers from an XLSX, applies twice without duplicates, exports a correct XLSX and records the local act', async () => {
    for (const t of roster) if (t.screenName) fake.users.set(t.vkId, { first_name: 'Имя', last_name: 'Фамилия', screen_name: t.screenName });
    const admin = new VkUser(fake, ADMIN);
    expect(texts(await admin.say('Здравствуйте'))).toContain('Администрирование: МКОУ «СОШ №4»');
    expect(admin.buttons().map((b) => b.label)).toEqual([
      'Сводка', 'Отстающие', 'Учителя', 'Импорт', 'Экспорт XLSX', 'Напомнить отстающим', 'Школьные задачи', 'Настройки', 'Плакат «Начать»',
    ]);
    expect(texts(await admin.click('Импорт'))).toContain('Пришлите список учителей');

    // 30 good rows, one with a broken name, one repeating an earlier teacher.
    const file = await rosterXlsx(roster, [['Ivanov Ivan', 'vk.com/id1', '5А'], [roster[3]!.fullName, roster[3]!.vkCell, '']]);
    const [preview] = await admin.say('', { attachments: [fake.uploadUserDocument(ADMIN, 'Список учителей.xlsx', file)] });
    expect(preview?.message).toContain('строк с данными — 32');
    expect(preview?.message).toContain('Новых учителей: 30');
    expect(preview?.message).toContain('Строк с ошибками: 2');
    expect(preview?.message).toContain('стр. 32: ФИО русскими буквами («Ivanov Ivan»)');
    expect(preview?.message).toContain('стр. 33: повтор строки выше');
    expect(await schoolTeachers()).toHaveLength(0);

    expect(texts(await admin.click('Применить'))).toContain('Добавлено: 30, обновлено: 0, без изменений: 0');
    const imported = await schoolTeachers();
    expect(imported).toHaveLength(30);
    for (const t of roster) {
      const row = imported.find((r) => r.vkId === t.vkId);
      expect(row?.fullName).toBe(t.fullName);
      const names = await database.db.select({ name: classes.name }).from(classes).where(eq(classes.teacherId, row!.id));
      expect(names.map((c) => c.name).sort()).toEqual([...t.classes].sort());
    }

    // The same file again: nothing to apply; a stale «Применить» applies nothing either.
    const [again] = await admin.say('', { attachments: [fake.uploadUserDocument(ADMIN, 'Список учителей.xlsx', file)] });
    expect(again?.message).toContain('Новых учителей: 0\nИзменится: 0\nБез изменений: 30');
    expect(admin.buttons().map((b) => b.label)).toEqual(['Меню']);
    expect(texts(await admin.say('Применить', { payload: { a: 'ad_import_apply' } }))).toContain('Нет списка для применения');
    expect(await schoolTeachers()).toHaveLength(30);

    // Two teachers start: one confirms the first task, one confirms it and marks the next not applicable.
    const first = new VkUser(fake, roster[0]!.vkId);
    expect(texts(await first.say('Здравствуйте', { replies: 2 }))).toContain(`Здравствуйте, ${roster[0]!.fullName.split(' ').slice(1).join(' ')}!`);
    await first.click('Подтверждаю');
    const second = new VkUser(fake, roster[1]!.vkId);
    await second.say('Добрый день', { replies: 2 });
    await second.click('Подтверждаю');
    await second.click('Не относится ко мне');
    await second.say('Не работаю с родителями');

    const summary = texts(await admin.say('сводка'));
    expect(summary).toContain('Учителей: 30');
    expect(summary).toContain('Начали работу с ботом: 2');

    const [exported] = await admin.say('экспорт');
    expect(exported?.attachment).toMatch(/^doc-4242_\d+$/);
    const doc = fake.documents.at(-1)!;
    expect(doc.title).toMatch(/^sferum-report-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(`doc${doc.ownerId}_${doc.id}`).toBe(exported?.attachment);
    await expectExportMatchesDatabase(doc.bytes);

    // Point 5: the local act.
    await admin.say('задачи школы');
    expect(texts(await admin.click('Отметить локальный акт'))).toContain('номер и дату локального акта');
    expect(texts(await admin.say('12-од 31.02.2026'))).toContain('Не понял дату');
    expect(texts(await admin.say('№ 12-од от 01.09.2026'))).toContain('Записал: локальный акт № 12-од от 01.09.2026');
    const [act] = await database.db.select().from(schoolTasks).where(eq(schoolTasks.schoolId, app.schoolId));
    expect(act).toMatchObject({ taskCode: 'local_act', evidence: { kind: 'local_act', number: '12-од', date: '2026-09-01' }, completedByVkId: ADMIN });
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.schoolId, app.schoolId), eq(auditLog.action, 'school_task_done')));
    expect(audits).toMatchObject([{ actor: 'admin', actorVkId: ADMIN, taskCode: 'local_act' }]);

    // Nobody else can: a teacher asking for the export gets a refusal and no file.
    const refusal = texts(await first.say('экспорт'));
    expect(refusal).toContain('Эта команда доступна только администрации школы.');
    expect(first.last()?.attachment).toBeUndefined();
  });

  it('sends the "start the bot" poster as a PDF with the QR code to the community dialog', async () => {
    const admin = new VkUser(fake, ADMIN);
    await admin.expectSilence(0);
    const [reply] = await admin.say('плакат начать');
    expect(reply?.attachment).toMatch(/^doc-4242_\d+$/);
    const pdf = fake.documents.at(-1)!;
    expect(pdf.title).toBe('start-bot-poster.pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: new Uint8Array(pdf.bytes) });
    const text = (await parser.getText()).text;
    const images = (await parser.getImage({ imageBuffer: true, imageDataUrl: false })).pages.flatMap((page) => page.images);
    await parser.destroy();
    expect(images).toHaveLength(1);
    const png = PNG.sync.read(Buffer.from(images[0]!.data));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('https://vk.me/club4242');
    expect(text).toContain('Бот перехода на «Сферум»');
    expect(text).toContain('https://vk.me/club4242');
    // Long lines wrap on the poster: compare with the line breaks read as spaces.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('напишите личный код, который выдала администрация школы');
    expect(flat).toContain('Если вас нет в списке учителей школы, напишите код школы: SOSH4-2026');
  });
});

/** Parses the exported workbook and checks every cell of the teachers sheet, the school tasks and the audit log against the database. */
async function expectExportMatchesDatabase(bytes: Buffer): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  expect(workbook.worksheets.map((s) => s.name)).toEqual(['Учителя', 'Родители в чатах', 'Задачи школы', 'Журнал']);
  const sheet = workbook.getWorksheet('Учителя')!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header.slice(0, 9)).toEqual(['ФИО', 'Страница ВКонтакте', 'Личный код', 'Классы', 'Активен', 'Отпуск по', 'Начал(а)', 'Всё выполнено', 'Выполнено заданий']);
  expect(header.slice(9, 12)).toEqual(['Родители в чатах: вступили', 'Родители в чатах: всего', 'Родители в чатах: %']);
  expect(header.slice(12, 14)).toEqual(['Задание 1 (п. 1). Отказ от иностранных мессенджеров: дата', 'Задание 1 (п. 1). Отказ от иностранных мессенджеров: подтверждение']);
  expect(header).toHaveLength(9 + 3 + 6 * 2);

  const rows = await schoolTeachers();
  expect(sheet.rowCount).toBe(1 + rows.length);
  const completions = await database.db.select().from(taskCompletions).where(eq(taskCompletions.schoolId, app.schoolId));
  const taskCodes = ['messengers', 'chats', 'qr', 'parents', 'only_sferum', 'eo_link'];
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const cells = Array.from({ length: header.length }, (_, c) => sheet.getRow(r).getCell(c + 1).value ?? null);
    const teacher = rows.find((t) => t.fullName === cells[0]);
    expect(teacher, `row ${r}: ${String(cells[0])}`).toBeDefined();
    const fixture = roster.find((t) => t.vkId === teacher!.vkId)!;
    const own = completions.filter((c) => c.teacherId === teacher!.id);
    const noClass = fixture.classes.length === 0;
    // A poster of chats marked not applicable is not applicable for the same reason.
    const chatsDeclined = own.find((x) => x.taskCode === 'chats' && x.status === 'not_applicable');
    const closed = own.length + (noClass ? 3 : 0) + (chatsDeclined ? 1 : 0);
    const expected: unknown[] = [
      fixture.fullName,
      `vk.com/id${fixture.vkId}`,
      // Every fixture teacher has a VK id: no personal code to hand out.
      null,
      fixture.classes.join(', '),
      'да',
      null,
      teacher!.startedAt ? toSecond(wallClock(teacher!.startedAt, TZ)) : null,
      null,
      `${closed} из 6`,
      // Nobody here reported parents.
      null,
      null,
      null,
    ];
    for (const code of taskCodes) {
      const c = own.find((x) => x.taskCode === code);
      if (c?.status === 'done') expected.push(toSecond(wallClock(c.completedAt, TZ)), 'подтверждено');
      else if (c?.status === 'not_applicable') expected.push('не относится', c.reason);
      else if (noClass && (code === 'chats' || code === 'qr' || code === 'parents')) expected.push('не относится', 'нет своего класса');
      else if (code === 'qr' && chatsDeclined) expected.push('не относится', chatsDeclined.reason);
      else expected.push(null, null);
    }
    expect(cells.map(toSecond), `row ${r}`).toEqual(expected);
  }

  const tasks = workbook.getWorksheet('Задачи школы')!;
  expect((tasks.getRow(2).values as unknown[]).slice(1, 4)).toEqual([5, 'Локальный акт о запрете иностранных мессенджеров', 'не выполнено']);

  const log = workbook.getWorksheet('Журнал')!;
  const audit = await database.db.select().from(auditLog).where(eq(auditLog.schoolId, app.schoolId)).orderBy(auditLog.createdAt, auditLog.id);
  expect(log.rowCount).toBe(1 + audit.length);
  const names = { teacher: 'учитель', admin: 'администратор', import: 'импорт', system: 'система' };
  audit.forEach((entry, index) => {
    const row = log.getRow(index + 2);
    expect(toSecond(row.getCell(1).value)).toBe(toSecond(wallClock(entry.createdAt, TZ)));
    expect(row.getCell(2).value).toBe(names[entry.actor]);
    expect(row.getCell(3).value ?? null).toBe(entry.actorVkId === null ? null : `vk.com/id${entry.actorVkId}`);
    // Task titles, not codes (issue 13, item 8).
    const place = ['messengers', 'chats', 'qr', 'parents', 'only_sferum', 'eo_link'].indexOf(entry.taskCode ?? '');
    expect(row.getCell(6).value ?? null).toEqual(entry.taskCode === null ? null : expect.stringMatching(new RegExp(`^Задание ${place + 1} \\(п\\. \\d\\)\\. `)));
    expect(String(row.getCell(8).value ?? '')).not.toMatch(/[{}"]|[a-z]_[a-z]/);
  });
  // 30 imports, what the two teachers did, and this export itself.
  expect(audit.at(-1)?.action).toBe('report_exported');
  expect(audit.filter((a) => a.action === 'roster_added')).toHaveLength(30);
}
