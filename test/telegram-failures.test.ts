import { describe, expect, it } from 'vitest';
import type { ApiCall } from './support/fake-bot-api.js';
import { startTestBot } from './support/test-bot.js';

const sentTo = (calls: ApiCall[], chatId: number) => calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId);

describe('when Telegram fails', () => {
  it('waits out a 429 for retry_after and then delivers the answer', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 41 });
    bot.api.fail('sendMessage', { kind: 'status', status: 429, retryAfter: 1 }, { chatId: 41 });
    await user.send('/help');
    const delivered = await bot.api.waitFor(() => sentTo(bot.api.calls, 41).find((c) => !c.error));
    const attempts = sentTo(bot.api.calls, 41);
    expect(attempts.map((c) => c.error?.error_code ?? 200)).toEqual([429, 200]);
    expect(String(delivered.payload.text)).toContain('guides a mentoring programme');
  });

  it('retries a 500 and a dropped connection', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 42 });
    bot.api.fail('sendMessage', { kind: 'status', status: 500 }, { chatId: 42 });
    bot.api.fail('sendMessage', { kind: 'drop' }, { chatId: 42 });
    await user.send('/help');
    // auto-retry backs off 3 s, then 6 s.
    const delivered = await bot.api.waitFor(() => sentTo(bot.api.calls, 42).find((c) => !c.error), 20_000);
    expect(String(delivered.payload.text)).toContain('guides a mentoring programme');
    expect(sentTo(bot.api.calls, 42).map((c) => c.error?.error_code ?? 200)).toEqual([500, 0, 200]);
  });

  it('keeps serving others when one call keeps failing', async () => {
    const bot = await startTestBot();
    bot.api.fail('sendMessage', { kind: 'status', status: 400, description: 'Bad Request: chat not found' }, { chatId: 43, times: 10 });
    await bot.user({ id: 43 }).send('/help');
    expect(bot.logs.some((l) => l.includes('"msg":"update failed"'))).toBe(true);
    const other = await bot.user({ id: 44 }).send('/help');
    expect(other.text).toContain('guides a mentoring programme');
  });

  it('keeps polling after getUpdates fails', async () => {
    const bot = await startTestBot();
    bot.api.fail('getUpdates', { kind: 'status', status: 502, description: 'Bad Gateway' });
    const replies = await bot.user({ id: 45 }).send('/help');
    expect(replies.text).toContain('guides a mentoring programme');
  });

  it('never writes the token into its logs', async () => {
    const bot = await startTestBot();
    bot.api.fail('sendMessage', { kind: 'status', status: 400, description: 'Bad Request: chat not found' }, { chatId: 46, times: 10 });
    await bot.user({ id: 46 }).send('/help');
    await bot.user({ id: 47 }).send('/help');
    expect(bot.logs.length).toBeGreaterThan(3);
    expect(bot.logs.join('\n')).not.toContain(bot.api.token);
    expect(bot.logs.join('\n')).not.toContain(bot.api.token.split(':')[1]);
  });
});
