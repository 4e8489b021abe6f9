import { createServer, type Server } from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import { createBot } from './bot.js';
import { type Clock, systemClock } from './clock.js';
import { publishChatMenu, publishDefaultMenus } from './command-menus.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { openDatabase } from './db/database.js';
import { findPerson, listPeopleWithRole } from './db/people.js';
import { currentProgramme } from './db/programmes.js';
import { createI18n } from './i18n.js';
import { isLocale } from './locales.js';
import { createLogger, type Logger } from './logger.js';
import { createJobs } from './jobs/index.js';
import { startOutboxSender } from './outbox/sender.js';
import { startScheduler } from './scheduler.js';
import { connectToTelegram } from './telegram-connection.js';

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** How long shutdown waits for updates already being handled. */
const DRAIN_TIMEOUT_MS = 15_000;

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface RunningApp {
  deps: AppDeps;
  /** Stops taking updates, finishes the ones in flight, stops scheduled work and closes the database. */
  stop(): Promise<void>;
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const secrets = [config.botToken, ...(config.mode.kind === 'webhook' ? [config.mode.secret] : [])];
  const logger = options.logger ?? createLogger(config.logLevel, secrets);
  const db = await openDatabase(config.database, { migrate: true });
  const i18n = await createI18n(config.defaultLocale);
  await currentProgramme(db, { timeZone: config.timeZone });
  // ioredis is loaded only when there is a Redis to talk to.
  const redis = config.redisUrl ? new (await import('ioredis')).Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const deps: AppDeps = { config, db, i18n, logger, clock: options.clock ?? systemClock, redis };

  const bot = createBot(deps);
  try {
    bot.botInfo = await connectToTelegram(bot.api, logger, config.apiRoot);
    await publishDefaultMenus(bot.api, i18n, logger, config.defaultLocale);
    for (const telegramId of await coordinatorIds(deps)) {
      const person = await findPerson(db, telegramId);
      const locale = person && isLocale(person.language) ? person.language : config.defaultLocale;
      await publishChatMenu(bot.api, i18n, logger, { telegramId, locale, coordinator: true });
    }
  } catch (error) {
    await db.$disconnect();
    await redis?.quit();
    throw error;
  }

  const scheduler = startScheduler(createJobs(deps, bot.api), logger);
  const outbox = startOutboxSender(deps, bot.api);
  let stopReceiving: () => Promise<void>;

  if (config.mode.kind === 'webhook') {
    const { url, secret, port } = config.mode;
    const handleUpdate = webhookCallback(bot, 'http', { secretToken: secret });
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200).end('ok');
        return;
      }
      void handleUpdate(req, res);
    });
    await new Promise<void>((resolve) => server.listen(port, resolve));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ port }, 'receiving updates by webhook');
    stopReceiving = () => closeServer(server);
  } else {
    await bot.api.deleteWebhook();
    const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    logger.info({ bot: bot.botInfo.username }, 'receiving updates by long polling');
    stopReceiving = () => stopRunner(runner);
  }

  let stopping: Promise<void> | undefined;
  return {
    deps,
    stop() {
      stopping ??= (async () => {
        await stopReceiving();
        await scheduler.stop();
        await outbox.stop();
        await db.$disconnect();
        await redis?.quit();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

async function coordinatorIds(deps: AppDeps): Promise<bigint[]> {
  const granted = await listPeopleWithRole(deps.db, 'coordinator');
  return [...new Set([...deps.config.adminIds, ...granted.map((p) => p.telegramId)])];
}

async function stopRunner(runner: RunnerHandle): Promise<void> {
  if (runner.isRunning()) await runner.stop();
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (runner.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function closeServer(server: Server): Promise<void> {
  // close() stops new connections and resolves once requests in flight are answered.
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
