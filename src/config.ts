import { existsSync } from 'node:fs';
import { z } from 'zod';
import { type DatabaseLocation, parseDatabaseUrl } from './db/database-url.js';
import { LOCALES } from './locales.js';

const DEFAULT_DATABASE_URL = 'file:./data/citymentor.db';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const databaseUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .transform((url, ctx) => {
    const location = parseDatabaseUrl(url);
    if (!location) {
      ctx.addIssue({
        code: 'custom',
        message:
          'DATABASE_URL must be a SQLite file (file:./data/citymentor.db) or a PostgreSQL URL (postgresql://user:password@host:5432/database)',
      });
      return z.NEVER;
    }
    return location;
  });

const schema = z
  .object({
    BOT_TOKEN: z
      .string({ error: 'BOT_TOKEN is not set: create a bot with @BotFather and set BOT_TOKEN to the token it gives you' })
      .regex(/^\d+:[\w-]{20,}$/, 'BOT_TOKEN does not look like a token from @BotFather (digits, a colon, then letters)'),
    DATABASE_URL: databaseUrl,
    ADMIN_IDS: z
      .string()
      .default('')
      .refine((v) => /^\s*(\d+\s*(,\s*\d+\s*)*)?$/.test(v), 'ADMIN_IDS must be Telegram user ids separated by commas, e.g. 12345,67890')
      .transform((v) => new Set(v.split(',').map((s) => s.trim()).filter(Boolean).map((s) => BigInt(s)))),
    DEFAULT_LOCALE: z.enum(LOCALES, { error: `DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}` }).default('en'),
    TIMEZONE: z
      .string()
      .default('Europe/Kyiv')
      .refine(isTimeZone, 'TIMEZONE must be an IANA time zone such as Europe/Kyiv or Europe/Warsaw'),
    BOT_MODE: z.enum(['polling', 'webhook'], { error: 'BOT_MODE must be polling or webhook' }).default('polling'),
    WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'WEBHOOK_URL must be the public https:// address Telegram should call' }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -')
      .optional(),
    // 0 lets the system pick a free port (tests).
    PORT: z.coerce.number({ error: 'PORT must be a port number' }).int().min(0).max(65535).default(8080),
    PUBLIC_URL: z
      .url({ protocol: /^https$/, error: 'PUBLIC_URL must be the public https:// address where Telegram apps reach this bot, e.g. https://bot.example.org' })
      .optional(),
    TELEGRAM_API_ROOT: z.url({ error: 'TELEGRAM_API_ROOT must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must look like redis://host:6379' }).optional(),
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'RATE_LIMIT_PER_MINUTE must be a number of updates' })
      .int()
      .min(1, 'RATE_LIMIT_PER_MINUTE must be at least 1')
      .default(60),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_MODE !== 'webhook') return;
    if (!env.WEBHOOK_URL) ctx.addIssue({ code: 'custom', message: 'BOT_MODE=webhook needs WEBHOOK_URL (the public https:// address of this bot)' });
    if (!env.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', message: 'BOT_MODE=webhook needs WEBHOOK_SECRET (16 to 256 letters, digits, _ or -)' });
  });

export interface Config {
  botToken: string;
  database: DatabaseLocation;
  adminIds: ReadonlySet<bigint>;
  defaultLocale: (typeof LOCALES)[number];
  timeZone: string;
  mode: { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string; port: number };
  apiRoot: string;
  /**
   * The public https address of the bot's HTTP server, without a trailing slash. Set: forms
   * also open as pages inside Telegram (a Mini App), served on `port`. Unset: chat only.
   */
  publicUrl?: string;
  /** Where the HTTP server listens (webhooks, and the pages when publicUrl is set). */
  port: number;
  /** Shared store for the flood limit when several instances serve one bot. */
  redisUrl?: string;
  /** Updates one person may send per minute before being asked to slow down. */
  rateLimitPerMinute: number;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Reads the configuration once at start; throws a ConfigError whose message is one line saying what to set. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(emptyAsMissing(env));
  if (!result.success) {
    throw new ConfigError(`Configuration error: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  const e = result.data;
  return {
    botToken: e.BOT_TOKEN,
    database: e.DATABASE_URL,
    adminIds: e.ADMIN_IDS,
    defaultLocale: e.DEFAULT_LOCALE,
    timeZone: e.TIMEZONE,
    mode:
      e.BOT_MODE === 'webhook'
        ? { kind: 'webhook', url: e.WEBHOOK_URL!, secret: e.WEBHOOK_SECRET!, port: e.PORT }
        : { kind: 'polling' },
    apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}

/** Only the database part, for scripts that touch the database but not Telegram. */
export function readDatabaseUrl(env: Record<string, string | undefined>): DatabaseLocation {
  const result = databaseUrl.safeParse(emptyAsMissing(env).DATABASE_URL);
  if (!result.success) throw new ConfigError(`Configuration error: ${result.error.issues[0]!.message}`);
  return result.data;
}

/** Values in the real environment win over the optional .env file. */
export function loadEnvFile(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

function emptyAsMissing(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
