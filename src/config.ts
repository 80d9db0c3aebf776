import { z } from 'zod';
import { isValidTimeZone } from './domain/calendar.js';

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

const configSchema = z.object({
  VK_TOKEN: z
    .string({ error: 'is not set: create a community access token (Manage → API usage → Access tokens) with the "messages", "photos" and "docs" rights and put it here' })
    .trim()
    .min(20, 'looks too short for a VK community access token'),
  VK_GROUP_ID: z.coerce.number({ error: 'expected the numeric id of the VK community' }).int().positive('expected the numeric id of the VK community'),
  VK_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://api.vk.com/method' }).default('https://api.vk.com/method'),
  /** A community token allows 20 requests/s; VK answers error 6 above that. */
  VK_API_LIMIT: z.coerce.number().int().min(1).max(20).default(20),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  ADMIN_VK_IDS: csvOfIds.default([]),
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
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Validates the environment. Empty strings count as unset, as in most .env files. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseWith(configSchema, env);
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
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}
