import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admins, taskCompletions, teachers } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { sandboxJobs } from '../../src/sandbox/jobs.js';
import { SANDBOX_ADMIN_VK_ID } from '../../src/sandbox/personas.js';
import { type Sandbox, type SandboxJobs, startSandbox } from '../../src/compose/sandbox.js';
import { linksFor } from '../support/conversation-driver.js';
import { PageUser, pageState, postJson, textsOf } from '../support/sandbox-page.js';
import { scratchDir } from '../support/scratch.js';

/** The sandbox as main starts it, on a free port, with its data in `dir`. */
function startIn(dir: string, options: { jobs?: (app: Sandbox['app']) => SandboxJobs } = {}): Promise<Sandbox> {
  return startSandbox({
    env: { DATA_DIR: dir, SANDBOX_PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', { pretty: false }),
    ...options,
  });
}

async function registerWithClass(user: PageUser, className = '5А'): Promise<void> {
  expect(textsOf(await user.say('Здравствуйте'))).toContain('напишите код школы');
  expect(textsOf(await user.say('SANDBOX-2026'))).toContain('Код принят: Песочница: МКОУ «СОШ №4»');
  await user.say('Сидорова Анна Ивановна');
  expect(textsOf(await user.say(className, { replies: 2 }))).toContain('Задание 1 из 6');
}

// A fresh database folder takes seconds to create: these tests share one sandbox, each with its own persona.
describe('the sandbox', { timeout: 60_000 }, () => {
  let dir: string;
  let sandbox: Sandbox;
  beforeAll(async () => {
    dir = scratchDir('sandbox-');
    sandbox = await startIn(dir);
  });
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page, the personas and the school, on 127.0.0.1 only', async () => {
    const { url } = sandbox;
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Песочница бота «Сферум»</title>');
    expect((await fetch(`${url}/assets/pt-sans-400.ttf`)).headers.get('content-type')).toBe('font/ttf');

    const state = await pageState(url);
    expect(state.school).toEqual({ name: 'Песочница: МКОУ «СОШ №4»', joinCode: 'SANDBOX-2026' });
    expect(state.personas.map((p: any) => `${p.id} ${p.role}`)).toEqual(['1001 teacher', '1002 teacher', '1003 roster_teacher', '1004 stranger', '1000 admin']);
    expect(state.jobs).toEqual({ reminders: false, summary: false });

    // Bound to 127.0.0.1, not to every address: another loopback address finds nothing there.
    const port = Number(new URL(url).port);
    const socket = connect(port, '127.0.0.2');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('lets a new teacher register and do the first tasks: buttons, links and a photo from the picker', async () => {
    const { url, app } = sandbox;
    const user = new PageUser(url, 1001);
    await registerWithClass(user);
    expect(await user.buttons()).toEqual([
      { label: 'Подтверждаю', payload: expect.any(String) },
      { label: 'Меню', payload: expect.any(String) },
    ]);
    expect(textsOf(await user.click('Подтверждаю'))).toContain('Задание 2 из 6');
    await user.say(linksFor('5А').withTeacher);
    expect(textsOf(await user.say(linksFor('5А').parentsOnly, { replies: 2 }))).toContain('Задание 3 из 6');
    // The poster follows as a message of its own; the photo's reply comes after it.
    expect(textsOf(await user.expectReplies(1, 30_000))).toContain('Плакат для 5А — PDF');
    const photo = await QRCode.toBuffer('https://vk.me/join/poster');
    expect(textsOf(await user.sendPhoto(photo, 'image/png'))).toContain('Задание 4 из 6');

    // The page shows the photo the teacher sent, served by the emulator.
    const sent = (await user.messages()).findLast((m) => m.from === 'user');
    expect(sent?.attachments).toEqual([{ kind: 'photo', url: expect.stringMatching(/^\/files\/photo1001_\d+$/) }]);
    const served = await fetch(`${url}${(sent!.attachments[0] as { url: string }).url}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(photo)).toBe(true);

    // The bot stored it as evidence, as it would a photo from VK.
    const [teacher] = await app.database.db.select().from(teachers).where(eq(teachers.vkId, 1001));
    const [qr] = await app.database.db
      .select()
      .from(taskCompletions)
      .where(and(eq(taskCompletions.teacherId, teacher!.id), eq(taskCompletions.taskCode, 'qr')));
    expect(qr?.evidence).toMatchObject({ kind: 'poster', photo: { attachment: expect.stringMatching(/^photo1001_\d+_/) } });
  });

  it('knows the roster teacher by name and makes the administrator persona an administrator', async () => {
    const { url, app } = sandbox;
    const replies = await new PageUser(url, 1003).say('Здравствуйте', { replies: 2 });
    expect(replies[0]?.text).toContain('Здравствуйте, Патимат Расуловна!');
    expect(replies[1]?.text).toContain('Задание 1 из 6');
    expect(await app.database.db.select({ vkId: admins.vkId }).from(admins)).toEqual([{ vkId: 1000 }]);
  });

  it('sends a file that is not a picture as a document, as the administrator would send a roster', async () => {
    const { url, emulator } = sandbox;
    const csv = Buffer.from('ФИО;VK;Классы\nИванова Мария Петровна;id1234;5А\n');
    const query = new URLSearchParams({ persona: '1000', name: 'C:\\fakepath\\учителя.csv', text: 'Список' });
    const response = await fetch(`${url}/api/documents?${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: csv });
    expect(response.status).toBe(200);

    const received = emulator.received.findLast((m) => m.fromId === 1000);
    expect(received?.attachments).toMatchObject([{ type: 'doc', doc: { owner_id: 1000, title: 'учителя.csv', ext: 'csv', size: csv.length } }]);
    const [message] = (await pageState(url, 1000)).messages;
    expect(message).toMatchObject({ from: 'user', text: 'Список', attachments: [{ kind: 'doc', title: 'учителя.csv', ext: 'csv', size: csv.length }] });
    const download = await fetch(`${url}${message.attachments[0].url}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(csv)).toBe(true);
    expect((await fetch(`${url}/api/documents?${query}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: csv })).status).toBe(415);
  });

  it('shows the documents the bot sends and the answers to callback buttons', async () => {
    const { url, app } = sandbox;
    const pdf = Buffer.from('%PDF-1.4\n% a poster\n');
    await app.bot.notifier.send(1002, { text: 'Ваш плакат', files: [{ kind: 'document', filename: 'Плакат 5А.pdf', content: pdf }] }, 'poster-1');

    await expect.poll(async () => (await pageState(url, 1002)).messages.length, { timeout: 5000 }).toBe(1);
    const [message] = (await pageState(url, 1002)).messages;
    expect(message).toMatchObject({ from: 'bot', text: 'Ваш плакат', attachments: [{ kind: 'doc', title: 'Плакат 5А.pdf', ext: 'pdf', size: pdf.length }] });
    const download = await fetch(`${url}${message.attachments[0].url}`);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    // A callback button press becomes a message_event in the emulator (VK rejects an answer to an
    // unknown event_id); the page picks up the community's answer.
    const press = await postJson(url, '/api/events', { persona: 1002, payload: '{"a":"next"}', conversationMessageId: message.conversationMessageId });
    const { eventId } = (await press.json()) as { eventId: string };
    await app.bot.vk.api.messages.sendMessageEventAnswer({ event_id: eventId, user_id: 1002, peer_id: 1002, event_data: JSON.stringify({ type: 'show_snackbar', text: 'Готово' }) });
    expect((await pageState(url, 1002)).answers).toEqual([{ eventId, data: { type: 'show_snackbar', text: 'Готово' } }]);
  });

  it('refuses other sites: a foreign Host, a form post, an unknown persona', async () => {
    const { url, emulator } = sandbox;
    const before = emulator.received.length;
    const { port } = new URL(url);
    const foreign = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/api/state', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(foreign).toBe(403);
    const form = await fetch(`${url}/api/messages`, { method: 'POST', body: new URLSearchParams({ persona: '1001', text: 'hi' }) });
    expect(form.status).toBe(415);
    expect((await postJson(url, '/api/messages', { persona: 1, text: 'hi' })).status).toBe(400);
    expect((await fetch(`${url}/api/photos?persona=1001`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    expect(emulator.received.length).toBe(before);
  });
});

describe('the sandbox across restarts', { timeout: 90_000 }, () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  beforeEach(() => {
    dir = scratchDir('sandbox-');
  });
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (options: { jobs?: (app: Sandbox['app']) => SandboxJobs } = {}): Promise<Sandbox> => {
    sandbox = await startIn(dir, options);
    return sandbox;
  };

  it('runs the jobs it is given, and offers none when it is given none', async () => {
    const withoutJobs = await start();
    expect((await postJson(withoutJobs.url, '/api/jobs/reminders', {})).status).toBe(404);
    await withoutJobs.stop();

    const runs: string[] = [];
    const { url } = await start({
      jobs: (app) => ({
        runReminders: async () => {
          runs.push(`reminders:${app.schoolId}`);
          return 'Отправлено напоминаний: 0';
        },
        runSummary: async () => {
          runs.push('summary');
          return 'Сводка отправлена';
        },
      }),
    });
    expect((await pageState(url)).jobs).toEqual({ reminders: true, summary: true });
    expect(await (await postJson(url, '/api/jobs/reminders', {})).json()).toEqual({ report: 'Отправлено напоминаний: 0' });
    expect(await (await postJson(url, '/api/jobs/summary', {})).json()).toEqual({ report: 'Сводка отправлена' });
    expect(runs).toEqual([`reminders:${sandbox!.app.schoolId}`, 'summary']);
  });

  it('the real jobs behind the buttons: a reminder to a teacher with open tasks, a summary to the administrator, once a day', async () => {
    const { url, emulator } = await start({ jobs: sandboxJobs });
    const teacher = new PageUser(url, 1002);
    await registerWithClass(teacher);
    expect(await (await postJson(url, '/api/jobs/reminders', {})).json()).toEqual({
      report: 'Отправлено напоминаний: 1. Ещё не писали боту, а первым он не пишет: 1.',
    });
    await expect.poll(() => emulator.messagesTo(1002).at(-1)?.message ?? '').toContain('Осталось');
    expect(await (await postJson(url, '/api/jobs/reminders', {})).json()).toEqual({
      report: 'Новых напоминаний нет. Уже получили сегодня: 1; ещё не писали боту, а первым он не пишет: 1.',
    });
    expect(await (await postJson(url, '/api/jobs/summary', {})).json()).toEqual({ report: 'Сводка отправлена администраторам: 1' });
    await expect.poll(() => emulator.messagesTo(SANDBOX_ADMIN_VK_ID).at(-1)?.message ?? '').toContain('Учителей');
    expect(await (await postJson(url, '/api/jobs/summary', {})).json()).toEqual({ report: 'Сводка за сегодня уже отправлена' });
  });

  it('continues the chats after a restart, and answers the first message even if the emulator lost its state', async () => {
    let { url } = await start();
    let user = new PageUser(url, 1001);
    await registerWithClass(user);
    await user.click('Подтверждаю');
    await sandbox!.stop();

    ({ url } = await start());
    const history = (await pageState(url, 1001)).messages;
    expect(history.filter((m: any) => m.from === 'bot').length).toBe(6);
    user = new PageUser(url, 1001);
    await user.expectReplies(6);
    await user.say(linksFor('5А').withTeacher);
    await sandbox!.stop();

    // The bot's stored long poll cursor is now ahead of a fresh emulator: it must still get the next message.
    rmSync(join(dir, 'sandbox', 'vk'), { recursive: true });
    ({ url } = await start());
    user = new PageUser(url, 1001);
    expect(textsOf(await user.say(linksFor('5А').parentsOnly, { replies: 2 }))).toContain('Задание 3 из 6');
  });

});
