import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/compose/bot.js';
import { serializeError } from '../../src/log-safe-error.js';
import { createLogger } from '../../src/logger.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';
import { JOIN_CODE, VkUser, testConfig, texts } from '../support/harness.js';

const NAME = 'Сидорова Анна Ивановна';
const REASON = 'Моя личная причина отказа';
const VK_ID = 7401;

let fake: FakeVk;
let database: TestDatabase;
let app: App;
const lines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeVk({ groupId: 7400 });
  const config = testConfig(fake);
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = await startApp({
    config,
    logger: createLogger('debug', { pretty: false, destination }),
    database,
    pollWaitSeconds: 1,
    retry: { attempts: 2, baseDelayMs: 20 },
    handleRetry: { attempts: 2, baseDelayMs: 20 },
    scheduler: false,
    documentOrigins: [new URL(fake.url).origin],
  });
});
afterAll(async () => {
  await app.stop();
  await fake.close();
  await database.destroy();
});

describe('logs hold no personal data', () => {
  it('a failing database write logs its SQLSTATE, not the name, the reason, the text or the VK id', async () => {
    // The database refuses exactly this teacher's row and this reason: the errors carry them as parameters.
    await database.db.execute(sql.raw(`alter table teachers add constraint no_such_name check (full_name <> '${NAME}')`));
    const user = new VkUser(fake, VK_ID);
    await user.say('Начать');
    await user.say(JOIN_CODE);
    await user.say(NAME);
    expect(texts(await user.say('5А'))).toContain('что-то пошло не так');
    const failed = lines.filter((line) => line.includes('update failed'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.join('\n')).toContain('23514');

    await database.db.execute(sql.raw('alter table teachers drop constraint no_such_name'));
    await database.db.execute(sql.raw(`alter table task_completions add constraint no_such_reason check (reason is null or reason <> '${REASON}')`));
    await user.say('5А', { replies: 2 });
    // Point 1 has no «Не относится ко мне» (it applies to everyone): the reason goes on point 2.
    await user.click('Подтверждаю');
    await user.click('Не относится ко мне');
    expect(texts(await user.say(REASON))).toContain('что-то пошло не так');
    expect(lines.filter((line) => line.includes('update failed')).length).toBeGreaterThan(failed.length);

    const log = lines.join('\n');
    for (const secret of [NAME, 'Сидорова', REASON, String(VK_ID)]) expect(log).not.toContain(secret);
  });

  it('serializeError keeps the type, code and stack frames and drops parameters, details and request params', () => {
    const pg = Object.assign(new Error('new row for relation "teachers" violates check constraint "c"'), {
      code: '23514',
      detail: `Failing row contains (${NAME}).`,
      parameters: [NAME],
      constraint_name: 'c',
    });
    const drizzle = Object.assign(new Error(`Failed query: insert into "teachers" values ($1)\nparams: ${NAME}`), {
      query: 'insert into "teachers" values ($1)',
      params: [NAME],
      cause: pg,
    });
    const vk = Object.assign(new Error('Code №901 - Can\'t send messages'), { code: 901, params: { message: `Здравствуйте, ${NAME}`, peer_id: VK_ID } });
    const out = JSON.stringify([serializeError(drizzle), serializeError(vk), serializeError(new Error(`Unexpected token, "${NAME}" is not valid JSON`))]);
    expect(out).not.toContain('Сидорова');
    expect(out).not.toContain(String(VK_ID));
    expect(out).toContain('23514');
    expect(out).toContain('insert into');
    expect(out).toContain('901');
    expect(out).toContain('private-logs.test.ts');
  });
});
