import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admins, auditLog, schools, summarySnapshots } from '../../src/db/schema.js';
import { createAdminLinks, derivedLinkSecret } from '../../src/http/admin-link.js';
import { createLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/compose/sandbox.js';
import { SANDBOX_ADMIN_VK_ID } from '../../src/sandbox/personas.js';
import { ALL_TASKS, seedTeachers } from '../support/seed.js';
import { scratchDir } from '../support/scratch.js';

/**
 * The administrators' page as a director meets it: asks the bot in the sandbox chat for «Страница»,
 * opens the link it sent, reads the figures, filters to the laggards and downloads the XLSX; and
 * what an expired, tampered or other school's link shows (nothing). Debian's Chromium, no download.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`admin-page-browser.test.ts: ${CHROMIUM} is missing, so this browser test does not run here. Install it with "apt-get install chromium".`);

const RESULTS = fileURLToPath(new URL('../../test-results', import.meta.url));
const OTHER_ADMIN = 2000;
const REGION_ADMIN = 3000;

describe.runIf(hasChromium)('the administrators\' page in Chromium', { timeout: 240_000 }, () => {
  let dir: string;
  let profileDir: string;
  let sandbox: Sandbox;
  let browser: BrowserContext;
  let otherSchoolId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = scratchDir('admin-page-');
    profileDir = mkdtempSync(join(tmpdir(), 'admin-page-chromium-'));
    mkdirSync(RESULTS, { recursive: true });
    sandbox = await startSandbox({ env: { DATA_DIR: dir, SANDBOX_PORT: '0', LOG_LEVEL: 'silent' }, logger: createLogger('silent', { pretty: false }) });
    const { db } = sandbox.app.database;
    const schoolId = sandbox.app.schoolId;
    const finished = new Date('2026-12-02T12:00:00+03:00');
    await seedTeachers(db, schoolId, [
      { fullName: 'Алиева Патимат Магомедовна', vkId: 5001, classes: ['5А'], done: ALL_TASKS, finishedAt: finished },
      { fullName: 'Гасанов Руслан Ахмедович', vkId: 5002, classes: ['6Б', '6В'], done: ALL_TASKS, finishedAt: finished },
      { fullName: 'Иванова Мария Петровна', vkId: 5003, classes: ['7А'], done: ['messengers', 'chats'] },
      { fullName: 'Петров Иван Ильич', vkId: 5004, classes: ['8А', '8Б'], done: ['messengers'] },
      { fullName: 'Кадиева Зарема Султановна', vkId: 5005, classes: ['9А'], done: [] },
      { fullName: 'Сидоров Алексей Андреевич', vkId: 5006, classes: ['10А'], done: ['messengers'], unreachableAt: new Date('2026-12-01T10:00:00+03:00') },
      { fullName: 'Кузнецова Елена Викторовна', vkId: 5007, classes: ['11А'], startedAt: null },
    ]);
    // Earlier daily summaries: the trend since the order's start.
    await db.insert(summarySnapshots).values(
      [
        ['2026-11-30', 0],
        ['2026-12-01', 1],
        ['2026-12-02', 2],
      ].map(([date, done]) => ({ schoolId, date: date as string, data: { at: `${date}T09:00:00.000Z`, teachers: 8, started: 4 + (done as number), finished: done as number, tasks: {} } })),
    );
    // Another school, with its own administrator and a teacher whose name must never show on the first school's links.
    const [other] = await db.insert(schools).values({ slug: 'other', name: 'МКОУ «СОШ №9»', joinCode: 'OTHER-9999' }).returning({ id: schools.id });
    otherSchoolId = other!.id;
    await db.insert(admins).values({ vkId: OTHER_ADMIN, schoolId: otherSchoolId, role: 'school' });
    await seedTeachers(db, otherSchoolId, [{ fullName: 'Чужая Учительница Школы', vkId: 6001, classes: ['5А'] }]);

    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  /** Rows of a raw query, on PGlite ({ rows }) as on postgres.js (an array). */
  async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
    const result: unknown = await sandbox.app.database.db.execute(statement);
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
  }

  /** Names of the school's teachers by the database, in the groups the page filters by. */
  async function expectedFromDatabase(schoolId: string) {
    const rows = await query<{ full_name: string; started: boolean; finished: boolean; unreachable: boolean; reachable: boolean }>(sql`
      select full_name, started_at is not null as started, finished_at is not null as finished,
             unreachable_at is not null as unreachable, vk_id is not null as reachable
      from teachers where school_id = ${schoolId}::uuid and active and erased_at is null`);
    const all = rows;
    const open = all.filter((t) => !t.finished);
    const notStarted = open.filter((t) => !t.started || !t.reachable);
    const unreachable = open.filter((t) => t.started && t.reachable && t.unreachable);
    const lagging = open.filter((t) => t.started && t.reachable && !t.unreachable);
    const perTask = await query<{ task_code: string; n: number }>(sql`
      select c.task_code, count(distinct c.teacher_id)::int as n from task_completions c
      join teachers t on t.id = c.teacher_id and t.active and t.erased_at is null
      where c.school_id = ${schoolId}::uuid and c.status = 'done' group by c.task_code`);
    return {
      names: all.map((t) => t.full_name),
      teachers: all.length,
      started: all.filter((t) => t.started).length,
      finished: all.filter((t) => t.finished).length,
      lagging: lagging.map((t) => t.full_name).sort(),
      unreachable: unreachable.map((t) => t.full_name).sort(),
      notStarted: notStarted.map((t) => t.full_name).sort(),
      tasks: Object.fromEntries(perTask.map((row) => [row.task_code, Number(row.n)])),
    };
  }

  const total = async (page: Page, key: string) => Number(await page.locator(`[data-total="${key}"] dd`).textContent());
  const rowNames = async (page: Page) => (await page.locator('table[data-table="teachers"] tbody tr td:first-child').allTextContents()).sort();

  /** The page's text, and that it names nobody of either school. */
  async function expectNothingShown(url: string, sentence: string): Promise<void> {
    const page = await browser.newPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(403);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain(sentence);
    const everyone = [...(await expectedFromDatabase(sandbox.app.schoolId)).names, 'Чужая Учительница Школы'];
    for (const name of [...everyone, 'Песочница', 'СОШ №9']) expect(text).not.toContain(name);
    expect(await page.locator('table, a[href*="export"]').count()).toBe(0);
    await page.close();
  }

  let link = '';

  it('opens from the link the bot sent, shows the database\'s figures, filters to the laggards and downloads the XLSX', async () => {
    const chat = await browser.newPage();
    chat.on('pageerror', (error) => pageErrors.push(error.message));
    await chat.goto(sandbox.url);
    await chat.getByRole('button', { name: /Заира Гаджиева/ }).click();
    const bubbles = chat.locator('.msg.bot');
    // «Сводка»: the text with its chart, and a button for the page.
    let before = await bubbles.count();
    await chat.getByLabel('Сообщение').fill('Сводка');
    await chat.getByLabel('Сообщение').press('Enter');
    const summary = bubbles.nth(before);
    await expect.poll(async () => (await summary.textContent()) ?? '', { timeout: 30_000 }).toContain('Сводка на');
    const chart = summary.locator('img.photo');
    await expect.poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 20_000 }).toBe(800);
    const picture = await chat.request.get(new URL((await chart.getAttribute('src'))!, sandbox.url).href);
    writeFileSync(join(RESULTS, 'summary-chart.png'), await picture.body());
    await chat.screenshot({ path: join(RESULTS, 'summary-chart-chat.png') });
    before = await bubbles.count();
    await bubbles.last().getByRole('button', { name: 'Открыть страницу', exact: true }).click();
    const reply = bubbles.nth(before);
    await expect.poll(async () => (await reply.textContent()) ?? '', { timeout: 20_000 }).toContain('Ваша личная ссылка на страницу школы');
    const anchor = reply.locator('a[href*="/admin/page?t="]');
    link = (await anchor.getAttribute('href'))!;
    expect(link.startsWith(`${sandbox.url}/admin/page?t=`)).toBe(true);
    await chat.screenshot({ path: join(RESULTS, 'admin-page-link.png') });

    const opened = browser.waitForEvent('page');
    await anchor.click();
    const page = await opened;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.waitForLoadState();
    await page.locator('h1').waitFor();

    const expected = await expectedFromDatabase(sandbox.app.schoolId);
    expect(await total(page, 'teachers')).toBe(expected.teachers);
    expect(await total(page, 'started')).toBe(expected.started);
    expect(await total(page, 'finished')).toBe(expected.finished);
    expect(await total(page, 'lagging')).toBe(expected.lagging.length);
    expect(await total(page, 'unreachable')).toBe(expected.unreachable.length);
    expect(await total(page, 'not_started')).toBe(expected.notStarted.length);
    for (const code of ALL_TASKS) {
      const figure = await page.locator(`[data-task="${code}"] .figure b`).first().textContent();
      expect(Number(figure), code).toBe(expected.tasks[code] ?? 0);
    }
    expect(await rowNames(page)).toEqual([...expected.names].sort());
    expect(await page.locator('table[data-table="trend"] tbody tr').count()).toBe(4);
    expect(await page.content()).not.toContain('Чужая Учительница Школы');
    await page.screenshot({ path: join(RESULTS, 'admin-page.png'), fullPage: true });

    await page.getByRole('link', { name: /^Отстают \(\d+\)$/ }).click();
    await page.locator('.filters .current', { hasText: 'Отстают' }).waitFor();
    expect(await rowNames(page)).toEqual(expected.lagging);
    expect(new Set(await page.locator('table[data-table="teachers"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group'))))).toEqual(new Set(['lagging']));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(RESULTS, 'admin-page-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: /Скачать Excel/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^sferum-report-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Учителя')!;
    const names: string[] = [];
    sheet.eachRow((row, number) => number > 1 && names.push(String(row.getCell(1).value)));
    expect(names.sort()).toEqual([...expected.names].sort());

    // Every opening and the download are in the school's audit log, by this administrator.
    const audits = await sandbox.app.database.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.schoolId, sandbox.app.schoolId), eq(auditLog.actorVkId, SANDBOX_ADMIN_VK_ID)));
    expect(audits.filter((a) => a.action === 'admin_page_opened').map((a) => (a.details as { filter: string }).filter)).toEqual(['all', 'lagging']);
    expect(audits.filter((a) => a.action === 'report_exported').map((a) => a.details)).toEqual([{ format: 'xlsx', teachers: expected.teachers, via: 'page' }]);
    expect(pageErrors).toEqual([]);
  });

  it('an expired, a tampered and another school\'s link show nothing', async () => {
    expect(link).not.toBe('');
    const links = createAdminLinks({ secret: derivedLinkSecret(sandbox.config.VK_TOKEN), publicUrl: sandbox.url, ttlMinutes: 15 });
    const admin = { vkId: SANDBOX_ADMIN_VK_ID, role: 'school' as const, schoolId: sandbox.app.schoolId };

    // Issued 16 minutes ago: expired.
    const expired = links.linkFor(admin, new Date(Date.now() - 16 * 60_000)).url;
    await expectNothingShown(expired, 'Срок действия ссылки истёк');
    await expectNothingShown(expired.replace('/admin/page?', '/admin/page/export.xlsx?'), 'Срок действия ссылки истёк');

    // Tampered: the signature changed, or the claims rewritten to the other school (the signature no longer fits).
    const token = new URL(link).searchParams.get('t')!;
    const [payload, signature] = token.split('.') as [string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    await expectNothingShown(`${sandbox.url}/admin/page?t=${payload}.${flipped}`, 'Эта ссылка недействительна');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { s: string };
    const moved = Buffer.from(JSON.stringify({ ...claims, s: otherSchoolId })).toString('base64url');
    await expectNothingShown(`${sandbox.url}/admin/page?t=${moved}.${signature}`, 'Эта ссылка недействительна');

    // Another school: this administrator's genuine link asked for the other school, and the other
    // school's administrator's genuine link: each shows only its own school, never the other.
    await expectNothingShown(`${link}&s=${otherSchoolId}`, 'Эта ссылка недействительна');
    await expectNothingShown(`${link.replace('/admin/page?', '/admin/page/export.csv?')}&s=${otherSchoolId}`, 'Эта ссылка недействительна');
    const otherLink = links.linkFor({ vkId: OTHER_ADMIN, role: 'school', schoolId: otherSchoolId }, new Date()).url;
    await expectNothingShown(`${otherLink}&s=${sandbox.app.schoolId}`, 'Эта ссылка недействительна');
    const other = await browser.newPage();
    await other.goto(otherLink);
    expect(await rowNames(other)).toEqual(['Чужая Учительница Школы']);
    for (const name of (await expectedFromDatabase(sandbox.app.schoolId)).names) expect(await other.content()).not.toContain(name);
    await other.close();

    // A regional administrator's link: the table of schools, then any school's page.
    await sandbox.app.database.db.insert(admins).values({ vkId: REGION_ADMIN, schoolId: null, role: 'region' });
    const region = await browser.newPage();
    await region.goto(links.linkFor({ vkId: REGION_ADMIN, role: 'region', schoolId: null }, new Date()).url);
    const schoolRows = region.locator('table[data-table="schools"] tbody tr');
    expect((await schoolRows.allTextContents()).join('\n')).toContain('МКОУ «СОШ №9»1');
    expect(await schoolRows.count()).toBe(2);
    await region.getByRole('link', { name: 'МКОУ «СОШ №9»' }).click();
    await region.locator('h1', { hasText: 'МКОУ «СОШ №9»' }).waitFor();
    expect(await rowNames(region)).toEqual(['Чужая Учительница Школы']);
    await region.getByRole('link', { name: '← Все школы' }).click();
    await region.locator('h1', { hasText: 'Школы региона' }).waitFor();
    await region.close();

    // The refused attempt past one's school is in that school's log; the refusals opened nothing.
    const refused = await sandbox.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'admin_page_refused'));
    expect(refused.map((r) => [r.actorVkId, r.schoolId])).toEqual([
      [SANDBOX_ADMIN_VK_ID, sandbox.app.schoolId],
      [SANDBOX_ADMIN_VK_ID, sandbox.app.schoolId],
      [OTHER_ADMIN, otherSchoolId],
    ]);
    const openings = await sandbox.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'admin_page_opened'));
    expect(openings.map((r) => [r.actorVkId, r.schoolId, (r.details as { view: string }).view])).toEqual([
      [SANDBOX_ADMIN_VK_ID, sandbox.app.schoolId, 'school'],
      [SANDBOX_ADMIN_VK_ID, sandbox.app.schoolId, 'school'],
      [OTHER_ADMIN, otherSchoolId, 'school'],
      // The regional table is logged in the bot's own school (the log is per school); each school's page in that school.
      [REGION_ADMIN, sandbox.app.schoolId, 'region'],
      [REGION_ADMIN, otherSchoolId, 'school'],
      [REGION_ADMIN, sandbox.app.schoolId, 'region'],
    ]);

    // An administrator removed since: their link, still signed and in time, stops working at once.
    await sandbox.app.database.db.delete(admins).where(eq(admins.vkId, OTHER_ADMIN));
    await expectNothingShown(otherLink, 'Эта ссылка недействительна');
  });
});
