import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { type ConversationService, createConversationService } from '../../src/domain/conversation/service.js';
import type { Input } from '../../src/domain/model.js';
import { createUnitOfWork } from '../../src/db/repositories/index.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { auditLog, conversations, outbox, taskCompletions, teachers } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { button, eventId, linksFor, maxLinksFor, photo, text } from '../support/conversation-driver.js';

let database: TestDatabase;
let service: ConversationService;
let schoolId: string;
let nextVkId = 1000;
const now = new Date('2026-09-10T09:00:00+03:00');

beforeAll(async () => {
  database = await createTestDatabase();
  schoolId = (await upsertConfiguredSchool(database.db, { slug: 'main', name: 'МКОУ «СОШ №4»', joinCode: 'SOSH4-2026' })).id;
  service = createConversationService({
    uow: createUnitOfWork(database.db),
    checklist: defaultChecklist,
    clock: { now: () => now },
    timeZone: 'Europe/Moscow',
  });
});
afterAll(() => database.destroy());

let vkId: number;
beforeEach(() => {
  nextVkId += 1;
  vkId = nextVkId;
});

async function say(input: Input, id = eventId()) {
  return service.handle({ eventId: id, vkUserId: vkId, input });
}
const lastText = async (input: Input) => (await say(input)).replies.map((r) => r.text).join('\n---\n');

async function register(classes = '5А') {
  await say(text('Здравствуйте'));
  await say(text('sosh4-2026'));
  await say(text('Иванова Мария Петровна'));
  return say(text(classes));
}

describe('conversation service against Postgres', () => {
  it('registers a teacher with the join code and records the classes', async () => {
    expect(await lastText(text('Привет'))).toContain('код школы');
    expect(await lastText(text('SOSH4-2026'))).toContain('МКОУ «СОШ №4»');
    expect(await lastText(text('иванова мария петровна'))).toContain('В каких классах');
    const done = await say(text('5а, 7Б'));
    expect(done.replies[0]?.text).toContain('Спасибо, Мария Петровна!');
    expect(done.replies[1]?.text).toContain('Задание 1 из 6');

    const [row] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    expect(row).toMatchObject({ fullName: 'Иванова Мария Петровна', schoolId });
    expect(row?.startedAt).toEqual(now);
  });

  it('a stranger without the code gets nowhere and learns nothing', async () => {
    await say(text('Привет'));
    const reply = await lastText(text('123456'));
    expect(reply).toContain('Код не подошёл');
    expect(reply).not.toContain('СОШ');
    expect(await database.db.select().from(teachers).where(eq(teachers.vkId, vkId))).toHaveLength(0);
  });

  it('locks the join code after five wrong attempts, even with the right code', async () => {
    await say(text('Привет'));
    for (let i = 0; i < 4; i += 1) expect(await lastText(text(`wrong-${i}`))).toContain('Код не подошёл');
    expect(await lastText(text('wrong-5'))).toContain('Слишком много неверных попыток');
    expect(await lastText(text('SOSH4-2026'))).toContain('Слишком много неверных попыток');
  });

  it('walks a teacher through the whole checklist and stores every completion with evidence', async () => {
    await register('5А');
    const links = linksFor('5А');
    expect(await lastText(button({ a: 'done', t: 'messengers' }))).toContain('Задание 2 из 6');
    expect(await lastText(text(links.withTeacher))).toContain('без учителя');
    const afterLinks = await say(text(links.parentsOnly));
    expect(afterLinks.replies.map((r) => r.text)).toEqual([
      expect.stringContaining('Плакат для 5А готов'),
      'Плакат для 5А — PDF для печати на листе А4.',
      expect.stringContaining('Задание 3 из 6'),
    ]);
    // The PDF alone, rendered by the outbox sender later: nothing is rendered in the transaction.
    expect(afterLinks.replies[1]?.poster).toMatchObject({ filename: 'plakat-5A.pdf', previews: false });
    expect(afterLinks.replies[1]?.files).toBeUndefined();
    expect(await lastText(photo(7))).toContain('Задание 4 из 6');
    expect(await lastText(text('05.09.2026'))).toContain('Сколько всего родителей');
    expect(await lastText(text('25'))).toContain('вступили');
    expect(await lastText(text('18'))).toContain('Задание 5 из 6');
    expect(await lastText(text('готово'))).toContain('Задание 6 из 6');
    const last = await say(button({ a: 'done', t: 'eo_link' }));
    expect(last.replies).toHaveLength(1);
    expect(last.replies[0]?.text).toContain('Все задания выполнены');

    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    expect(teacher?.finishedAt).toEqual(now);
    const rows = await database.db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacher!.id));
    const byTask = Object.fromEntries(rows.map((r) => [`${r.taskCode}:${r.className}`, r]));
    expect(Object.keys(byTask).sort()).toEqual(['chats:5А', 'eo_link:', 'messengers:', 'only_sferum:', 'parents:5А', 'qr:5А']);
    expect(byTask['chats:5А']?.evidence).toEqual({ kind: 'links', links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly } });
    expect(byTask['qr:5А']?.evidence).toMatchObject({
      kind: 'poster',
      links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly },
      photo: { attachment: 'photo100_7_abc', width: 1280 },
    });
    expect(byTask['parents:5А']?.evidence).toEqual({ kind: 'report', values: { meeting_date: '2026-09-05', parents_total: 25, parents_joined: 18 } });
    expect(byTask['eo_link:']?.evidence).toEqual({ kind: 'photo', photo: null });

    const actions = await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.teacherId, teacher!.id));
    expect(actions.map((a) => a.action)).toEqual(['registered', ...Array(6).fill('task_done'), 'checklist_finished']);

    // Later messages show the progress, and the thank-you is not repeated.
    const after = await lastText(text('привет'));
    expect(after).toContain('Все задания уже выполнены');
    expect(after).toContain('6 из 6');
    expect(after).not.toContain('🎉');
  });

  it('one chat, one class: a link given for another class is refused by name, a chat shared by two teachers of one class is kept', async () => {
    const links = maxLinksFor('10В');
    await register('10В');
    await say(button({ a: 'done', t: 'messengers' }));
    await say(text(`${links.withTeacher} ${links.parentsOnly}`));

    vkId += 50_000;
    await register('11В');
    await say(button({ a: 'done', t: 'messengers' }));
    const refused = await lastText(text(links.parentsOnly));
    expect(refused).toContain('уже указана для 10В');
    expect(refused).toContain('Класс 11В');

    vkId += 50_000;
    await register('10В');
    await say(button({ a: 'done', t: 'messengers' }));
    expect(await lastText(text(links.withTeacher))).toContain('общий чат класса');
    const [colleague] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    expect(await say(text(links.parentsOnly))).toMatchObject({ facts: { effects: ['complete'] } });
    const [row] = await database.db.select().from(taskCompletions).where(and(eq(taskCompletions.teacherId, colleague!.id), eq(taskCompletions.taskCode, 'chats')));
    expect(row?.evidence).toEqual({ kind: 'links', links: { with_teacher: links.withTeacher, parents_only: links.parentsOnly } });
  });

  it('a duplicate delivery changes nothing and sends nothing', async () => {
    await register('5А');
    const id = eventId();
    const first = await say(button({ a: 'done', t: 'messengers' }), id);
    const second = await say(button({ a: 'done', t: 'messengers' }), id);
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, replies: [] });
    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.teacherId, teacher!.id), eq(auditLog.action, 'task_done')));
    expect(audits).toHaveLength(1);
  });

  it('concurrent duplicate deliveries take effect exactly once', async () => {
    await register('5А');
    const id = eventId();
    const results = await Promise.all(Array.from({ length: 8 }, () => say(button({ a: 'done', t: 'messengers' }), id)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.teacherId, teacher!.id), eq(auditLog.action, 'task_done')));
    expect(audits).toHaveLength(1);
  });

  it('concurrent different messages of one teacher are serialised by the row lock', async () => {
    await register('5А');
    await say(button({ a: 'done', t: 'messengers' }));
    const links = linksFor('5А');
    // Both arrive at once: the second must see the state the first left, not the same old state.
    await Promise.all([say(text(links.withTeacher)), say(text(links.parentsOnly))]);
    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    const rows = await database.db
      .select()
      .from(taskCompletions)
      .where(and(eq(taskCompletions.teacherId, teacher!.id), eq(taskCompletions.taskCode, 'chats')));
    expect(rows).toHaveLength(1);
  });

  it('a message that waited for the conversation lock reads the answers committed by the one that held it', async () => {
    await register('5А');
    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    // Another instance is handling this teacher's previous message: it holds the conversation while
    // it records an answer. The message below waits for that row lock.
    let waiting: ReturnType<typeof say> | undefined;
    await database.db.transaction(async (tx) => {
      await tx.select().from(conversations).where(eq(conversations.vkId, vkId)).for('update');
      waiting = say(button({ a: 'progress' }));
      await sleep(300);
      await tx.insert(taskCompletions).values({ schoolId, teacherId: teacher!.id, taskCode: 'messengers', className: '', status: 'done', evidence: { kind: 'confirm' }, completedAt: now });
    });
    expect((await waiting!).replies[0]?.text).toContain('Ваш прогресс: 1 из 6.');
  });

  it('keeps a multi-part answer across messages and lets the teacher change it later', async () => {
    await register('5А, 7Б');
    await say(button({ a: 'done', t: 'messengers' }));
    const a = linksFor('5А');
    const b = linksFor('7Б');
    await say(text(a.withTeacher));
    await say(text(a.parentsOnly));
    expect(await lastText(text(b.withTeacher))).toContain('7Б');
    await say(text(b.parentsOnly));

    const choose = await say(button({ a: 'redo', t: 'chats' }));
    expect(choose.replies[0]?.buttons?.flat().map((x) => x.label)).toEqual(['5А', '7Б', 'Меню']);
    await say(button({ a: 'redo', t: 'chats', c: '7Б' }));
    const changed = 'https://vk.me/join/ChangedLink7B999';
    await say(text(changed));
    expect(await lastText(text(b.parentsOnly))).toContain('Ответ обновлён');

    const [teacher] = await database.db.select().from(teachers).where(eq(teachers.vkId, vkId));
    const [row] = await database.db
      .select()
      .from(taskCompletions)
      .where(and(eq(taskCompletions.teacherId, teacher!.id), eq(taskCompletions.taskCode, 'chats'), eq(taskCompletions.className, '7Б')));
    expect(row?.evidence).toEqual({ kind: 'links', links: { with_teacher: changed, parents_only: b.parentsOnly } });
  });

  it('marks a task not applicable with a reason, visible in progress', async () => {
    await register('нет');
    // Point 1 applies to everyone: no opting out of it.
    expect(await lastText(button({ a: 'na', t: 'messengers' }))).toContain('Это задание относится ко всем учителям.');
    // A teacher without classes skips chats, qr and the parents report automatically, and is told so.
    const next = await lastText(button({ a: 'done', t: 'messengers' }));
    expect(next).toContain('Задания 2 („Родительские чаты в Сферуме“), 3 („QR-коды чатов в классе“) и 4 („Разъяснение родителям“) к вам не относятся');
    expect(next).toContain('Задание 5 из 6');
    await say(button({ a: 'na', t: 'only_sferum' }));
    const reply = await lastText(text('Не веду переписку с родителями'));
    expect(reply).toContain('не относится');
    expect(reply).toContain('Задание 6 из 6');
    const progress = await lastText(button({ a: 'progress' }));
    expect(progress).toContain('➖ Общение только через Сферум — не относится: Не веду переписку с родителями');
    expect(progress).toContain('➖ Родительские чаты в Сферуме — не относится: нет своего класса');
    expect(progress).toContain('➖ Разъяснение родителям — не относится: нет своего класса');
  });

  it('queues the replies in the update transaction: the text as one message, the poster as its own after it', async () => {
    await register('5А');
    await say(button({ a: 'done', t: 'messengers' }));
    const links = linksFor('5А');
    await say(text(links.withTeacher));
    const id = eventId();
    const result = await say(text(links.parentsOnly), id);
    expect(result.queued).toEqual({ text: [`reply:${id}`], files: [`reply:${id}:file:0`] });
    const rows = await database.db.select().from(outbox).where(eq(outbox.recipientVkId, vkId)).orderBy(outbox.id);
    const [textRow, fileRow] = rows.filter((row) => row.key.startsWith(`reply:${id}`));
    expect(textRow).toMatchObject({ kind: 'reply', priority: 0, status: 'pending', schoolId, teacherId: result.facts.teacherId });
    expect((textRow!.message as { parts: { text: string }[] }).parts.map((p) => p.text)).toEqual([
      expect.stringContaining('Плакат для 5А готов'),
      expect.stringContaining('Задание 3 из 6'),
    ]);
    expect(fileRow).toMatchObject({ kind: 'file', priority: 1, status: 'pending' });
    expect(fileRow!.id).toBeGreaterThan(textRow!.id);
    expect((fileRow!.message as { parts: { poster?: unknown; withoutFiles?: { text: string } }[] }).parts).toEqual([
      expect.objectContaining({ poster: expect.objectContaining({ filename: 'plakat-5A.pdf' }), withoutFiles: expect.objectContaining({ text: expect.stringContaining('Не получилось отправить файл плаката') }) }),
    ]);

    // A duplicate delivery queues nothing more.
    const again = await say(text(links.parentsOnly), id);
    expect(again).toMatchObject({ duplicate: true, queued: { text: [], files: [] } });
    expect(await database.db.select().from(outbox).where(eq(outbox.recipientVkId, vkId))).toHaveLength(rows.length);
  });

  it('a reply to someone of no school yet is queued without a school', async () => {
    const id = eventId();
    await say(text('Привет'), id);
    const [row] = await database.db.select().from(outbox).where(eq(outbox.key, `reply:${id}`));
    expect(row).toMatchObject({ recipientVkId: vkId, schoolId: null, teacherId: null, kind: 'reply' });
  });

  it('greets a teacher from the roster by name without asking the code', async () => {
    const [row] = await database.db.insert(teachers).values({ schoolId, vkId, fullName: 'Петров Иван Сергеевич' }).returning();
    const reply = await say(text('Добрый день'));
    expect(reply.replies[0]?.text).toContain('Здравствуйте, Иван Сергеевич!');
    expect(reply.replies[1]?.text).toContain('Задание 1 из 6');
    const [after] = await database.db.select().from(teachers).where(eq(teachers.id, row!.id));
    expect(after?.startedAt).toEqual(now);
  });
});
