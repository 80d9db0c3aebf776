import { describe, expect, it } from 'vitest';

import { readFileSync } from 'node:fs';
import { ConfigError, configVariables, parseConfig, parseSandboxSettings, reminderPolicyOf, startMode } from '../src/config.js';
import { DEFAULT_REMINDER_POLICY } from '../src/domain/reminders/policy.js';

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
        VK_UPDATES: 'longpoll',
        PORT: 8080,
        HTTP_HOST: '127.0.0.1',
        ADMIN_PAGE_LINK_MINUTES: 15,
        DATA_DIR: './data',
        ADMIN_VK_IDS: [],
        REGION_ADMIN_VK_IDS: [],
        SCHOOL_NAME: 'МКОУ «СОШ №4»',
        SCHOOL_JOIN_CODE: 'sosh4-2026',
        TIMEZONE: 'Europe/Moscow',
        LOG_LEVEL: 'info',
        REMINDER_CRON: '0 * * * *',
        SUMMARY_CRON: '0 * * * *',
        REMINDER_WORKING_DAYS: [1, 2, 3, 4, 5],
        REMINDER_WINDOW: { from: '09:00', to: '18:00' },
        REMINDER_DAYS_BEFORE_DEADLINE: [7, 2],
        REMINDER_EVERY_WORKING_DAYS: 2,
        OUTBOX_LEASE_SECONDS: 120,
      });
    });

    it('gives the reminder policy the issue asks for: Mon–Fri 09:00–18:00, 7 and 2 days before the deadline, every 2 working days without one', () => {
      expect(reminderPolicyOf(parseConfig(env()))).toEqual(DEFAULT_REMINDER_POLICY);
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

  describe('REGION_ADMIN_VK_IDS', () => {
    it('parses regional administrators like ADMIN_VK_IDS', () => {
      const config = parseConfig(env({ ADMIN_VK_IDS: '10, 11', REGION_ADMIN_VK_IDS: '20,21' }));
      expect(config.REGION_ADMIN_VK_IDS).toEqual([20, 21]);
      expect(config.ADMIN_VK_IDS).toEqual([10, 11]);
    });

    it('rejects a bad id naming the variable', () => {
      expect(onlyProblem(env({ REGION_ADMIN_VK_IDS: '20,x' }), 'REGION_ADMIN_VK_IDS')).toContain('positive VK user ids');
    });

    it('rejects an id that is also a school administrator', () => {
      const problem = onlyProblem(env({ ADMIN_VK_IDS: '10, 11', REGION_ADMIN_VK_IDS: '11' }), 'REGION_ADMIN_VK_IDS');
      expect(problem).toContain('11');
      expect(problem).toContain('ADMIN_VK_IDS');
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
          VK_UPDATES: blank,
          PORT: blank,
          HTTP_HOST: blank,
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

describe('update delivery (VK_UPDATES) and the HTTP server', () => {
  const webhook = {
    VK_UPDATES: 'webhook',
    VK_CONFIRMATION_CODE: 'a1b2c3d4',
    VK_CALLBACK_SECRET: 'f3a9c1d27e4b8a60',
  };

  it('takes the webhook settings together', () => {
    expect(parseConfig(env({ ...webhook, PORT: '9000', HTTP_HOST: '0.0.0.0' }))).toMatchObject({
      VK_UPDATES: 'webhook',
      VK_CONFIRMATION_CODE: 'a1b2c3d4',
      VK_CALLBACK_SECRET: 'f3a9c1d27e4b8a60',
      PORT: 9000,
      HTTP_HOST: '0.0.0.0',
    });
  });

  it('binds to loopback unless told otherwise, so a bare machine does not expose the port', () => {
    expect(parseConfig(env()).HTTP_HOST).toBe('127.0.0.1');
    expect(parseConfig(env({ HTTP_HOST: '::' })).HTTP_HOST).toBe('::');
  });

  it('accepts port 0 (any free port) and rejects ports outside 0–65535 or not numbers', () => {
    expect(parseConfig(env({ PORT: '0' })).PORT).toBe(0);
    for (const value of ['65536', '-1', 'http', '80.5']) onlyProblem(env({ PORT: value }), 'PORT');
  });

  it('rejects an unknown VK_UPDATES mode', () => {
    expect(onlyProblem(env({ VK_UPDATES: 'callback' }), 'VK_UPDATES')).toContain('"longpoll" (the default) or "webhook"');
  });

  it('rejects an HTTP_HOST with spaces or a scheme', () => {
    onlyProblem(env({ HTTP_HOST: 'http://0.0.0.0' }), 'HTTP_HOST');
    onlyProblem(env({ HTTP_HOST: 'my host' }), 'HTTP_HOST');
  });

  it('in webhook mode requires the confirmation code and the secret, saying where to get them', () => {
    const problems = problemsOf(env({ VK_UPDATES: 'webhook' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^VK_CONFIRMATION_CODE is required when VK_UPDATES=webhook: .*Callback API settings/);
    expect(problems[1]).toMatch(/^VK_CALLBACK_SECRET is required when VK_UPDATES=webhook: .*secret key/);
  });

  it('in webhook mode counts blank values as missing', () => {
    expect(onlyProblem(env({ ...webhook, VK_CALLBACK_SECRET: '  ' }), 'VK_CALLBACK_SECRET')).toContain('required when VK_UPDATES=webhook');
  });

  it('reports webhook problems together with the others', () => {
    const problems = problemsOf({ VK_UPDATES: 'webhook', VK_CALLBACK_SECRET: 'short' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['VK_TOKEN', 'VK_GROUP_ID', 'VK_CALLBACK_SECRET', 'SCHOOL_NAME', 'SCHOOL_JOIN_CODE', 'VK_CONFIRMATION_CODE']);
  });

  it('rejects a guessable secret', () => {
    expect(onlyProblem(env({ ...webhook, VK_CALLBACK_SECRET: 'secret' }), 'VK_CALLBACK_SECRET')).toContain('at least 16 characters');
  });

  it('does not need the webhook settings for long polling', () => {
    expect(parseConfig(env({ VK_UPDATES: 'longpoll' })).VK_UPDATES).toBe('longpoll');
  });
});

describe('the administrators\' page', () => {
  it('builds no links without PUBLIC_URL, and takes an origin with the link lifetime and secret', () => {
    const defaults = parseConfig(env());
    expect([defaults.PUBLIC_URL, defaults.ADMIN_PAGE_LINK_MINUTES, defaults.ADMIN_PAGE_SECRET]).toEqual([undefined, 15, undefined]);
    const secret = 'a'.repeat(32);
    expect(parseConfig(env({ PUBLIC_URL: 'https://bot.school.ru', ADMIN_PAGE_LINK_MINUTES: '5', ADMIN_PAGE_SECRET: secret }))).toMatchObject({
      PUBLIC_URL: 'https://bot.school.ru',
      ADMIN_PAGE_LINK_MINUTES: 5,
      ADMIN_PAGE_SECRET: secret,
    });
  });

  it('refuses an address with a path or without a scheme, a lifetime of 0 and a short secret', () => {
    expect(onlyProblem(env({ PUBLIC_URL: 'bot.school.ru' }), 'PUBLIC_URL')).toMatch(/without a path/);
    expect(onlyProblem(env({ PUBLIC_URL: 'https://bot.school.ru/bot' }), 'PUBLIC_URL')).toMatch(/without a path/);
    onlyProblem(env({ ADMIN_PAGE_LINK_MINUTES: '0' }), 'ADMIN_PAGE_LINK_MINUTES');
    expect(onlyProblem(env({ ADMIN_PAGE_SECRET: 'short' }), 'ADMIN_PAGE_SECRET')).toMatch(/32 characters/);
  });
});

describe('.env.example', () => {
  const listed = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);

  it('lists every variable the bot reads, and only those (plus docker-compose.yml\'s POSTGRES_PASSWORD)', () => {
    expect([...listed].sort()).toEqual([...configVariables, 'POSTGRES_PASSWORD'].sort());
  });
});

describe('reminder and summary settings', () => {
  it('takes cron expressions, with or without seconds', () => {
    const config = parseConfig(env({ REMINDER_CRON: '*/15 9-17 * * 1-6', SUMMARY_CRON: '0 30 8 * * *' }));
    expect(config).toMatchObject({ REMINDER_CRON: '*/15 9-17 * * 1-6', SUMMARY_CRON: '0 30 8 * * *' });
  });

  it.each(['REMINDER_CRON', 'SUMMARY_CRON'])('rejects a %s that is not a cron expression', (variable) => {
    expect(onlyProblem(env({ [variable]: 'every hour' }), variable)).toContain('cron expression');
    onlyProblem(env({ [variable]: '61 * * * *' }), variable);
  });

  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['1-6', [1, 2, 3, 4, 5, 6]],
    ['1,2,3,4,5,6', [1, 2, 3, 4, 5, 6]],
    ['6, 1-3', [1, 2, 3, 6]],
    ['7', [7]],
  ])('reads REMINDER_WORKING_DAYS %j', (value, expected) => {
    expect(parseConfig(env({ REMINDER_WORKING_DAYS: value })).REMINDER_WORKING_DAYS).toEqual(expected);
  });

  it.each(['0', '8', '5-1', 'пн-пт', '1-5x'])('rejects REMINDER_WORKING_DAYS %j', (value) => {
    expect(onlyProblem(env({ REMINDER_WORKING_DAYS: value }), 'REMINDER_WORKING_DAYS')).toContain('days of the week');
  });

  it.each([
    ['08:30-17:00', { from: '08:30', to: '17:00' }],
    ['9:00 - 18:00', { from: '09:00', to: '18:00' }],
    ['10:00–16:30', { from: '10:00', to: '16:30' }],
  ])('reads REMINDER_WINDOW %j', (value, expected) => {
    expect(parseConfig(env({ REMINDER_WINDOW: value })).REMINDER_WINDOW).toEqual(expected);
  });

  it.each(['18:00-09:00', '09:00', '25:00-26:00', '09:00-09:00', 'утро'])('rejects REMINDER_WINDOW %j', (value) => {
    expect(onlyProblem(env({ REMINDER_WINDOW: value }), 'REMINDER_WINDOW')).toContain('09:00-18:00');
  });

  it('reads REMINDER_DAYS_BEFORE_DEADLINE, largest first and without repeats', () => {
    expect(parseConfig(env({ REMINDER_DAYS_BEFORE_DEADLINE: '2, 7, 14, 7' })).REMINDER_DAYS_BEFORE_DEADLINE).toEqual([14, 7, 2]);
  });

  it.each(['0', '7,x', '100', '1,2,3,4,5,6,7'])('rejects REMINDER_DAYS_BEFORE_DEADLINE %j', (value) => {
    onlyProblem(env({ REMINDER_DAYS_BEFORE_DEADLINE: value }), 'REMINDER_DAYS_BEFORE_DEADLINE');
  });

  it.each(['0', '31', 'two', '1.5'])('rejects REMINDER_EVERY_WORKING_DAYS %j', (value) => {
    onlyProblem(env({ REMINDER_EVERY_WORKING_DAYS: value }), 'REMINDER_EVERY_WORKING_DAYS');
  });

  it.each(['0', '3601', 'soon'])('rejects OUTBOX_LEASE_SECONDS %j', (value) => {
    onlyProblem(env({ OUTBOX_LEASE_SECONDS: value }), 'OUTBOX_LEASE_SECONDS');
  });

  it('builds the deployment\'s reminder policy from the variables', () => {
    const config = parseConfig(env({ REMINDER_WORKING_DAYS: '1-6', REMINDER_WINDOW: '10:00-16:00', REMINDER_DAYS_BEFORE_DEADLINE: '3', REMINDER_EVERY_WORKING_DAYS: '1' }));
    expect(reminderPolicyOf(config)).toEqual({ workingDays: [1, 2, 3, 4, 5, 6], window: { from: '10:00', to: '16:00' }, daysBeforeDeadline: [3], everyWorkingDays: 1 });
  });

  it('treats blank values as unset', () => {
    const blank = parseConfig(env({ REMINDER_CRON: ' ', SUMMARY_CRON: '', REMINDER_WORKING_DAYS: '', REMINDER_WINDOW: ' ', REMINDER_DAYS_BEFORE_DEADLINE: '', REMINDER_EVERY_WORKING_DAYS: '', OUTBOX_LEASE_SECONDS: '' }));
    expect(blank).toEqual(parseConfig(env()));
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
