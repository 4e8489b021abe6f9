import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/test-bot.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const secret = 'webhook-secret-for-tests-123';

describe('webhook mode', () => {
  it('registers the webhook with its secret and handles only requests that carry it', async () => {
    const port = await freePort();
    const bot = await startTestBot({
      env: { BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.org/telegram', WEBHOOK_SECRET: secret, PORT: String(port) },
    });
    const registration = bot.api.callsOf('setWebhook')[0]!;
    expect(registration.payload).toMatchObject({ url: 'https://bot.example.org/telegram', secret_token: secret });
    expect(bot.api.callsOf('getUpdates')).toEqual([]);

    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 101, type: 'private', first_name: 'Ilze' },
        from: { id: 101, is_bot: false, first_name: 'Ilze', language_code: 'lv' },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    };
    const post = (token?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}) },
        body: JSON.stringify(update),
      });

    expect((await post('wrong-secret')).status).toBe(401);
    expect((await post()).status).toBe(401);
    expect(bot.api.callsOf('sendMessage')).toEqual([]);

    expect((await post(secret)).status).toBe(200);
    const greeting = await bot.api.waitFor(() => bot.api.callsOf('sendMessage').find((c) => c.payload.chat_id === 101));
    expect(String(greeting.payload.text)).toMatch(/Sveiki, Ilze!/);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});
