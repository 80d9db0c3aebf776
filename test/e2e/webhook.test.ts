import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/compose/bot.js';
import { createRepositories } from '../../src/db/repositories/index.js';
import { auditLog, processedEvents } from '../../src/db/schema.js';
import { MAX_CALLBACK_BODY_BYTES } from '../../src/vk/callback.js';
import { postCallback, getJson } from '../support/callback.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { startTestApp, texts } from '../support/harness.js';

const SECRET = 'Wc1x8RkQ2tVbN5mZ7pLd';
const CONFIRMATION = '4f1e2d9a';
const webhookEnv = { VK_UPDATES: 'webhook', VK_CALLBACK_SECRET: SECRET, VK_CONFIRMATION_CODE: CONFIRMATION };

let fake: FakeVk;
let database: TestDatabase;
let app: App;
let endpoint: string;
let nextUserId = 7000;
let nextGroupId = 100;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());
beforeEach(async () => {
  fake = await startFakeVk({ groupId: ++nextGroupId });
  app = await startTestApp(fake, database, webhookEnv);
  endpoint = `http://127.0.0.1:${app.http.port}/vk/callback`;
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

/** A teacher the administrator imported: their first message starts the checklist (an audited effect). */
async function importedTeacher(): Promise<{ vkId: number; teacherId: string }> {
  const vkId = ++nextUserId;
  const teacher = await createRepositories(database.db).teachers.create({
    schoolId: app.schoolId,
    vkId,
    fullName: 'Магомедова Патимат Расуловна',
    classes: [],
    startedAt: null,
  });
  return { vkId, teacherId: teacher.id };
}

/** A message from `vkId` as VK posts it, secret included. */
function messageEvent(vkId: number, text: string) {
  const { eventId, update } = fake.createMessageUpdate(vkId, text);
  return { eventId, body: { ...update, secret: SECRET } };
}

const auditsOf = (teacherId: string, action: string) =>
  database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.teacherId, teacherId), eq(auditLog.action, action)));

/** Runs SQL statements one at a time (a prepared statement holds one). */
async function execute(...statements: string[]): Promise<void> {
  for (const statement of statements) await database.db.execute(sql.raw(statement));
}

async function sequenceCalled(name: string): Promise<boolean> {
  const result = await database.db.execute(sql.raw(`select is_called from ${name}`));
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { is_called: boolean }[];
  return rows[0]?.is_called === true;
}

const claimed = async (eventId: string) =>
  (await database.db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId))).length;

describe('the Callback API endpoint', () => {
  it('answers the confirmation request with the confirmation code', async () => {
    const answer = await postCallback(endpoint, { type: 'confirmation', group_id: fake.groupId, secret: SECRET });
    expect(answer).toEqual({ status: 200, body: CONFIRMATION });
  });

  it('refuses a wrong or missing secret with 403 and handles nothing', async () => {
    const { vkId } = await importedTeacher();
    const wrong = messageEvent(vkId, 'Здравствуйте');
    const missing = messageEvent(vkId, 'Здравствуйте');
    const { secret: _secret, ...withoutSecret } = missing.body;

    expect(await postCallback(endpoint, { ...wrong.body, secret: `${SECRET}x` })).toEqual({ status: 403, body: 'forbidden' });
    expect(await postCallback(endpoint, withoutSecret)).toEqual({ status: 403, body: 'forbidden' });
    expect(await postCallback(endpoint, { type: 'confirmation', group_id: fake.groupId, secret: 'guess' })).toEqual({ status: 403, body: 'forbidden' });
    expect(await claimed(wrong.eventId)).toBe(0);
    expect(await claimed(missing.eventId)).toBe(0);

    // A genuine message afterwards is answered, and it is the only thing the teacher got.
    expect((await postCallback(endpoint, messageEvent(vkId, 'Здравствуйте').body)).body).toBe('ok');
    await fake.waitForMessages(vkId, 2);
    expect(fake.messagesTo(vkId)).toHaveLength(2);
  });

  it("refuses another community's events with 403, the confirmation too", async () => {
    const { vkId } = await importedTeacher();
    const event = messageEvent(vkId, 'Здравствуйте');
    expect(await postCallback(endpoint, { ...event.body, group_id: fake.groupId + 1 })).toEqual({ status: 403, body: 'wrong community' });
    expect(await postCallback(endpoint, { type: 'confirmation', group_id: fake.groupId + 1, secret: SECRET })).toEqual({ status: 403, body: 'wrong community' });
    expect(await claimed(event.eventId)).toBe(0);
  });

  it('refuses a body over the cap with 413, whether its length is declared or not, and keeps serving', async () => {
    const { vkId } = await importedTeacher();
    const huge = messageEvent(vkId, 'я'.repeat(MAX_CALLBACK_BODY_BYTES / 2 + 10));
    expect(JSON.stringify(huge.body).length).toBeGreaterThan(MAX_CALLBACK_BODY_BYTES / 2);
    expect(await postCallback(endpoint, huge.body)).toEqual({ status: 413, body: 'payload too large' });
    expect(await postCallback(endpoint, huge.body, { chunked: true })).toEqual({ status: 413, body: 'payload too large' });
    expect(await claimed(huge.eventId)).toBe(0);
    // A Callback API event is a few KB: 100 KB is not one (the cap was 1 MiB, which 400 clients turned into 400 MB).
    const padded = messageEvent(vkId, 'a'.repeat(100_000));
    expect(await postCallback(endpoint, padded.body, { chunked: true })).toEqual({ status: 413, body: 'payload too large' });
    expect((await postCallback(endpoint, messageEvent(vkId, 'Здравствуйте').body)).body).toBe('ok');
  });

  it('answers malformed JSON and bodies that are not events with 400 at once', async () => {
    for (const body of ['{"type": "message_new", ', '', 'null', '[]', '"ok"']) {
      expect(await postCallback(endpoint, body)).toEqual({ status: 400, body: expect.stringMatching(/^(malformed JSON|not a Callback API event)$/) });
    }
    expect(await postCallback(endpoint, { type: 'message_new', secret: SECRET })).toEqual({ status: 400, body: 'not a Callback API event' });
    expect(await postCallback(endpoint, { group_id: fake.groupId, secret: SECRET })).toEqual({ status: 400, body: 'not a Callback API event' });
  });

  it('answers ok only after the effects are committed; duplicates, sequential or concurrent, are ok and do nothing', async () => {
    const { vkId, teacherId } = await importedTeacher();
    const first = messageEvent(vkId, 'Здравствуйте');
    expect(await postCallback(endpoint, first.body)).toEqual({ status: 200, body: 'ok' });
    // Committed by the time `ok` arrived: the event id and the effect are both there.
    expect(await claimed(first.eventId)).toBe(1);
    expect(await auditsOf(teacherId, 'started')).toHaveLength(1);
    expect(texts(await fake.waitForMessages(vkId, 2))).toContain('Задание 1 из 6');

    expect(await postCallback(endpoint, first.body)).toEqual({ status: 200, body: 'ok' });
    const confirm = messageEvent(vkId, 'да');
    const answers = await Promise.all([1, 2, 3, 4].map(() => postCallback(endpoint, confirm.body)));
    expect(answers).toEqual(Array(4).fill({ status: 200, body: 'ok' }));
    expect(await auditsOf(teacherId, 'task_done')).toHaveLength(1);

    // The next genuine message is answered; nothing else was sent in between.
    await postCallback(endpoint, messageEvent(vkId, 'прогресс').body);
    const all = await fake.waitForMessages(vkId, 4);
    expect(all).toHaveLength(4);
    // Without classes the chats, the poster and the parents' figures do not apply: task 5 is next.
    expect(all[2]?.message).toContain('Задание 5 из 6');
    expect(all[3]?.message).toContain('Ваш прогресс: 4 из 6.');
    expect(await auditsOf(teacherId, 'started')).toHaveLength(1);
    expect(fake.resent).toEqual([]);
  });

  it('answers a failed transaction with 500 and no reply; the redelivery takes effect once', async () => {
    const { vkId, teacherId } = await importedTeacher();
    // A real failure inside the transaction, after the event id is claimed: the first audit insert
    // raises. A sequence is not rolled back, so exactly one insert fails.
    await execute(
      'create sequence injected_failures',
      `create function fail_once() returns trigger language plpgsql as $$
       begin
         if nextval('injected_failures') = 1 then raise exception 'injected failure'; end if;
         return new;
       end $$`,
      'create trigger fail_once before insert on audit_log for each row execute function fail_once()',
    );
    try {
      const event = messageEvent(vkId, 'Здравствуйте');
      expect(await postCallback(endpoint, event.body)).toEqual({ status: 500, body: 'not handled, deliver again' });
      expect(await claimed(event.eventId)).toBe(0);
      expect(await auditsOf(teacherId, 'started')).toHaveLength(0);

      expect(await postCallback(endpoint, event.body)).toEqual({ status: 200, body: 'ok' });
      expect(await postCallback(endpoint, event.body)).toEqual({ status: 200, body: 'ok' });
      expect(await auditsOf(teacherId, 'started')).toHaveLength(1);
      await postCallback(endpoint, messageEvent(vkId, 'прогресс').body);
      const all = await fake.waitForMessages(vkId, 3);
      // Greeting and first task once (no apology for the failed attempt), then the progress.
      expect(all).toHaveLength(3);
      expect(all[0]?.message).toContain('Здравствуйте, Патимат Расуловна');
      expect(all[2]?.message).toContain('Ваш прогресс');
    } finally {
      await execute('drop trigger fail_once on audit_log', 'drop function fail_once()', 'drop sequence injected_failures');
    }
  });

  it('on stop, answers the request in flight with ok after its commit, then takes no more', async () => {
    const { vkId, teacherId } = await importedTeacher();
    // Slow the transaction down so that stop() begins while it runs. The sequence (outside any
    // transaction) tells the test the transaction has reached the trigger.
    await execute(
      'create sequence slow_audit_reached',
      `create function slow_audit() returns trigger language plpgsql as $$
       begin perform nextval('slow_audit_reached'); perform pg_sleep(0.5); return new; end $$`,
      'create trigger slow_audit before insert on audit_log for each row execute function slow_audit()',
    );
    try {
      const inFlight = postCallback(endpoint, messageEvent(vkId, 'Здравствуйте').body);
      await expect.poll(() => sequenceCalled('slow_audit_reached'), { timeout: 5000 }).toBe(true);
      const stopping = app.stop();
      expect(await inFlight).toEqual({ status: 200, body: 'ok' });
      await stopping;
      expect(await auditsOf(teacherId, 'started')).toHaveLength(1);
      // The greeting and the first task went out before stop() returned.
      expect(fake.messagesTo(vkId)).toHaveLength(2);
      await expect(postCallback(endpoint, messageEvent(vkId, 'прогресс').body)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await execute('drop trigger slow_audit on audit_log', 'drop function slow_audit()', 'drop sequence slow_audit_reached');
    }
  });

  it('answers ok to event types the bot does not handle', async () => {
    const answer = await postCallback(endpoint, {
      type: 'message_typing_state',
      group_id: fake.groupId,
      event_id: 'typing-1',
      v: '5.199',
      object: { state: 'typing', from_id: 1, to_id: -fake.groupId },
      secret: SECRET,
    });
    expect(answer).toEqual({ status: 200, body: 'ok' });
  });

  it('does not poll VK', async () => {
    const { vkId } = await importedTeacher();
    await postCallback(endpoint, messageEvent(vkId, 'Здравствуйте').body);
    await fake.waitForMessages(vkId, 2);
    expect(fake.requestLog.map((entry) => entry.method)).not.toContain('groups.getLongPollServer');
  });

  it('serves health and readiness, and refuses other paths and methods', async () => {
    const base = `http://127.0.0.1:${app.http.port}`;
    expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect(await getJson(`${base}/readyz`)).toEqual({ status: 200, body: { ready: true, checks: { started: true, database: true, migrations: true } } });
    expect((await getJson(`${base}/vk/callback`)).status).toBe(405);
    expect((await getJson(`${base}/nowhere`)).status).toBe(404);
  });
});

describe('long-poll mode', () => {
  /** Makes inserts into audit_log fail `times` times (a database hiccup inside the transaction). */
  async function failAuditInserts(times: number): Promise<() => Promise<void>> {
    await execute(
      'create sequence lp_failures',
      `create function lp_fail() returns trigger language plpgsql as $$
       begin
         if nextval('lp_failures') <= ${times} then raise exception 'injected failure'; end if;
         return new;
       end $$`,
      'create trigger lp_fail before insert on audit_log for each row execute function lp_fail()',
    );
    return () => execute('drop trigger lp_fail on audit_log', 'drop function lp_fail()', 'drop sequence lp_failures');
  }

  it('retries a failed transaction, since the long poll never delivers an update again', async () => {
    const longPoll = await startTestApp(fake, database);
    const { vkId, teacherId } = await importedTeacher();
    const restore = await failAuditInserts(2);
    try {
      fake.sendMessage(vkId, 'Здравствуйте');
      const [greeting] = await fake.waitForMessages(vkId, 1);
      expect(greeting?.message).toContain('Здравствуйте,');
      expect(await auditsOf(teacherId, 'started')).toHaveLength(1);
    } finally {
      await longPoll.stop();
      await restore();
    }
  });

  it('apologises when the transaction keeps failing, and changes nothing', async () => {
    const longPoll = await startTestApp(fake, database);
    const { vkId, teacherId } = await importedTeacher();
    const restore = await failAuditInserts(1000);
    try {
      fake.sendMessage(vkId, 'Здравствуйте');
      const [apology] = await fake.waitForMessages(vkId, 1);
      expect(apology?.message).toBe('Извините, что-то пошло не так. Попробуйте ещё раз через минуту.');
      expect(await auditsOf(teacherId, 'started')).toHaveLength(0);
    } finally {
      await longPoll.stop();
      await restore();
    }
  });

  it('serves health and readiness, and has no Callback API endpoint', async () => {
    const longPoll = await startTestApp(fake, database);
    try {
      const base = `http://127.0.0.1:${longPoll.http.port}`;
      expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: 'ok' });
      expect(await getJson(`${base}/readyz`)).toMatchObject({ status: 200, body: { ready: true } });
      expect((await postCallback(`${base}/vk/callback`, { type: 'confirmation', group_id: fake.groupId, secret: SECRET })).status).toBe(404);
    } finally {
      await longPoll.stop();
    }
  });
});
