import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVk, startFakeVk } from './support/fake-vk.js';
import { type MainProcess, startMain } from './support/main-process.js';
import { scratchDir } from './support/scratch.js';

/** `npm run build` then `npm run start:dist`: the compiled bot the Docker image runs. */
describe('the compiled bot (dist/)', { timeout: 120_000 }, () => {
  const scratch = scratchDir('build-');
  // Beside src/, as dist/ is: the build finds node_modules and ../../migrations from there.
  const outDir = fileURLToPath(new URL(`../.dist-test-${process.pid}`, import.meta.url));
  let main: MainProcess | undefined;
  let fake: FakeVk | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), outDir], { stdio: 'pipe' });
  }, 120_000);

  afterAll(async () => {
    await main?.stop();
    await fake?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it('holds the files the code reads beside itself', () => {
    expect(existsSync(join(outDir, 'sandbox', 'chat-page.html'))).toBe(true);
    expect(existsSync(join(outDir, 'domain', 'checklist', 'order-64-1.json'))).toBe(true);
  });

  it('starts with plain node, migrates its database and answers a teacher', async () => {
    fake = await startFakeVk({ groupId: 78 });
    main = startMain(
      {
        VK_TOKEN: fake.token,
        VK_GROUP_ID: '78',
        VK_API_BASE_URL: fake.apiBaseUrl,
        SCHOOL_NAME: 'МКОУ «СОШ №4»',
        SCHOOL_JOIN_CODE: 'SOSH4-2026',
        DATA_DIR: join(scratch, 'data'),
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      { compiled: outDir },
    );
    await main.waitForLine((line) => line.msg === 'bot started');
    fake.sendMessage(502, 'Здравствуйте');
    expect((await fake.waitForMessages(502, 1, 15_000))[0]?.message).toContain('напишите код школы');
    expect(await main.stop()).toBe(0);
  });
});
