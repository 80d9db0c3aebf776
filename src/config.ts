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
}).superRefine((config, ctx) => {
  const both = config.REGION_ADMIN_VK_IDS.filter((id) => config.ADMIN_VK_IDS.includes(id));
  if (both.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['REGION_ADMIN_VK_IDS'], message: `lists ${both.join(', ')}, also in ADMIN_VK_IDS: an administrator is either of the school or of the region` });
  }
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
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}
