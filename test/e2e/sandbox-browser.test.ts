import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import QRCode from 'qrcode';
import { Keyboard } from 'vk-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox } from '../../src/compose/sandbox.js';
import { linksFor } from '../support/conversation-driver.js';
import { type MainProcess, startMain } from '../support/main-process.js';
import { scratchDir } from '../support/scratch.js';

/**
 * The sandbox as a newcomer meets it: `npm start` without a VK token, then the page in Debian's
 * Chromium (no browser download: .ci/run installs the `chromium` package).
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`sandbox-browser.test.ts: ${CHROMIUM} is missing, so the browser test does not run here. Install it with "apt-get install chromium" (.ci/run does).`);
}

const RESULTS = fileURLToPath(new URL('../../test-results', import.meta.url));

describe.runIf(hasChromium)('the sandbox page in Chromium', { timeout: 240_000 }, () => {
  let dataDir: string;
  let profileDir: string;
  let main: MainProcess | undefined;
  let browser: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = scratchDir('sandbox-browser-');
    profileDir = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await main?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  /** `npm start` without a token; resolves with the page URL from its first log line once the bot is up. */
  async function startSandboxProcess(): Promise<string> {
    main = startMain({ DATA_DIR: dataDir, SANDBOX_PORT: '0', LOG_LEVEL: 'info' });
    const first = await main.waitForLine(() => true);
    expect(first.msg).toMatch(/^Sandbox: /);
    await main.waitForLine((line) => line.msg === 'bot started');
    return first.url as string;
  }

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    return page;
  }

  /** Does `action`, then waits until a bot message that arrived after it contains `reply`. */
  async function expectReply(page: Page, action: () => Promise<void>, reply: string): Promise<void> {
    const bubbles = page.locator('.msg.bot');
    const before = await bubbles.count();
    await action();
    await expect.poll(async () => (await bubbles.allTextContents()).slice(before).join('\n'), { timeout: 20_000 }).toContain(reply);
  }

  /** Types a message and sends it with Enter. */
  const type = (page: Page, text: string, reply: string) =>
    expectReply(
      page,
      async () => {
        const input = page.getByLabel('Сообщение');
        await input.fill(text);
        await input.press('Enter');
      },
      reply,
    );

  /** Clicks a button under the bot's latest message, as a teacher would. */
  const click = (page: Page, label: string, reply: string) =>
    expectReply(page, () => page.locator('.msg.bot').last().getByRole('button', { name: label, exact: true }).click(), reply);

  it('a new teacher registers, clicks through the first tasks, sees the progress, and after a restart carries on', async () => {
    let page = await openPage(await startSandboxProcess());
    await page.getByRole('button', { name: /Анна Сидорова/ }).click();
    await type(page, 'Здравствуйте', 'напишите код школы');

    // The join code is on the page, as a newcomer would find it.
    const code = (await page.locator('.code').textContent()) ?? '';
    expect(code).toBe('SANDBOX-2026');
    await type(page, code, 'Код принят: Песочница: МКОУ «СОШ №4»');
    await type(page, 'Сидорова Анна Ивановна', 'В каких классах');
    await type(page, '5А', 'Задание 1 из 6 (п. 1 приказа). Отказ от иностранных мессенджеров');

    await click(page, 'Подтверждаю', 'Задание 2 из 6');
    await type(page, linksFor('5А').withTeacher, 'без учителя');
    await type(page, linksFor('5А').parentsOnly, 'Задание 3 из 6');
    // The poster follows as a message of its own.
    await expect.poll(async () => (await page.locator('.msg.bot').allTextContents()).join('\n'), { timeout: 20_000 }).toContain('PDF для печати на листе А4');

    const photo = join(dataDir, 'poster.png');
    await QRCode.toFile(photo, linksFor('5А').withTeacher, { width: 240 });
    await expectReply(page, () => page.locator('#file').setInputFiles(photo), 'Задание 4 из 6');
    const shown = page.locator('.msg.user img.photo').last();
    await shown.waitFor();
    expect(await loadedWidth(shown)).toBe(240);

    await click(page, 'Меню', 'Меню. Выберите, что сделать:');
    await click(page, 'Мой прогресс', 'Ваш прогресс: 3 из 6.');
    const progress = (await page.locator('.msg.bot').last().textContent()) ?? '';
    expect(progress).toContain('✅ Отказ от иностранных мессенджеров');
    expect(progress).toContain('⬜ Разъяснение родителям');
    await page.screenshot({ path: join(RESULTS, 'sandbox-browser.png') });

    // Restart on the same data: the chat is still there and the teacher continues where she was.
    expect(await main!.stop()).toBe(0);
    page = await openPage(await startSandboxProcess());
    await page.getByRole('button', { name: /Анна Сидорова/ }).click();
    await page.locator('.msg.bot', { hasText: 'Ваш прогресс: 3 из 6.' }).waitFor();
    expect(await loadedWidth(page.locator('.msg.user img.photo').last())).toBe(240);
    await click(page, 'Следующее задание', 'Когда прошло собрание');
    await type(page, yesterday(), 'Сколько всего родителей');
    await page.screenshot({ path: join(RESULTS, 'sandbox-browser-restarted.png') });
    expect(pageErrors).toEqual([]);
  });

  it('draws what else VK can carry: documents, an ordinary keyboard, callback and link buttons', async () => {
    // In-process, to send what today's bot does not (yet): posters, exports, callback buttons.
    const dir = scratchDir('sandbox-browser-vk-');
    const sandbox = await startSandbox({ env: { DATA_DIR: dir, SANDBOX_PORT: '0', LOG_LEVEL: 'silent' }, logger: createLogger('silent', { pretty: false }) });
    try {
      const { api } = sandbox.app.bot.vk;
      const page = await openPage(sandbox.url);
      await page.getByRole('button', { name: /Ибрагим Алиев/ }).click();

      const pdf = Buffer.from('%PDF-1.4\n% poster\n');
      await sandbox.app.bot.notifier.send(1002, { text: 'Плакат для класса 5А', files: [{ kind: 'document', filename: 'Плакат 5А.pdf', content: pdf }] }, 'poster');
      const doc = page.locator('.msg.bot a.doc', { hasText: 'Плакат 5А.pdf' });
      await doc.waitFor();
      const download = await page.request.get(new URL((await doc.getAttribute('href')) ?? '', sandbox.url).href);
      expect(download.headers()['content-type']).toBe('application/pdf');
      expect((await download.body()).equals(pdf)).toBe(true);

      // A file that is not a picture goes as a document.
      const table = join(dir, 'учителя.csv');
      writeFileSync(table, 'ФИО;VK;Классы\n');
      await page.locator('#file').setInputFiles(table);
      await page.locator('.msg.user a.doc', { hasText: 'учителя.csv' }).waitFor();

      // An ordinary keyboard sits under the text box; a one-time one goes once used.
      const ordinary = Keyboard.builder().textButton({ label: 'Помощь', payload: { a: 'help' } }).oneTime();
      await api.messages.send({ peer_id: 1002, random_id: 1, message: 'Клавиатура внизу', keyboard: ordinary });
      const bottom = page.locator('#keyboard');
      await bottom.getByRole('button', { name: 'Помощь' }).click();
      await page.locator('.msg.user', { hasText: 'Помощь' }).waitFor();
      await page.locator('.msg.bot', { hasText: 'его сообщает администрация школы' }).waitFor();
      expect(await bottom.isHidden()).toBe(true);

      // A callback button waits for the community's answer and shows its snackbar; a link button opens the link.
      const inline = Keyboard.builder()
        .inline()
        .callbackButton({ label: 'Напомнить завтра', payload: { a: 'snooze' } })
        .row()
        .urlButton({ label: 'Открыть', url: `${sandbox.url}/files/doc-1_651001` });
      await api.messages.send({ peer_id: 1002, random_id: 2, message: 'Кнопки', keyboard: inline });
      const pressed = page.waitForResponse((response) => response.url().endsWith('/api/events'));
      const callback = page.locator('.msg.bot').last().getByRole('button', { name: 'Напомнить завтра' });
      await callback.click();
      const { eventId } = (await (await pressed).json()) as { eventId: string };
      await expect.poll(() => callback.getAttribute('class')).toContain('loading');
      await api.messages.sendMessageEventAnswer({ event_id: eventId, user_id: 1002, peer_id: 1002, event_data: JSON.stringify({ type: 'show_snackbar', text: 'Напомню завтра' }) });
      await page.locator('#toast', { hasText: 'Напомню завтра' }).waitFor();
      await expect.poll(() => callback.getAttribute('class')).not.toContain('loading');

      const popup = browser.waitForEvent('page');
      await page.locator('.msg.bot').last().getByRole('button', { name: 'Открыть' }).click();
      expect((await popup).url()).toBe(`${sandbox.url}/files/doc-1_651001`);
      await page.screenshot({ path: join(RESULTS, 'sandbox-browser-vk.png') });
      expect(pageErrors).toEqual([]);
    } finally {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The width of a loaded image, 0 when it did not load (the file was not served). */
function loadedWidth(image: Locator): Promise<number> {
  return image.evaluate((img) => {
    const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
    return complete ? naturalWidth : 0;
  });
}

/** A meeting date the bot accepts: in the past, after the order. */
function yesterday(): string {
  const date = new Date(Date.now() - 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${date.getFullYear()}`;
}
