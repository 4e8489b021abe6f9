import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import { createBot, FORM_BEHAVIOURS } from './bot.js';
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
  /**
   * Run the scheduled jobs on the wall clock (default). Tests with their own clock run
   * jobs themselves: a real hour passing mid-test must not send them anything.
   */
  scheduledJobs?: boolean;
  /** Where the HTTP server listens; all interfaces by default. The playground keeps it on loopback. */
  listenHost?: string;
}

export interface RunningApp {
  deps: AppDeps;
  /** The port the HTTP server listens on, when one runs (webhook mode, or PUBLIC_URL set). */
  httpPort?: number;
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
      await publishChatMenu(bot.api, i18n, logger, { telegramId, locale, coordinator: true, publicUrl: config.publicUrl });
    }
  } catch (error) {
    await db.$disconnect();
    await redis?.quit();
    throw error;
  }

  const scheduler = startScheduler(options.scheduledJobs === false ? [] : createJobs(deps, bot.api), logger);
  const outbox = startOutboxSender(deps, bot.api);

  // The Mini App's pages and API, only when PUBLIC_URL says where Telegram apps reach them.
  // The pages and their API are loaded only when PUBLIC_URL turns them on.
  const web = config.publicUrl ? (await import('./web/server.js')).createWebHandler({ deps, api: bot.api, botUsername: bot.botInfo.username, behaviours: FORM_BEHAVIOURS }) : undefined;
  const listen = async (handleUpdate?: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) => {
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200).end('ok');
        return;
      }
      void (async () => {
        if (web && (await web(req, res))) return;
        if (handleUpdate) return void (await handleUpdate(req, res));
        res.writeHead(404).end();
      })();
    });
    await new Promise<void>((resolve) => (options.listenHost ? server.listen(config.port, options.listenHost, resolve) : server.listen(config.port, resolve)));
    return server;
  };
  let stopReceiving: () => Promise<void>;
  let server: Server | undefined;

  if (config.mode.kind === 'webhook') {
    const { url, secret } = config.mode;
    server = await listen(webhookCallback(bot, 'http', { secretToken: secret }));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ port: portOf(server) }, 'receiving updates by webhook');
    const webhookServer = server;
    stopReceiving = () => closeServer(webhookServer);
  } else {
    // In polling mode an HTTP server runs only for the pages.
    if (web) server = await listen();
    await bot.api.deleteWebhook();
    const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    logger.info({ bot: bot.botInfo.username }, 'receiving updates by long polling');
    const pageServer = server;
    stopReceiving = async () => {
      await stopRunner(runner);
      if (pageServer) await closeServer(pageServer);
    };
  }
  if (web && server) logger.info({ port: portOf(server), url: config.publicUrl }, 'serving forms as pages');

  let stopping: Promise<void> | undefined;
  return {
    deps,
    httpPort: server ? portOf(server) : undefined,
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

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function closeServer(server: Server): Promise<void> {
  // close() stops new connections and resolves once requests in flight are answered.
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
