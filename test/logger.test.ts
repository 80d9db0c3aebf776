import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prettyPrinterInstalled } from '../src/logger.js';

const logger = fileURLToPath(new URL('../src/logger.ts', import.meta.url));

/** Runs createLogger in a process of its own, as on a terminal (pretty asked for), and returns its stdout. */
function logOnce(prettyInstalled: boolean): string {
  const script = `import { createLogger } from ${JSON.stringify(logger)};
createLogger('info', { pretty: true, prettyInstalled: () => ${prettyInstalled} }).info({ task: 'qr' }, 'hello');`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('logger', () => {
  it('knows whether pino-pretty (a development dependency) is installed', () => {
    expect(prettyPrinterInstalled()).toBe(true);
    expect(
      prettyPrinterInstalled(() => {
        throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: 'MODULE_NOT_FOUND' });
      }),
    ).toBe(false);
  });

  it('logs JSON on a terminal when pino-pretty is not installed (the production image), pretty lines when it is', () => {
    const json = JSON.parse(logOnce(false)) as Record<string, unknown>;
    expect(json).toMatchObject({ level: 30, task: 'qr', msg: 'hello' });
    const pretty = logOnce(true);
    expect(pretty).toMatch(/INFO.*hello/);
    expect(() => JSON.parse(pretty)).toThrow();
  });
});
