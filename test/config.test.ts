import { describe, expect, it } from 'vitest';

import { ConfigError, parseConfig, parseSandboxSettings, startMode } from '../src/config.js';

/** The smallest environment that starts the bot. */
const REQUIRED = {
  VK_TOKEN: 'vk1.a.0123456789abcdefghijklmnopqrstuvwxyz',
  VK_GROUP_ID: '227000001',
  SCHOOL_NAME: 'МКОУ «СОШ №4»',
  SCHOOL_JOIN_CODE: 'sosh4-2026',
} as const;

const env = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({ ...REQUIRED, ...overrides });

/** The problems parseConfig reports for `input`; fails the test when it does not throw a ConfigError. */
function problemsOf(input: Record<string, string | undefined>): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parseConfig to throw');
}

/** Asserts that the only problem is about `variable`, and returns it. */
function onlyProblem(input: Record<string, string | undefined>, variable: string): string {
  const problems = problemsOf(input);
  expect(problems).toHaveLength(1);
  expect(problems[0]?.startsWith(`${variable} `)).toBe(true);
  return problems[0] ?? '';
}

describe('parseConfig', () => {
  describe('with only the required variables', () => {
    it('returns them parsed and fills in every default', () => {
      expect(parseConfig(env())).toEqual({
        VK_TOKEN: REQUIRED.VK_TOKEN,
        VK_GROUP_ID: 227000001,
        VK_API_BASE_URL: 'https://api.vk.com/method',
        VK_API_LIMIT: 20,
        DATA_DIR: './data',
        ADMIN_VK_IDS: [],
        SCHOOL_NAME: 'МКОУ «СОШ №4»',
        SCHOOL_JOIN_CODE: 'sosh4-2026',
        TIMEZONE: 'Europe/Moscow',
        LOG_LEVEL: 'info',
      });
    });

    it('leaves DATABASE_URL and CHECKLIST_FILE unset', () => {
      const config = parseConfig(env());
      expect(config.DATABASE_URL).toBeUndefined();
      expect(config.CHECKLIST_FILE).toBeUndefined();
    });
  });

  it('takes every optional variable when given', () => {
    const config = parseConfig(
      env({
        VK_API_BASE_URL: 'http://127.0.0.1:8080/method',
        VK_API_LIMIT: '3',
        DATABASE_URL: 'postgres://bot:secret@db:5432/bot',
        DATA_DIR: '/var/lib/bot',
        ADMIN_VK_IDS: '123',
        TIMEZONE: 'Asia/Yekaterinburg',
        LOG_LEVEL: 'debug',
        CHECKLIST_FILE: './checklist.json',
      }),
    );
    expect(config).toMatchObject({
      VK_API_BASE_URL: 'http://127.0.0.1:8080/method',
      VK_API_LIMIT: 3,
      DATABASE_URL: 'postgres://bot:secret@db:5432/bot',
      DATA_DIR: '/var/lib/bot',
      ADMIN_VK_IDS: [123],
      TIMEZONE: 'Asia/Yekaterinburg',
      LOG_LEVEL: 'debug',
      CHECKLIST_FILE: './checklist.json',
    });
  });

  it('trims values', () => {
    const config = parseConfig(env({ VK_TOKEN: `  ${REQUIRED.VK_TOKEN}\n`, SCHOOL_NAME: ' СОШ №4 ', TIMEZONE: ' Europe/Samara ' }));
    expect(config).toMatchObject({ VK_TOKEN: REQUIRED.VK_TOKEN, SCHOOL_NAME: 'СОШ №4', TIMEZONE: 'Europe/Samara' });
  });

  it('ignores unrelated variables such as the rest of process.env', () => {
    const config = parseConfig(env({ PATH: '/usr/bin', HOME: '/root' }));
    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });

  it('accepts a postgresql:// DATABASE_URL', () => {
    expect(parseConfig(env({ DATABASE_URL: 'postgresql://localhost/bot' })).DATABASE_URL).toBe('postgresql://localhost/bot');
  });

  describe('ADMIN_VK_IDS', () => {
    it.each([
      ['one id', '123', [123]],
      ['comma-separated ids', '123,456', [123, 456]],
      ['ids with spaces after commas', '123, 456, 789', [123, 456, 789]],
      ['space-separated ids', '123 456', [123, 456]],
      ['stray commas', ',123,,456,', [123, 456]],
    ])('parses %s', (_name, value, expected) => {
      expect(parseConfig(env({ ADMIN_VK_IDS: value })).ADMIN_VK_IDS).toEqual(expected);
    });

    it.each([
      ['a word', 'admin'],
      ['a word among ids', '123,abc'],
      ['zero', '0'],
      ['a negative id', '-5'],
      ['a fraction', '12.5'],
      ['an unsafe integer', '9007199254740993'],
    ])('rejects %s', (_name, value) => {
      expect(onlyProblem(env({ ADMIN_VK_IDS: value }), 'ADMIN_VK_IDS')).toContain('positive VK user ids');
    });
  });

  describe('reports a ConfigError naming the variable', () => {
    it('is a ConfigError whose message lists the problems', () => {
      const error = (() => {
        try {
          parseConfig(env({ VK_TOKEN: undefined }));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toBeInstanceOf(Error);
      expect((error as ConfigError).name).toBe('ConfigError');
      expect((error as ConfigError).message).toMatch(/^Invalid configuration: VK_TOKEN /);
    });

    it('when VK_TOKEN is missing, explaining how to get one', () => {
      expect(onlyProblem(env({ VK_TOKEN: undefined }), 'VK_TOKEN')).toMatch(/^VK_TOKEN is not set: .*access token/);
    });

    it('when VK_TOKEN is too short', () => {
      expect(onlyProblem(env({ VK_TOKEN: 'abc' }), 'VK_TOKEN')).toContain('too short');
    });

    it('when VK_GROUP_ID is missing', () => {
      expect(onlyProblem(env({ VK_GROUP_ID: undefined }), 'VK_GROUP_ID')).toContain('numeric id');
    });

    it.each([
      ['not a number', 'club123'],
      ['negative', '-227000001'],
      ['zero', '0'],
    ])('when VK_GROUP_ID is %s', (_name, value) => {
      expect(onlyProblem(env({ VK_GROUP_ID: value }), 'VK_GROUP_ID')).toContain('numeric id');
    });

    it('when VK_GROUP_ID is a fraction', () => {
      onlyProblem(env({ VK_GROUP_ID: '12.5' }), 'VK_GROUP_ID');
    });

    it('when VK_API_BASE_URL is not an http(s) URL', () => {
      expect(onlyProblem(env({ VK_API_BASE_URL: 'ftp://api.vk.com/method' }), 'VK_API_BASE_URL')).toContain('http(s) URL');
      expect(onlyProblem(env({ VK_API_BASE_URL: 'api.vk.com' }), 'VK_API_BASE_URL')).toContain('http(s) URL');
    });

    it.each(['0', '21', 'fast', '2.5'])('when VK_API_LIMIT is %j', (value) => {
      onlyProblem(env({ VK_API_LIMIT: value }), 'VK_API_LIMIT');
    });

    it('when TIMEZONE is not an IANA zone', () => {
      expect(onlyProblem(env({ TIMEZONE: 'Moscow' }), 'TIMEZONE')).toContain('IANA time zone');
      expect(onlyProblem(env({ TIMEZONE: 'Mars/Olympus_Mons' }), 'TIMEZONE')).toContain('IANA time zone');
    });

    it.each(['mysql://localhost/bot', 'localhost:5432', 'http://db/bot'])('when DATABASE_URL is %j', (value) => {
      expect(onlyProblem(env({ DATABASE_URL: value }), 'DATABASE_URL')).toContain('postgres://');
    });

    it('when SCHOOL_NAME is missing', () => {
      expect(onlyProblem(env({ SCHOOL_NAME: undefined }), 'SCHOOL_NAME')).toMatch(/^SCHOOL_NAME is not set/);
    });

    it('when SCHOOL_NAME is one character', () => {
      expect(onlyProblem(env({ SCHOOL_NAME: 'Ш' }), 'SCHOOL_NAME')).toContain('too short');
    });

    it('when SCHOOL_JOIN_CODE is missing', () => {
      expect(onlyProblem(env({ SCHOOL_JOIN_CODE: undefined }), 'SCHOOL_JOIN_CODE')).toMatch(/^SCHOOL_JOIN_CODE is not set/);
    });

    it('when SCHOOL_JOIN_CODE is shorter than 6 characters', () => {
      expect(onlyProblem(env({ SCHOOL_JOIN_CODE: '12345' }), 'SCHOOL_JOIN_CODE')).toContain('at least 6 characters');
    });

    it('counting SCHOOL_JOIN_CODE after trimming', () => {
      onlyProblem(env({ SCHOOL_JOIN_CODE: '  12345  ' }), 'SCHOOL_JOIN_CODE');
      expect(parseConfig(env({ SCHOOL_JOIN_CODE: '123456' })).SCHOOL_JOIN_CODE).toBe('123456');
    });

    it('when LOG_LEVEL is unknown', () => {
      expect(onlyProblem(env({ LOG_LEVEL: 'verbose' }), 'LOG_LEVEL')).toContain('"info"');
    });

    it('for every missing required variable at once', () => {
      const problems = problemsOf({});
      expect(problems.map((p) => p.split(' ')[0])).toEqual(['VK_TOKEN', 'VK_GROUP_ID', 'SCHOOL_NAME', 'SCHOOL_JOIN_CODE']);
    });
  });

  describe('treats empty strings as unset', () => {
    it.each(['', '   ', '\t\n'])('so optional variables fall back to defaults (%j)', (blank) => {
      const config = parseConfig(
        env({
          VK_API_BASE_URL: blank,
          VK_API_LIMIT: blank,
          DATABASE_URL: blank,
          DATA_DIR: blank,
          ADMIN_VK_IDS: blank,
          TIMEZONE: blank,
          LOG_LEVEL: blank,
          CHECKLIST_FILE: blank,
        }),
      );
      expect(config).toEqual(parseConfig(env()));
    });

    it.each(['VK_TOKEN', 'SCHOOL_NAME', 'SCHOOL_JOIN_CODE'])('so an empty %s is reported as not set', (variable) => {
      expect(onlyProblem(env({ [variable]: '' }), variable)).toMatch(new RegExp(`^${variable} is not set`));
    });

    it('so an empty VK_GROUP_ID is reported as missing', () => {
      expect(onlyProblem(env({ VK_GROUP_ID: '' }), 'VK_GROUP_ID')).toContain('numeric id');
    });
  });
});

describe('parseConfig regressions', () => {
  it('accepts only decimal ADMIN_VK_IDS', () => {
    expect(onlyProblem(env({ ADMIN_VK_IDS: '1e3, 0x10' }), 'ADMIN_VK_IDS')).toContain('comma-separated positive VK user ids');
  });
});

describe('startMode', () => {
  it('runs the bot whenever VK_TOKEN is set, and the sandbox only without it', () => {
    expect(startMode({ VK_TOKEN: REQUIRED.VK_TOKEN })).toBe('bot');
    // Even a token too short to be valid means "the bot": parseConfig then reports it.
    expect(startMode({ VK_TOKEN: 'x' })).toBe('bot');
    expect(startMode({ VK_TOKEN: REQUIRED.VK_TOKEN, SANDBOX_PORT: '3000' })).toBe('bot');
    expect(startMode({})).toBe('sandbox');
    expect(startMode({ VK_TOKEN: '' })).toBe('sandbox');
    expect(startMode({ VK_TOKEN: '  ' })).toBe('sandbox');
  });

  it('never runs the sandbox in production or against a Postgres server, where a missing token is a configuration error', () => {
    expect(startMode({ NODE_ENV: 'production' })).toBe('bot');
    expect(startMode({ DATABASE_URL: 'postgres://bot@db:5432/bot' })).toBe('bot');
    expect(startMode({ NODE_ENV: 'development', DATABASE_URL: '' })).toBe('sandbox');
  });
});

describe('parseSandboxSettings', () => {
  it('defaults to port 3000, ./data and info', () => {
    expect(parseSandboxSettings({})).toEqual({ SANDBOX_PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(parseSandboxSettings({ SANDBOX_PORT: ' ', DATA_DIR: '' })).toEqual({ SANDBOX_PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info' });
  });

  it('takes SANDBOX_PORT from 0 (any free port) to 65535, DATA_DIR and LOG_LEVEL', () => {
    expect(parseSandboxSettings({ SANDBOX_PORT: '8080', DATA_DIR: '/tmp/x', LOG_LEVEL: 'debug' })).toEqual({ SANDBOX_PORT: 8080, DATA_DIR: '/tmp/x', LOG_LEVEL: 'debug' });
    expect(parseSandboxSettings({ SANDBOX_PORT: '0' }).SANDBOX_PORT).toBe(0);
    expect(parseSandboxSettings({ SANDBOX_PORT: '65535' }).SANDBOX_PORT).toBe(65535);
  });

  it.each(['abc', '-1', '65536', '30.5'])('rejects SANDBOX_PORT=%j naming the variable', (port) => {
    expect(() => parseSandboxSettings({ SANDBOX_PORT: port })).toThrow(ConfigError);
    try {
      parseSandboxSettings({ SANDBOX_PORT: port });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SANDBOX_PORT expected a port number/)]);
    }
  });

  it('needs no VK settings, school or join code', () => {
    expect(() => parseSandboxSettings({ LOG_LEVEL: 'silent' })).not.toThrow();
  });
});
