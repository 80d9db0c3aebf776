import { eq, ne, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { outbox, teachers } from '../../src/db/schema.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, startTestApp, texts } from '../support/harness.js';
import { ALL_TASKS, seedTeachers } from '../support/seed.js';

const ADMIN = 7001;
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+03:00`);

let fake: FakeVk;
let database: TestDatabase;
let app: App;
let now = at('2026-12-08');
const clock = { now: () => now };
let nextGroupId = 200;
let nextUserId = 3000;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());
beforeEach(async () => {
  now = at('2026-12-08');
  fake = await startFakeVk({ groupId: ++nextGroupId });
  app = await startTestApp(fake, database, { ADMIN_VK_IDS: String(ADMIN) }, { clock });
  await database.db.execute(sql`truncate teachers, outbox, summary_snapshots, conversations cascade`);
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

const newUser = () => new VkUser(fake, ++nextUserId);
const teacherRow = async (vkId: number) => (await database.db.select().from(teachers).where(eq(teachers.vkId, vkId)))[0];

async function register(user: VkUser) {
  await user.say('Начать');
  await user.say(JOIN_CODE);
  await user.say('Сидорова Анна Ивановна');
  await user.say('5А', { replies: 2 });
}

describe('a teacher and the reminders', () => {
  it('gets a reminder with buttons, continues from it, snoozes until tomorrow and is reminded then, and goes on leave', async () => {
    const user = newUser();
    await register(user);
    await user.click('Подтверждаю');

    // Tuesday 10:00: the reminder job.
    await app.jobs.reminders(now);
    const [reminder] = await user.expectReplies(1);
    expect(reminder?.message).toContain('Здравствуйте, Анна Ивановна! Напоминаю о заданиях по приказу о переходе на «Сферум». Осталось 5 заданий из 6.');
    expect(reminder?.message).toContain('Следующее: «Родительские чаты в Сферуме», класс 5А.');
    expect(user.buttons().map((b) => b.label)).toEqual(['Продолжить', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…']);

    expect(texts(await user.click('Продолжить'))).toContain('Пришлите ссылку на чат «Родители 5А с учителем»');

    // From the reminder again: "remind me tomorrow".
    await app.jobs.reminders(now);
    expect(await user.expectSilence(200)).toEqual([]);
    fake.sendMessage(user.id, 'Напомнить завтра', { payload: { a: 'snooze', d: 1 } });
    expect(texts(await user.expectReplies(1))).toContain('Хорошо, сегодня больше не напомню.');
    expect((await teacherRow(user.id))?.snoozedUntil).toEqual(at('2026-12-09', '00:00'));

    // Wednesday: the cadence alone would wait a day, but the teacher asked.
    now = at('2026-12-09');
    await app.jobs.reminders(now);
    expect(texts(await user.expectReplies(1))).toContain('Как вы просили, напоминаю');

    // On leave until the 20th: no reminders until then, one on Monday the 21st.
    await user.click('Я в отпуске до…');
    expect(texts(await user.say('32.12'))).toContain('Не понял дату');
    expect(texts(await user.say('20.12.2026'))).toBe('Хорошо, до 20.12.2026 включительно напоминать не буду. Хорошего отдыха!');
    expect((await teacherRow(user.id))?.leaveUntil).toBe('2026-12-20');
    for (const date of ['2026-12-11', '2026-12-15', '2026-12-18']) await app.jobs.reminders(at(date));
    expect(await user.expectSilence(200)).toEqual([]);
    await app.jobs.reminders(at('2026-12-21'));
    expect(texts(await user.expectReplies(1))).toContain('Напоминаю о заданиях');
  });

  it('the menu offers snoozing for a week', async () => {
    const user = newUser();
    await register(user);
    await user.say('меню');
    expect(user.buttons().map((b) => b.label)).toContain('Через неделю');
    expect(texts(await user.click('Через неделю'))).toContain('Хорошо, напомню через неделю — 15.12.2026');
    expect((await teacherRow(user.id))?.snoozedUntil).toEqual(at('2026-12-15', '00:00'));
  });

  it('a teacher who finished gets no more reminders', async () => {
    const user = newUser();
    await register(user);
    const row = await teacherRow(user.id);
    await database.db.execute(sql`
      insert into task_completions (school_id, teacher_id, task_code, class_name, status, completed_at)
      select ${row!.schoolId}::uuid, ${row!.id}::uuid, code, cls, 'done', now()
      from (values ('messengers', ''), ('chats', '5А'), ('qr', '5А'), ('parents', '5А'), ('only_sferum', ''), ('eo_link', '')) as v(code, cls)`);
    await app.jobs.reminders(now);
    expect(await user.expectSilence(200)).toEqual([]);
  });
});

describe('the administrator', () => {
  async function seedLaggards() {
    return seedTeachers(database.db, app.schoolId, [
      { fullName: 'Иванова Мария Петровна', vkId: 8001, done: ['messengers'] },
      { fullName: 'Петров Иван Ильич', vkId: 8002 },
      { fullName: 'Алиева Патимат Магомедовна', vkId: 8003, done: ALL_TASKS },
      { fullName: 'Кузнецова Елена Викторовна', vkId: 8004, startedAt: null },
    ]);
  }

  it('gets the daily summary and reminds the laggards from it, once a day', async () => {
    await seedLaggards();
    const admin = new VkUser(fake, ADMIN);
    await app.jobs.summary(now);
    const [summary] = await admin.expectReplies(1);
    expect(summary?.message).toContain('Отстают — 2:');
    expect(admin.buttons().map((b) => b.label)).toEqual(['Напомнить отстающим сейчас', 'Выгрузить в Excel']);

    // One definition, one number: the summary's «Ещё не писали боту — 1» is what the reminder says too.
    expect(summary?.message).toContain('Ещё не писали боту — 1:');
    const reply = texts(await admin.click('Напомнить отстающим сейчас'));
    expect(reply).toBe('Готово: напоминание получат 2 учителя.\nЕщё не писали боту — 1.');
    await fake.waitForMessages(8001, 1);
    await fake.waitForMessages(8002, 1);

    // Again the same day: the one-a-day rule holds, and the scheduled job adds nothing either.
    const again = await admin.say('Напомнить отстающим сейчас', { payload: { a: 'ad_remind' } });
    expect(texts(again)).toBe('Новых напоминаний нет.\nУже получили напоминание сегодня: 2.\nЕщё не писали боту — 1.');
    await app.jobs.reminders(now);
    expect(fake.messagesTo(8001)).toHaveLength(1);
    expect(fake.messagesTo(8002)).toHaveLength(1);
    expect(fake.messagesTo(8003)).toHaveLength(0);
    expect(await database.db.select().from(outbox).where(eq(outbox.kind, 'reminder'))).toHaveLength(2);
  });

  it('outside the school\'s hours the button explains and sends nothing', async () => {
    await seedLaggards();
    now = at('2026-12-08', '20:00');
    const admin = new VkUser(fake, ADMIN);
    const reply = await admin.say('Напомнить отстающим сейчас', { payload: { a: 'ad_remind' } });
    expect(texts(reply)).toContain('Сейчас нерабочее время школы: напоминания уходят в рабочие дни с 09:00 до 18:00.');
    expect(fake.messagesTo(8001)).toEqual([]);
  });

  it('anybody else pressing the button is refused politely, learns nothing, and nobody is reminded', async () => {
    await seedLaggards();
    const stranger = newUser();
    const teacher = newUser();
    await register(teacher);
    for (const user of [stranger, teacher]) {
      const reply = texts(await user.say('Напомнить отстающим сейчас', { payload: { a: 'ad_remind' } }));
      expect(reply.startsWith('Эта команда доступна только администрации школы.')).toBe(true);
      expect(reply).not.toMatch(/Петров|Отстают|учител[яей] получат/);
    }
    expect(await database.db.select().from(outbox).where(ne(outbox.kind, 'reply'))).toEqual([]);
    expect(fake.messagesTo(8001)).toEqual([]);
  });
});
