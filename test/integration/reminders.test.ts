import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notifier } from '../../src/domain/ports.js';
import { queueDueReminders } from '../../src/domain/reminders/job.js';
import { formatReminderReport } from '../../src/cli/report.js';
import { admins, outbox, processedEvents, summarySnapshots, teachers } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxSender } from '../../src/outbox/sender.js';
import { type Runtime, createMessaging, openRuntime } from '../../src/compose/runtime.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { testConfig } from '../support/harness.js';
import { startJobProcess } from '../support/job-process.js';
import { ALL_TASKS, type TeacherSeed, seedTeachers, setDeadline } from '../support/seed.js';

/** Tuesday 8 December 2026, 10:00 in Moscow: a working day inside the default window. */
const TUESDAY = new Date('2026-12-08T10:00:00+03:00');
const AT = '2026-12-08T10:00:00+03:00';
const day = (date: string) => new Date(`${date}T10:00:00+03:00`);
const logger = createLogger('silent', { pretty: false });

let database: TestDatabase;
let fake: FakeVk;
let runtime: Runtime;
let nextGroupId = 100;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

beforeEach(async () => {
  fake = await startFakeVk({ groupId: ++nextGroupId });
  runtime = await open();
  await database.db.execute(sql`truncate teachers, outbox, summary_snapshots, admins, school_holidays cascade`);
  await setDeadline(database.db, runtime.school.id, null);
});
afterEach(async () => {
  await runtime.close();
  await fake.close();
});

/** A runtime (configuration, repositories, jobs) on the test database, talking to the fake VK. */
function open(env: Record<string, string> = {}, clock?: { now(): Date }) {
  return openRuntime({ config: testConfig(fake, env), logger, database, clock });
}
const messaging = (rt = runtime) => createMessaging(rt, { retry: { attempts: 3, baseDelayMs: 10 } });

let nextVkId = 1000;
const teacher = (overrides: Partial<TeacherSeed> = {}): TeacherSeed => ({ fullName: 'Иванова Мария Петровна', vkId: ++nextVkId, ...overrides });
const seed = (seeds: TeacherSeed[]) => seedTeachers(database.db, runtime.school.id, seeds);

const outboxRows = () => database.db.select().from(outbox).orderBy(outbox.id);
/** Time passes for the outbox: every back-off and lease ends now (the outbox runs on the database's clock). */
const expireBackoff = () => database.db.execute(sql`update outbox set available_at = now() - interval '1 second' where status = 'pending'`);
const expireLeases = () => database.db.execute(sql`update outbox set lease_until = now() - interval '1 second' where lease_until is not null`);
/** How many messages each VK id got, as VK delivered them (a resend VK dropped does not count). */
const perPeer = () => fake.sent.reduce((counts, m) => counts.set(m.peerId, (counts.get(m.peerId) ?? 0) + 1), new Map<number, number>());

describe('the reminder job', () => {
  it('run twice, reminds each teacher with open tasks once, and nobody who is done, on leave, snoozed, never wrote or is unreachable', async () => {
    const seeds = {
      open: teacher({ fullName: 'Иванова Мария Петровна', done: ['messengers'] }),
      twoClasses: teacher({ fullName: 'Петров Иван Ильич', classes: ['7Б', '8В'], done: ['messengers', 'chats'] }),
      done: teacher({ done: ALL_TASKS, finishedAt: new Date('2026-12-05T10:00:00+03:00') }),
      leave: teacher({ leaveUntil: '2026-12-20' }),
      snoozed: teacher({ snoozedUntil: new Date('2026-12-09T00:00:00+03:00') }),
      neverWrote: teacher({ startedAt: null }),
      unreachable: teacher({ unreachableAt: new Date('2026-12-01T10:00:00+03:00') }),
      noVkId: teacher({ vkId: null, startedAt: null }),
    };
    await seed(Object.values(seeds));
    const { jobs } = messaging();

    const first = await jobs.reminders(TUESDAY);
    const second = await jobs.reminders(TUESDAY);

    expect(Object.fromEntries(perPeer())).toEqual({ [seeds.open.vkId!]: 1, [seeds.twoClasses.vkId!]: 1 });
    expect(first.schools[0]?.plan.skipped).toEqual({ done: 1, on_leave: 1, snoozed: 1, not_started: 1, unreachable: 1, no_vk_id: 1 });
    expect(first.delivery).toEqual({ sent: 2, unreachable: 0, retried: 0, failed: 0 });
    expect(second.schools[0]?.queued).toBe(0);
    expect(second.delivery?.sent).toBe(0);

    const toOpen = fake.messagesTo(seeds.open.vkId!)[0]!;
    expect(toOpen.message).toContain('Здравствуйте, Мария Петровна!');
    expect(toOpen.message).toContain('Следующее: «Родительские чаты в Сферуме», класс 5А.');
    expect(toOpen.keyboard.buttons.flat().map((b: { action: { label: string } }) => b.action.label)).toEqual(['Продолжить', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…']);
    expect(fake.messagesTo(seeds.twoClasses.vkId!)[0]?.message).toContain('Следующее: «QR-коды чатов в классе», класс 7Б.');

    const rows = await outboxRows();
    expect(rows.map((r) => [r.kind, r.status, r.attempts, r.key.replace(/:[0-9a-f-]{36}:/, ':{teacher}:')])).toEqual([
      ['reminder', 'sent', 1, 'reminder:{teacher}:2026-12-08'],
      ['reminder', 'sent', 1, 'reminder:{teacher}:2026-12-08'],
    ]);
    // The random_id VK saw is the one stored with the row.
    expect(rows.map((r) => r.randomId).sort()).toEqual(fake.sent.map((m) => m.randomId).sort());
  });

  it('follows the cadence over the following days, from what the outbox says was sent', async () => {
    const [id] = await seed([teacher()]);
    const { jobs } = messaging();
    const sentOn = async (date: string) => (await jobs.reminders(day(date))).delivery?.sent;
    // Every 2 working days without a deadline: Tue yes, Wed no, Thu yes, Fri no, Sat closed, Mon yes.
    expect([await sentOn('2026-12-08'), await sentOn('2026-12-09'), await sentOn('2026-12-10'), await sentOn('2026-12-11'), await sentOn('2026-12-12'), await sentOn('2026-12-14')]).toEqual([1, 0, 1, 0, 0, 1]);
    const standings = await runtime.reminderDeps.standings.loadSchool(runtime.school.id);
    expect(standings.find((s) => s.id === id)?.lastReminderOn).toBe('2026-12-14');
  });

  it('a dry run prints who would get what, and writes and sends nothing', async () => {
    await seed([teacher({ fullName: 'Иванова Мария Петровна', vkId: 6001, done: ['messengers'] }), teacher({ vkId: 6002, leaveUntil: '2026-12-31' })]);
    const result = await messaging().jobs.reminders(TUESDAY, { dryRun: true });
    const report = formatReminderReport(result, { now: TUESDAY, timeZone: 'Europe/Moscow', dryRun: true });
    expect(report).toBe(
      [
        'Reminders as of 08.12.2026 10:00 (Europe/Moscow) — dry run: nothing written or sent',
        'МКОУ «СОШ №4»: 1 due; no reminder: on leave 1',
        '  Teacher                 VK id  Reason    Next task                         Open',
        '  Иванова Мария Петровна  6001   periodic  Родительские чаты в Сферуме (5А)  5/6',
      ].join('\n'),
    );
    expect(await outboxRows()).toEqual([]);
    expect(fake.sent).toEqual([]);

    const summary = await messaging().jobs.summary(TUESDAY, { dryRun: true });
    expect(summary.schools[0]?.skipped).toBe('no_admins');
    expect(await database.db.select().from(summarySnapshots)).toEqual([]);
  });

  it('skips the dates the school set as days off', async () => {
    await seed([teacher()]);
    await database.db.execute(sql`insert into school_holidays (school_id, date, note) values (${runtime.school.id}::uuid, '2026-12-08', 'карантин')`);
    const result = await messaging().jobs.reminders(TUESDAY);
    expect(result.schools[0]?.plan.closed).toBe('not_working_day');
    expect(fake.sent).toEqual([]);
  });

  it('loads a school\'s standings in one query with classes in order, answers and the last reminder', async () => {
    const [id] = await seed([teacher({ classes: ['9А', '5Б'], done: ['messengers', 'qr'], leaveUntil: '2026-12-31' })]);
    const [standing] = await runtime.reminderDeps.standings.loadSchool(runtime.school.id);
    expect(standing).toMatchObject({ id, classes: ['9А', '5Б'], leaveUntil: '2026-12-31', lastReminderOn: null, erased: false });
    expect(standing?.completions.map((c) => `${c.task}:${c.className ?? ''}`).sort()).toEqual(['messengers:', 'qr:5Б', 'qr:9А']);
    expect(standing?.completions[0]?.at).toBeInstanceOf(Date);
  });
});

describe('the outbox', () => {
  it('901: the row and the teacher become unreachable, and the next days do not try again', async () => {
    const [id] = await seed([teacher({ vkId: 4242 })]);
    fake.blockUser(4242);
    const { jobs } = messaging();
    expect((await jobs.reminders(TUESDAY)).delivery).toEqual({ sent: 0, unreachable: 1, retried: 0, failed: 0 });
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: 'unreachable', lastError: '901', attempts: 1 });
    const [stored] = await database.db.select().from(teachers).where(eq(teachers.id, id!));
    expect(stored?.unreachableAt).not.toBeNull();

    const nextDay = await jobs.reminders(day('2026-12-10'));
    expect(nextDay.schools[0]?.plan.skipped).toEqual({ unreachable: 1 });
    expect(await outboxRows()).toHaveLength(1);
  });

  it('a transient error (10) is retried after a back-off; a fatal one fails at once', async () => {
    await seed([teacher({ vkId: 5001 })]);
    const { jobs } = messaging();
    // The notifier tries 3 times on the spot; all fail, so the outbox takes over.
    fake.failNext('messages.send', { code: 10 }, 3);
    expect((await jobs.reminders(TUESDAY)).delivery).toEqual({ sent: 0, unreachable: 0, retried: 1, failed: 0 });
    const [waiting] = await outboxRows();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: '10', leaseUntil: null });
    expect(waiting!.availableAt.getTime() - Date.now()).toBeGreaterThan(55_000);

    expect((await jobs.drain()).sent).toBe(0);
    await expireBackoff();
    expect((await jobs.drain()).sent).toBe(1);
    expect(Object.fromEntries(perPeer())).toEqual({ 5001: 1 });
    expect(await outboxRows()).toMatchObject([{ status: 'sent', attempts: 2, lastError: null }]);

    await seed([teacher({ vkId: 5002 })]);
    fake.failNext('messages.send', { code: 100, message: 'One of the parameters specified was missing or invalid' }, 2);
    await jobs.reminders(day('2026-12-10'));
    expect((await outboxRows()).slice(1).map((r) => [r.recipientVkId, r.status, r.attempts, r.lastError]).sort()).toEqual([
      [5001, 'failed', 1, '100'],
      [5002, 'failed', 1, '100'],
    ]);
  });

  it('gives a message up after 5 attempts', async () => {
    await seed([teacher({ vkId: 5003 })]);
    const { jobs } = messaging();
    // 3 tries on the spot per claim, 5 claims.
    fake.failNext('messages.send', { code: 10 }, 15);
    await jobs.reminders(TUESDAY);
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      await expireBackoff();
      await jobs.drain();
    }
    expect(await outboxRows()).toMatchObject([{ status: 'failed', attempts: 5, lastError: '10' }]);
    // VK would take it now, but a failed message stays failed.
    await expireBackoff();
    expect((await jobs.drain()).sent).toBe(0);
    expect(fake.sent).toEqual([]);
  });

  it('a sender that dies mid fan-out: another takes its rows over after the lease and resends them with the same random_id, which VK drops', async () => {
    const seeds = Array.from({ length: 30 }, () => teacher());
    await seed(seeds);
    await queueDueReminders(runtime.reminderDeps, TUESDAY);
    const leaseMs = 60_000;
    const { notifier } = messaging();

    // The first sender delivers 10 messages, then hangs forever, as a process frozen or killed before marking anything.
    let delivered = 0;
    const dying: Notifier = {
      async send(...args) {
        if (delivered >= 10) return new Promise(() => {});
        delivered += 1;
        return notifier.send(...args);
      },
    };
    void createOutboxSender({ queue: runtime.outbox, notifier: dying, logger, options: { leaseMs } }).drain();
    await expect.poll(() => fake.sent.length, { timeout: 10_000 }).toBe(10);
    expect((await outboxRows()).every((r) => r.status === 'pending' && r.attempts === 1 && r.leaseUntil !== null)).toBe(true);

    // Before the lease expires nobody else may take the rows; after it, another sender does.
    const second = createOutboxSender({ queue: runtime.outbox, notifier, logger, options: { leaseMs } });
    expect((await second.drain()).sent).toBe(0);
    await expireLeases();
    expect((await second.drain()).sent).toBe(30);

    expect([...perPeer().values()].every((n) => n === 1)).toBe(true);
    expect(perPeer().size).toBe(30);
    expect(fake.resent).toHaveLength(10);
    expect((await outboxRows()).every((r) => r.status === 'sent' && r.attempts === 2)).toBe(true);
  });

  // Two job processes, each starting tsx: more than the default 20 s on a busy machine.
  it('a job killed mid fan-out (a child process killed with SIGKILL), then run again: 0 lost, 0 doubled', { timeout: 60_000 }, async () => {
    const seeds = Array.from({ length: 120 }, () => teacher());
    await seed(seeds);
    const leaseSeconds = 3;

    let inFlightAtCrash: (typeof outbox.$inferSelect)[];
    let sentAtCrash: Set<string>;
    const crashSnapshot = async () => {
      inFlightAtCrash = (await outboxRows()).filter((r) => r.status === 'pending' && r.attempts > 0);
      sentAtCrash = new Set(fake.sent.map((m) => `${m.peerId}:${m.randomId}`));
    };
    // vk-io limited to 3 requests/s: 120 messages take 5 execute calls, about 1.7 s.
    const env = { VK_API_LIMIT: '3', OUTBOX_LEASE_SECONDS: String(leaseSeconds) };
    const first = startJobProcess(['reminders', '--at', AT], { fake, databaseUrl: database.url, env });
    await expect.poll(() => fake.sent.length, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(25);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await crashSnapshot();
    expect(fake.sent.length).toBeLessThan(120);
    // Wait out the dead process's lease before running again.
    await expect.poll(async () => (await outboxRows()).every((r) => r.leaseUntil === null || r.leaseUntil < new Date()), { timeout: 15_000, interval: 200 }).toBe(true);
    const rerun = await startJobProcess(['reminders', '--at', AT], { fake, databaseUrl: database.url, env }).exited;
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('0 newly queued');

    // 0 lost, 0 doubled: every teacher got exactly one reminder.
    const counts = perPeer();
    expect(seeds.filter((s) => counts.get(s.vkId!) !== 1)).toEqual([]);
    expect(fake.sent).toHaveLength(120);
    const rows = await outboxRows();
    expect(rows).toHaveLength(120);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    // The dead run held rows when it died; the rerun took each over (a second claim) …
    expect(inFlightAtCrash!.length).toBeGreaterThan(0);
    const retaken = new Set(inFlightAtCrash!.map((r) => r.id));
    expect(rows.filter((r) => retaken.has(r.id)).every((r) => r.attempts === 2)).toBe(true);
    // … including some it had delivered but not yet marked: those were resent, and VK dropped them by random_id.
    const deliveredUnmarked = inFlightAtCrash!.filter((row) => sentAtCrash!.has(`${row.recipientVkId}:${row.randomId}`));
    expect(deliveredUnmarked.length).toBeGreaterThan(0);
    expect(fake.resent.length).toBeGreaterThanOrEqual(deliveredUnmarked.length);
    expect(fake.resent.length).toBeLessThanOrEqual(inFlightAtCrash!.length);
  });

  it('two processes ticking at once send each reminder once', { timeout: 60_000 }, async () => {
    const seeds = Array.from({ length: 150 }, () => teacher());
    await seed(seeds);
    const env = { VK_API_LIMIT: '5' };
    const runs = await Promise.all([0, 1].map(() => startJobProcess(['reminders', '--at', AT], { fake, databaseUrl: database.url, env }).exited));
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const sentByEach = runs.map((r) => Number(/Sent: (\d+)/.exec(r.stdout)?.[1]));
    // Every row was marked sent by exactly one of them, and VK never saw a second attempt.
    expect(sentByEach.reduce((a, b) => a + b, 0)).toBe(150);
    expect(fake.resent).toEqual([]);
    const counts = perPeer();
    expect(seeds.filter((s) => counts.get(s.vkId!) !== 1)).toEqual([]);
    expect(await outboxRows()).toHaveLength(150);
  });
});

describe('the daily summary', () => {
  async function seedSchool() {
    await database.db.insert(admins).values([
      { vkId: 9001, schoolId: runtime.school.id, role: 'school' },
      { vkId: 9002, schoolId: runtime.school.id, role: 'school' },
      { vkId: 9003, schoolId: null, role: 'region' },
    ]);
    await setDeadline(database.db, runtime.school.id, '2026-12-15');
    return seed([
      teacher({ fullName: 'Алиева Патимат Магомедовна', done: ALL_TASKS, finishedAt: new Date('2026-12-05T10:00:00+03:00') }),
      teacher({ fullName: 'Иванова Мария Петровна', done: ['messengers', 'chats'] }),
      teacher({ fullName: 'Петров Иван Ильич', classes: ['7Б', '8В'], done: ['messengers'], leaveUntil: '2026-12-20' }),
      teacher({ fullName: 'Сидоров Алексей Андреевич', unreachableAt: new Date('2026-12-01T10:00:00+03:00') }),
      teacher({ fullName: 'Кузнецова Елена Викторовна', startedAt: null }),
    ]);
  }

  it('gives each administrator of the school one correct summary a day, and the next day says what changed', async () => {
    const [, ivanova] = await seedSchool();
    const { jobs } = messaging();

    await jobs.summary(TUESDAY);
    await jobs.summary(day('2026-12-08'));
    expect(Object.fromEntries(perPeer())).toEqual({ 9001: 1, 9002: 1 });
    const text = fake.messagesTo(9001)[0]!.message;
    expect(fake.messagesTo(9002)[0]?.message).toBe(text);
    expect(text).toBe(
      [
        '📊 Сводка на 08.12.2026 — МКОУ «СОШ №4»',
        'Срок — 15.12.2026, осталось 7 дней.',
        'Учителей: 5. Начали работу с ботом: 4. Выполнили всё: 1.',
        '',
        'Задания (сделано из тех, к кому относится):',
        '1. Отказ от иностранных мессенджеров — 3 из 5',
        '2. Родительские чаты в Сферуме — 2 из 5',
        '3. QR-коды чатов в классе — 1 из 5',
        '4. Разъяснение родителям — 1 из 5',
        '5. Общение только через Сферум — 1 из 5',
        '6. Привязка к „Электронному образованию“ — 1 из 5',
        '',
        'Родители в чатах класса: 25 из 25 (100 %).',
        '• Алиева П. М. (5А): 25 из 25 (100 %)',
        'Ещё не прислали цифры (или не по всем классам): 4 учителя.',
        '',
        'Отстают — 2:',
        '• Петров И. И. — не сделаны 2, 3, 4, 5, 6 (в отпуске до 20.12.2026)',
        '• Иванова М. П. — не сделаны 3, 4, 5, 6',
        '',
        'Не удаётся написать (запретили сообщения от сообщества) — 1: Сидоров А. А.',
        '',
        'Ещё не писали боту — 1: Кузнецова Е. В.',
        '',
        'Это первая сводка.',
      ].join('\n'),
    );
    // The chart goes with it as a photo (a file save per administrator): the PNG VK got is the drawn one.
    const attachments = [9001, 9002].map((vkId) => fake.messagesTo(vkId)[0]!.attachment);
    expect(attachments).toEqual([expect.stringMatching(/^photo-?\d+_\d+_\w+$/), expect.stringMatching(/^photo-?\d+_\d+_\w+$/)]);
    expect(fake.photos).toHaveLength(2);
    expect(fake.photos[0]!.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const button = fake.messagesTo(9001)[0]!.keyboard.buttons[0][0].action;
    expect(button.label).toBe('Напомнить отстающим сейчас');
    expect(JSON.parse(button.payload)).toEqual({ a: 'ad_remind' });
    expect((await outboxRows()).map((r) => [r.kind, r.status])).toEqual([
      ['summary', 'sent'],
      ['summary', 'sent'],
    ]);

    // Overnight Иванова does task 3 and finishes the rest: 20 of 25 parents of her 5А joined.
    await database.db.execute(sql`
      insert into task_completions (school_id, teacher_id, task_code, class_name, status, evidence, completed_at)
      select ${runtime.school.id}::uuid, ${ivanova}::uuid, code, cls, 'done', evidence::jsonb, '2026-12-08T15:00:00+03:00'
      from (values ('qr', '5А', null), ('parents', '5А', '{"kind":"report","values":{"meeting_date":"2026-12-08","parents_total":25,"parents_joined":20}}'), ('only_sferum', '', null), ('eo_link', '', null)) as v(code, cls, evidence)`);
    await database.db.update(teachers).set({ finishedAt: new Date('2026-12-08T15:00:00+03:00') }).where(eq(teachers.id, ivanova!));

    await jobs.summary(day('2026-12-09'));
    const next = fake.messagesTo(9001)[1]!.message;
    expect(next).toContain('Срок — 15.12.2026, осталось 6 дней.');
    expect(next).toContain('Выполнили всё: 2.');
    expect(next).toContain('С прошлой сводки (08.12.2026): выполнили всё +1, задание 3: +1, задание 4: +1, задание 5: +1, задание 6: +1.\nВыполнили всё: Иванова М. П.');
    expect(next).toContain('Родители в чатах класса: 45 из 50 (90 %), +20 с прошлой сводки.\n• Иванова М. П. (5А): 20 из 25 (80 %)\n• Алиева П. М. (5А): 25 из 25 (100 %)');
    expect(await database.db.select({ date: summarySnapshots.date }).from(summarySnapshots)).toHaveLength(2);
  });

  it('sends nothing on a weekend or outside the window', async () => {
    await seedSchool();
    const { jobs } = messaging();
    expect((await jobs.summary(day('2026-12-12'))).schools[0]?.skipped).toBe('not_working_day');
    expect((await jobs.summary(new Date('2026-12-08T07:30:00+03:00'))).schools[0]?.skipped).toBe('outside_window');
    expect(fake.sent).toEqual([]);
    expect(await database.db.select().from(summarySnapshots)).toEqual([]);
  });
});

describe('housekeeping', () => {
  it('forgets update ids after two weeks and settled outbox messages after 90 days, never a pending one', async () => {
    await seed([teacher(), teacher(), teacher()]);
    const { jobs } = messaging();
    await jobs.reminders(TUESDAY);
    const [old, recent, stuck] = await outboxRows();
    expect([old?.status, recent?.status, stuck?.status]).toEqual(['sent', 'sent', 'sent']);
    await database.db.update(outbox).set({ sentAt: sql`now() - interval '91 days'` }).where(eq(outbox.id, old!.id));
    await database.db.update(outbox).set({ status: 'pending', sentAt: null, createdAt: sql`now() - interval '200 days'` }).where(eq(outbox.id, stuck!.id));
    const events = runtime.repos.events;
    await events.claim('event-old');
    await events.claim('event-new');
    await database.db.update(processedEvents).set({ processedAt: sql`now() - interval '15 days'` }).where(eq(processedEvents.eventId, 'event-old'));

    expect(await jobs.housekeeping()).toEqual({ events: 1, outbox: 1 });

    expect((await outboxRows()).map((row) => row.id)).toEqual([recent!.id, stuck!.id]);
    // A forgotten id counts as new again; a recent one is still a duplicate.
    expect(await events.claim('event-old')).toBe(true);
    expect(await events.claim('event-new')).toBe(false);
    expect(await jobs.housekeeping()).toEqual({ events: 0, outbox: 0 });
  });
});
