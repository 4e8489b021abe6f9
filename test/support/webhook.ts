import { createServer } from 'node:net';
import type { Update } from 'grammy/types';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const WEBHOOK_SECRET = 'webhook-secret-for-tests-123';

export function webhookEnv(port: number): Record<string, string> {
  return { BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.org/telegram', WEBHOOK_SECRET, PORT: String(port) };
}

/** Delivers an update the way Telegram does in webhook mode. */
export function postUpdate(port: number, update: Update, secret = WEBHOOK_SECRET): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}

export function textUpdate(updateId: number, userId: number, text: string, languageCode = 'en'): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'P' },
      from: { id: userId, is_bot: false, first_name: 'P', language_code: languageCode },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  } as Update;
}
