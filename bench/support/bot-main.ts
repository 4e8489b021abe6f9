/**
 * A bot in a process of its own, so that its memory and event loop are not shared
 * with the fake Telegram server and the simulated people. BENCH_BOT says which:
 * "citymentor" (the real bot: loadConfig + startApp, logging JSON lines to stdout)
 * or "echo" (grammY's floor: replies to every text, answers every callback).
 * The parent asks for memory figures and stops it over the IPC channel.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { ALLOWED_UPDATES, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export type ParentMessage = { type: 'memory'; gc?: boolean } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'memory'; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
  | { type: 'stopped' };

async function startEcho(): Promise<() => Promise<void>> {
  const token = process.env.BOT_TOKEN!;
  const bot = new Bot(token, { client: { apiRoot: process.env.TELEGRAM_API_ROOT! } });
  // The same "update handled" line the real bot logs at debug level, so one driver serves both.
  bot.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      process.stdout.write(
        `${JSON.stringify({ level: 20, updateId: ctx.update.update_id, ms: Math.round(performance.now() - started), msg: 'update handled' })}\n`,
      );
    }
  });
  bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  bot.on('callback_query:data', (ctx) => ctx.answerCallbackQuery());
  await bot.init();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}

async function startCityMentor(): Promise<() => Promise<void>> {
  const app = await startApp(loadConfig(process.env));
  return () => app.stop();
}

const stop = process.env.BENCH_BOT === 'echo' ? await startEcho() : await startCityMentor();

const send = (message: ChildMessage) => process.send?.(message);

process.on('message', (message: ParentMessage) => {
  if (message.type === 'memory') {
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    send({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers });
  } else if (message.type === 'stop') {
    void stop().finally(() => {
      send({ type: 'stopped' });
      process.disconnect?.();
      process.exit(0);
    });
  }
});
// Never outlive the benchmark that started it.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
