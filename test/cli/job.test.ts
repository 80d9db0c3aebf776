import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** `npm run job -- <args>` as a process; these cases stop before touching a database. */
async function job(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', VK_TOKEN: 'vk1.a.0123456789abcdefghijklmnop', VK_GROUP_ID: '1', SCHOOL_NAME: 'СОШ №4', SCHOOL_JOIN_CODE: 'SOSH4-2026' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/job.ts', ...args], { cwd: root, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run job', () => {
  it('explains its usage, and refuses an unknown job, a bad --at and a bad configuration with exit code 1', async () => {
    const [help, unknown, badAt, noToken] = await Promise.all([
      job(['--help']),
      job(['remind']),
      job(['reminders', '--at', 'вчера']),
      job(['summary'], { VK_TOKEN: '' }),
    ]);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('Usage: npm run job -- <reminders|summary> [--at <time>] [--dry-run]');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Usage:');
    expect(badAt.code).toBe(1);
    expect(badAt.stderr).toContain('--at вчера: expected a date and time such as 2026-12-08T10:00:00+03:00');
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('Configuration error: VK_TOKEN is not set');
  });
});
