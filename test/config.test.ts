import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const token = '123456789:AAHk-valid_looking_token_value_0123';

describe('configuration', () => {
  it('asks for BOT_TOKEN in one line when it is missing', () => {
    expect(() => loadConfig({})).toThrow(/^Configuration error: BOT_TOKEN is not set: create a bot with @BotFather[^\n]*$/);
  });

  it('takes PUBLIC_URL only as an https address, and leaves the pages off without it', () => {
    expect(loadConfig({ BOT_TOKEN: token }).publicUrl).toBeUndefined();
    expect(loadConfig({ BOT_TOKEN: token, PUBLIC_URL: '' }).publicUrl).toBeUndefined();
    expect(loadConfig({ BOT_TOKEN: token, PUBLIC_URL: 'https://bot.example.org/' }).publicUrl).toBe('https://bot.example.org');
    expect(() => loadConfig({ BOT_TOKEN: token, PUBLIC_URL: 'http://bot.example.org' })).toThrow(/^Configuration error: PUBLIC_URL must be the public https:\/\/ address/);
  });

  it('treats an empty BOT_TOKEN as missing', () => {
    expect(() => loadConfig({ BOT_TOKEN: '' })).toThrow(/BOT_TOKEN is not set/);
  });

  it('refuses a malformed token without repeating it', () => {
    const bad = 'not-a-token-but-secret-ish';
    let message = '';
    try {
      loadConfig({ BOT_TOKEN: bad });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/BOT_TOKEN does not look like a token/);
    expect(message).not.toContain(bad);
  });

  it('explains what DATABASE_URL may be when it is malformed', () => {
    expect(() => loadConfig({ BOT_TOKEN: token, DATABASE_URL: 'mysql://localhost/db' })).toThrow(
      /DATABASE_URL must be a SQLite file \(file:\.\/data\/citymentor\.db\) or a PostgreSQL URL/,
    );
  });

  it('defaults to the embedded SQLite file, Kyiv time, English and long polling', () => {
    const config = loadConfig({ BOT_TOKEN: token });
    expect(config.database).toEqual({ provider: 'sqlite', url: 'file:./data/citymentor.db', file: './data/citymentor.db' });
    expect(config.timeZone).toBe('Europe/Kyiv');
    expect(config.defaultLocale).toBe('en');
    expect(config.mode).toEqual({ kind: 'polling' });
    expect(config.apiRoot).toBe('https://api.telegram.org');
  });

  it('reads PostgreSQL URLs and coordinator ids', () => {
    const config = loadConfig({ BOT_TOKEN: token, DATABASE_URL: 'postgresql://bot:pw@db:5432/citymentor', ADMIN_IDS: '12, 34' });
    expect(config.database.provider).toBe('postgresql');
    expect([...config.adminIds]).toEqual([12n, 34n]);
  });

  it('refuses ADMIN_IDS that are not ids, an unknown time zone and an unknown language', () => {
    expect(() => loadConfig({ BOT_TOKEN: token, ADMIN_IDS: '12,abc' })).toThrow(/ADMIN_IDS must be Telegram user ids/);
    expect(() => loadConfig({ BOT_TOKEN: token, TIMEZONE: 'Mars/Olympus' })).toThrow(/TIMEZONE must be an IANA time zone/);
    expect(() => loadConfig({ BOT_TOKEN: token, DEFAULT_LOCALE: 'de' })).toThrow(/DEFAULT_LOCALE must be one of uk, en, pl, lv, ru/);
  });

  it('needs WEBHOOK_URL and WEBHOOK_SECRET in webhook mode', () => {
    expect(() => loadConfig({ BOT_TOKEN: token, BOT_MODE: 'webhook' })).toThrow(/needs WEBHOOK_URL.*needs WEBHOOK_SECRET/);
    const config = loadConfig({
      BOT_TOKEN: token,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://bot.example.org/telegram',
      WEBHOOK_SECRET: 'a-long-enough-secret',
      PORT: '3000',
    });
    expect(config.mode).toEqual({ kind: 'webhook', url: 'https://bot.example.org/telegram', secret: 'a-long-enough-secret', port: 3000 });
  });
});
