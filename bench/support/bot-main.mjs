/**
 * A bot in a process of its own, so that its memory and event loop are not shared
 * with the fake Telegram server and the simulated people. BENCH_BOT says which:
 * "citymentor" (the real bot as `npm start` runs it: the compiled dist/ under plain
 * node, loadConfig + startApp, logging JSON lines to stdout) or "echo" (grammY's
 * floor: replies to every text, answers every callback). Plain JavaScript, so that
 * no TypeScript loader sits in either process. The parent asks for memory figures
 * and stops it over the IPC channel, and can switch the real bot's SQL counting per
 * update off (messages: see bot-process.ts).
 */
import { run } from '@grammyjs/runner';
import { Bot } from 'grammy';

const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

async function startEcho() {
  const bot = new Bot(process.env.BOT_TOKEN, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
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
  const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}

async function startCityMentor() {
  // As src/main.ts does for `npm start`.
  const v8Settings = await import('../../dist/src/v8-settings.js');
  v8Settings.useLeanV8Settings();
  const { startApp } = await import('../../dist/src/app.js');
  const { loadConfig } = await import('../../dist/src/config.js');
  const app = await startApp(loadConfig(process.env));
  v8Settings.leanV8SettingsAfterStart();
  statementCount = await import('../../dist/src/db/statement-count.js');
  return () => app.stop();
}

/** The real bot's SQL counting (src/db/statement-count.ts); undefined for the echo bot. */
let statementCount;

const stop = process.env.BENCH_BOT === 'echo' ? await startEcho() : await startCityMentor();

const send = (message) => process.send?.(message);

process.on('message', (message) => {
  if (message.type === 'memory') {
    if (message.gc) globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    const sql = statementCount?.statementTotals();
    send({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers, cpuMs: (user + system) / 1000, sql });
  } else if (message.type === 'profile') {
    void profile(message).then(() => send({ type: 'profiled' }));
  } else if (message.type === 'count-per-update') {
    statementCount?.setCountingPerWork(message.on);
    send({ type: 'counting', on: message.on });
  } else if (message.type === 'stop') {
    void stop().finally(() => {
      send({ type: 'stopped' });
      process.disconnect?.();
      process.exit(0);
    });
  }
});
/** A CPU profile of part of a run (bench/form-throughput.ts: the timed crowd), written to `file` when it stops. */
let profiler;
async function profile(message) {
  const post = (method, params) => new Promise((resolve, reject) => profiler.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  if (message.file === undefined) {
    const { Session } = await import('node:inspector');
    profiler = new Session();
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  const { profile } = await post('Profiler.stop');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(message.file, JSON.stringify(profile));
  profiler.disconnect();
}

// Never outlive the benchmark that started it.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
