import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { isValidTimeZone } from './domain/calendar.js';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy, reminderPolicySchema } from './domain/reminders/policy.js';

/**
 * The only reader of process.env is main.ts, which hands it here. parseConfig is pure, so every
 * rule below is unit-tested; a bad value stops start-up with one line naming the variable.
 */
const csvOfIds = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return [];
    const parts = value.split(/[,\s]+/).filter(Boolean);
    const ids = parts.map(Number);
    if (parts.some((part) => !/^\d+$/.test(part)) || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
      ctx.addIssue({ code: 'custom', message: 'expected comma-separated positive VK user ids, e.g. 123,456' });
      return z.NEVER;
    }
    return ids;
  });

const cron = (fallback: string) =>
  z
    .string()
    .trim()
    .refine(isValidCron, 'expected a cron expression such as "0 * * * *" (minute hour day month weekday)')
    .default(fallback);

/** «1-5» or «1,2,3,4,5,6»: ISO days of the week, 1 Monday … 7 Sunday. */
const weekdays = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const days = new Set<number>();
    for (const part of value.split(/[,\s]+/).filter(Boolean)) {
      const range = /^([1-7])(?:-([1-7]))?$/.exec(part);
      if (!range || (range[2] !== undefined && Number(range[2]) < Number(range[1]))) {
        ctx.addIssue({ code: 'custom', message: 'expected days of the week 1 (Monday) … 7 (Sunday), e.g. 1-5 or 1,2,3,4,5,6' });
        return z.NEVER;
      }
      for (let day = Number(range[1]); day <= Number(range[2] ?? range[1]); day += 1) days.add(day);
    }
    if (days.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one day of the week, e.g. 1-5' });
      return z.NEVER;
    }
    return [...days].sort((a, b) => a - b);
  });

/** «09:00-18:00», local time, the end excluded. */
const timeWindow = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const match = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(value);
    const pad = (h: string | undefined, m: string | undefined) => `${(h ?? '').padStart(2, '0')}:${m ?? ''}`;
    const window = match ? { from: pad(match[1], match[2]), to: pad(match[3], match[4]) } : null;
    const checked = window ? reminderPolicySchema.shape.window.safeParse(window) : null;
    if (!checked?.success) {
      ctx.addIssue({ code: 'custom', message: 'expected a local time window such as 09:00-18:00' });
      return z.NEVER;
    }
    return checked.data;
  });

const dayCounts = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parts = value.split(/[,\s]+/).filter(Boolean);
    const days = parts.map(Number);
    if (parts.some((part) => !/^\d+$/.test(part)) || days.some((d) => d < 1 || d > 90) || days.length > 6) {
      ctx.addIssue({ code: 'custom', message: 'expected up to 6 comma-separated numbers of days 1…90, e.g. 7,2' });
      return z.NEVER;
    }
    return [...new Set(days)].sort((a, b) => b - a);
  });

const configSchema = z.object({
  VK_TOKEN: z
    .string({ error: 'is not set: create a community access token (Manage → API usage → Access tokens) with the "messages", "photos" and "docs" rights and put it here' })
    .trim()
    .min(20, 'looks too short for a VK community access token'),
  VK_GROUP_ID: z.coerce.number({ error: 'expected the numeric id of the VK community' }).int().positive('expected the numeric id of the VK community'),
  VK_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://api.vk.com/method' }).default('https://api.vk.com/method'),
  /**
   * Requests per second allowed for the community token (VK allows 20 and answers error 6 above
   * that). The running instances share it: each takes an equal part (src/vk/api-share.ts).
   */
  VK_API_LIMIT: z.coerce.number().int().min(1).max(20).default(20),
  /** How updates arrive: the bot polls VK (one process), or VK posts them to our HTTP endpoint. */
  VK_UPDATES: z.enum(['longpoll', 'webhook'], { error: 'expected "longpoll" (the default) or "webhook"' }).default('longpoll'),
  /** The string VK's "confirmation" request must get back (community → Manage → API usage → Callback API). */
  VK_CONFIRMATION_CODE: z.string().trim().min(1).max(100).optional(),
  /** The "secret key" set for the Callback API server; every request from VK carries it. */
  VK_CALLBACK_SECRET: z
    .string()
    .trim()
    .min(16, 'must be at least 16 characters so that it cannot be guessed (e.g. `openssl rand -hex 16`)')
    .optional(),
  /** Port of the HTTP server (health checks in both modes, the Callback API endpoint in webhook mode); 0 picks a free one. */
  PORT: z.coerce.number({ error: 'expected a port number' }).int('expected a port number').min(0).max(65535).default(8080),
  /**
   * Address the HTTP server listens on. Loopback by default, so a bare machine does not expose it;
   * containers and load-balanced hosts set 0.0.0.0 (the Docker image does).
   */
  HTTP_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:-]+$/, 'expected an IP address or host name such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /**
   * Where administrators reach this server from outside, e.g. https://bot.school.ru (the HTTPS front
   * of docs/deploy.md, routing /admin/page to it unchanged): links to the administrators' page are
   * built on it. Unset: no page links.
   */
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/?#]+\/?$/, 'expected the server\'s public address without a path, e.g. https://bot.school.ru')
    .optional(),
  /** How long a link to the administrators' page works, in minutes. */
  ADMIN_PAGE_LINK_MINUTES: z.coerce.number({ error: 'expected a number of minutes' }).int('expected whole minutes').min(1).max(1440).default(15),
  /** Signs the page links; every instance needs the same. Unset: derived from VK_TOKEN. */
  ADMIN_PAGE_SECRET: z.string().trim().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  ADMIN_VK_IDS: csvOfIds.default([]),
  /** Regional administrators: they see every school of the database and pick one to work on. */
  REGION_ADMIN_VK_IDS: csvOfIds.default([]),
  SCHOOL_NAME: z.string({ error: 'is not set: the school\'s name as teachers know it, e.g. МКОУ «СОШ №4»' }).trim().min(2, 'is too short'),
  SCHOOL_JOIN_CODE: z
    .string({ error: 'is not set: a code teachers type to register, at least 6 characters' })
    .trim()
    .min(6, 'must be at least 6 characters so that it cannot be guessed'),
  TIMEZONE: z
    .string()
    .trim()
    .refine(isValidTimeZone, 'expected an IANA time zone such as Europe/Moscow')
    .default('Europe/Moscow'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CHECKLIST_FILE: z.string().trim().min(1).optional(),
  /** When the reminder job ticks; the school's working days and send window decide what is sent. */
  REMINDER_CRON: cron('0 * * * *'),
  /** When the daily summary job ticks; the first tick inside the send window on a working day sends it. */
  SUMMARY_CRON: cron('0 * * * *'),
  REMINDER_WORKING_DAYS: weekdays.default(DEFAULT_REMINDER_POLICY.workingDays),
  REMINDER_WINDOW: timeWindow.default(DEFAULT_REMINDER_POLICY.window),
  REMINDER_DAYS_BEFORE_DEADLINE: dayCounts.default(DEFAULT_REMINDER_POLICY.daysBeforeDeadline),
  REMINDER_EVERY_WORKING_DAYS: z.coerce.number({ error: 'expected a whole number of working days, 1…30' }).int().min(1).max(30).default(DEFAULT_REMINDER_POLICY.everyWorkingDays),
  /** How long a sender holds claimed outbox rows; a crashed sender's rows are resent after it. */
  OUTBOX_LEASE_SECONDS: z.coerce.number({ error: 'expected a number of seconds' }).int().min(1).max(3600).default(120),
}).superRefine((config, ctx) => {
  const both = config.REGION_ADMIN_VK_IDS.filter((id) => config.ADMIN_VK_IDS.includes(id));
  if (both.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['REGION_ADMIN_VK_IDS'], message: `lists ${both.join(', ')}, also in ADMIN_VK_IDS: an administrator is either of the school or of the region` });
  }
});

type BaseConfig = z.infer<typeof configSchema>;


/** Webhook mode cannot run without the confirmation code and the secret; the type says so. */
export type Config = BaseConfig &
  ({ VK_UPDATES: 'longpoll' } | { VK_UPDATES: 'webhook'; VK_CONFIRMATION_CODE: string; VK_CALLBACK_SECRET: string });

/** Variables that only one mode needs, with the reason given when they are missing. */
const requiredInWebhookMode = {
  VK_CONFIRMATION_CODE:
    'is required when VK_UPDATES=webhook: copy the confirmation string from the community\'s Callback API settings (Manage → API usage → Callback API)',
  VK_CALLBACK_SECRET:
    'is required when VK_UPDATES=webhook: set the same secret key here and in the Callback API settings, so that only VK can post updates (e.g. `openssl rand -hex 16`)',
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Validates the environment. Empty strings count as unset, as in most .env files. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = presentValues(env);
  const result = configSchema.safeParse(present);
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  if (present.VK_UPDATES?.trim() === 'webhook') {
    for (const [variable, reason] of Object.entries(requiredInWebhookMode)) {
      if (present[variable] === undefined) problems.push(`${variable} ${reason}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  // The checks above guarantee what the webhook branch of Config promises.
  return result.data as Config;
}

/**
 * What the sandbox needs before the bot's own config can be built: it starts the local VK
 * emulator first, and the emulator's address and token become the bot's VK settings.
 */
const sandboxSchema = z.object({
  /** The sandbox page and the VK emulator listen here, on 127.0.0.1 only; 0 picks any free port. */
  SANDBOX_PORT: z.coerce
    .number({ error: 'expected a port number, e.g. 3000' })
    .int('expected a port number, e.g. 3000')
    .min(0, 'expected a port number from 0 to 65535')
    .max(65535, 'expected a port number from 0 to 65535')
    .default(3000),
  DATA_DIR: configSchema.shape.DATA_DIR,
  LOG_LEVEL: configSchema.shape.LOG_LEVEL,
});

export type SandboxSettings = z.infer<typeof sandboxSchema>;

/** Where the database is, for the commands that need nothing else (`npm run db:export`). */
const databaseSchema = z.object({ DATABASE_URL: configSchema.shape.DATABASE_URL, DATA_DIR: configSchema.shape.DATA_DIR });

export function parseDatabaseSettings(env: Record<string, string | undefined>): z.infer<typeof databaseSchema> {
  return parseWith(databaseSchema, env);
}

/** Every variable the bot reads, the sandbox's included. */
export const configVariables = [...new Set([...Object.keys(configSchema.shape), ...Object.keys(sandboxSchema.shape)])];

export function parseSandboxSettings(env: Record<string, string | undefined>): SandboxSettings {
  return parseWith(sandboxSchema, env);
}

/**
 * Without a VK token `npm start` runs the sandbox (a local VK emulator and a chat page) so the
 * bot can be tried at once. Never with a token. Never where a missing token is more likely a
 * broken production set-up than a trial: in production (the Docker image sets NODE_ENV=production)
 * or with DATABASE_URL set (the sandbox's personas, one of them an administrator, must not land in
 * a real database). There a missing token stays a configuration error.
 */
export function startMode(env: Record<string, string | undefined>): 'bot' | 'sandbox' {
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  return isSet('VK_TOKEN') || isSet('DATABASE_URL') || env.NODE_ENV === 'production' ? 'bot' : 'sandbox';
}

function parseWith<Schema extends z.ZodType>(schema: Schema, env: Record<string, string | undefined>): z.infer<Schema> {
  const result = schema.safeParse(presentValues(env));
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}

/** Empty strings count as unset, as in most .env files. */
function presentValues(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));
}

/** The deployment's reminder policy (a school's stored overrides apply on top). */
export function reminderPolicyOf(config: Config): ReminderPolicy {
  return {
    workingDays: config.REMINDER_WORKING_DAYS,
    window: config.REMINDER_WINDOW,
    daysBeforeDeadline: config.REMINDER_DAYS_BEFORE_DEADLINE,
    everyWorkingDays: config.REMINDER_EVERY_WORKING_DAYS,
  };
}
