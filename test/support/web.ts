import { sign } from '@tma.js/init-data-node';
import { expect } from 'vitest';
import type { TestBot } from './test-bot.js';
import type { TelegramUser } from './telegram-user.js';

/** PUBLIC_URL set (the tests reach the server on localhost), on a free port. */
export const webEnv = { PUBLIC_URL: 'https://citymentor.example.org', PORT: '0' };

/** Init data as Telegram would sign it for this person, with the tests' bot token. */
export function initDataFor(bot: TestBot, user: { id: number; first_name?: string; language_code?: string }, authDate = new Date()): string {
  return sign(
    { user: { id: user.id, first_name: user.first_name ?? `Person ${user.id}`, language_code: user.language_code ?? 'en' } } as Parameters<typeof sign>[0],
    bot.api.token,
    authDate,
  );
}

export function baseUrl(bot: TestBot): string {
  expect(bot.app.httpPort, 'the HTTP server for the pages runs').toBeTypeOf('number');
  return `http://127.0.0.1:${bot.app.httpPort}`;
}

/** One API call of the page: `Authorization: tma <init data>` as the page sends it. */
export async function callApi(bot: TestBot, method: string, path: string, initData: string | undefined, body?: unknown) {
  const response = await fetch(`${baseUrl(bot)}/app/api${path}`, {
    method,
    headers: { ...(initData !== undefined ? { Authorization: `tma ${initData}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** The web_app button's address on the last message that has one. */
export function pageButtonUrl(user: TelegramUser): string | undefined {
  for (const message of [...user.botMessages()].reverse()) {
    const buttons = ((message.reply_markup as { inline_keyboard?: Array<Array<{ web_app?: { url: string } }>> } | undefined)?.inline_keyboard ?? []).flat();
    const web = buttons.find((b) => b.web_app);
    if (web) return web.web_app!.url;
  }
  return undefined;
}

