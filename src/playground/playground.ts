import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sign } from '@tma.js/init-data-node';
import type { Update } from 'grammy/types';
import { type RunningApp, startApp } from '../app.js';
import { loadConfig } from '../config.js';
import { projectRoot } from '../db/paths.js';
import { isLocale, type Locale } from '../locales.js';
import { FakeBotApi } from './bot-api-server.js';
import { PLAYGROUND_COORDINATOR, PLAYGROUND_PEOPLE, type PlaygroundPerson, playgroundPerson } from './people.js';

/** The playground's own token: it never reaches Telegram, only the embedded server on loopback. */
export const PLAYGROUND_TOKEN = '424242:PLAYGROUND-local-only-not-a-real-token';
export const PLAYGROUND_BOT_USERNAME = 'citymentor_playground_bot';
/**
 * The bot builds its Mini App links on PUBLIC_URL, which must be https; this address is never
 * resolved: the page swaps it for the bot's own HTTP server on loopback.
 */
export const PLAYGROUND_PUBLIC_URL = 'https://citymentor-playground.invalid';

export const DEFAULT_PLAYGROUND_DATABASE = path.join('data', 'playground.db');

/** The page's bundle, built by scripts/build.mjs with the Mini App's. */
const bundleDir = path.join(projectRoot, 'dist', 'web');

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface PlaygroundOptions {
  /** The SQLite file; kept between runs. */
  databaseFile?: string;
  /** Delete the database first and start empty. */
  fresh?: boolean;
  /** The page's port (0: any free port). */
  port?: number;
  /** Where the page listens: loopback, so nothing is reachable from elsewhere. */
  host?: string;
  logLevel?: string;
  /** Further settings for the bot (TIMEZONE, DEFAULT_LOCALE…). */
  env?: Record<string, string | undefined>;
}

export interface Playground {
  url: string;
  api: FakeBotApi;
  app: RunningApp;
  stop(): Promise<void>;
}

/** Seeds the demo programme; loaded only when the button is pressed. */
type DemoLoader = (playground: { app: RunningApp; locale: Locale }) => Promise<{ summary: string }>;

/**
 * The whole bot in a browser: the embedded Bot API server on loopback, the real bot
 * started exactly as `npm start` starts it (startApp) but pointed at that server, and
 * the page that shows each person's chat with it.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const databaseFile = path.resolve(options.databaseFile ?? DEFAULT_PLAYGROUND_DATABASE);
  if (options.fresh) for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(databaseFile + suffix, { force: true });
  mkdirSync(path.dirname(databaseFile), { recursive: true });

  const api = await new FakeBotApi(PLAYGROUND_TOKEN, { username: PLAYGROUND_BOT_USERNAME }).start();
  let app: RunningApp;
  try {
    const config = loadConfig({
      TIMEZONE: options.env?.TIMEZONE,
      DEFAULT_LOCALE: options.env?.DEFAULT_LOCALE,
      ...options.env,
      BOT_TOKEN: PLAYGROUND_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATABASE_URL: `file:${databaseFile}`,
      ADMIN_IDS: String(PLAYGROUND_COORDINATOR.id),
      PUBLIC_URL: PLAYGROUND_PUBLIC_URL,
      PORT: '0',
      BOT_MODE: 'polling',
      REDIS_URL: undefined,
      // One person clicking through the playground (or a test) is faster than the flood limit expects.
      RATE_LIMIT_PER_MINUTE: '1000',
      LOG_LEVEL: options.logLevel ?? 'warn',
    });
    // The form pages' server stays on loopback too: nothing here is reachable from elsewhere.
    app = await startApp(config, { listenHost: '127.0.0.1' });
  } catch (error) {
    await api.close();
    throw error;
  }

  const server = createServer((req, res) => {
    handle({ api, app, req, res }).catch((error: unknown) => {
      app.deps.logger.error({ err: error, path: req.url }, 'playground request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal' });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    api,
    app,
    stop() {
      stopping ??= (async () => {
        await closeServer(server);
        await app.stop();
        await api.close();
      })();
      return stopping;
    },
  };
}

/** The page may be reached as localhost only: a page elsewhere cannot drive it through a renamed host. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  // Other sites cannot even embed what the playground serves (its files, its page).
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CityMentor playground</title>
<link rel="stylesheet" href="/playground.css">
<script src="/playground.js" defer></script>
</head>
<body>
<div id="playground"><p class="loading">…</p></div>
</body>
</html>
`;

interface RequestContext {
  api: FakeBotApi;
  app: RunningApp;
  req: IncomingMessage;
  res: ServerResponse;
}

async function handle({ api, app, req, res }: RequestContext): Promise<void> {
  if (!LOCAL_HOST.test(req.headers.host ?? '')) return text(res, 403, 'The playground answers on localhost only.');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = url.pathname;
  const method = req.method ?? 'GET';

  if (method === 'GET' && route === '/') return send(res, 200, 'text/html; charset=utf-8', INDEX_HTML);
  if (method === 'GET' && (route === '/playground.js' || route === '/playground.css')) {
    const file = path.join(bundleDir, route.slice(1));
    if (!existsSync(file)) return text(res, 404, 'The page is not built: run npm run build.');
    return send(res, 200, route.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', readFileSync(file));
  }
  if (method === 'GET' && route === '/api/people') {
    return json(res, 200, { bot: { username: api.botInfo.username, name: api.botInfo.first_name }, people: PLAYGROUND_PEOPLE, publicUrl: PLAYGROUND_PUBLIC_URL });
  }
  const file = /^\/api\/files\/([\w-]+)$/.exec(route);
  if (method === 'GET' && file) {
    const stored = api.file(file[1]!);
    if (!stored) return text(res, 404, 'No such file.');
    const disposition = url.searchParams.has('inline') ? 'inline' : 'attachment';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': stored.type || 'application/octet-stream',
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(stored.name)}`,
    });
    res.end(stored.content);
    return;
  }
  if (method === 'POST' && route === '/api/demo') {
    // POSTs must come from the page itself (a JSON body forces other sites through CORS).
    if (!isJson(req)) return json(res, 415, { error: 'json expected' });
    const raw = await readBody(req, 1024);
    let language: unknown;
    try {
      language = raw && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as { language?: unknown }).language : undefined;
    } catch {
      return json(res, 400, { error: 'bad json' });
    }
    // The summary is said in the language of the person the page shows.
    const locale = isLocale(language) ? language : app.deps.config.defaultLocale;
    const { loadDemoProgramme } = (await import('./demo-programme.js')) as { loadDemoProgramme: DemoLoader };
    return json(res, 200, await loadDemoProgramme({ app, locale }));
  }

  const chat = /^\/api\/chats\/(\d+)\/(\w+)$/.exec(route);
  const person = chat ? playgroundPerson(Number(chat[1])) : undefined;
  if (!chat || !person) return json(res, 404, { error: 'not found' });
  const action = chat[2]!;

  if (method === 'GET' && action === 'events') return api.streamChat(req, res, person.id);
  if (method === 'GET' && action === 'commands') {
    return json(res, 200, { commands: api.commandsFor(person.id, person.language_code), menuButton: api.menuButtonFor(person.id) });
  }
  if (method === 'GET' && action === 'webapp') {
    const opened = webAppAddress(app, person, url.searchParams.get('url') ?? '');
    return opened ? json(res, 200, { url: opened }) : json(res, 400, { error: 'not a page of this bot' });
  }
  if (method !== 'POST') return json(res, 405, { error: 'method not allowed' });

  if (action === 'upload') {
    const name = url.searchParams.get('name') ?? 'file';
    const type = url.searchParams.get('type') || 'application/octet-stream';
    // A file upload is not JSON; the header it must carry keeps other sites out (CORS) all the same.
    if (req.headers['x-playground'] !== '1') return json(res, 403, { error: 'forbidden' });
    const content = await readBody(req, MAX_UPLOAD_BYTES);
    if (!content) return json(res, 413, { error: 'too large' });
    const fileId = api.putFile({ name, type, content });
    push(api, person, { document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: name, mime_type: type, file_size: content.length } });
    return json(res, 200, { ok: true });
  }

  if (!isJson(req)) return json(res, 415, { error: 'json expected' });
  const raw = await readBody(req, 64 * 1024);
  let body: Record<string, unknown>;
  try {
    body = raw && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  } catch {
    return json(res, 400, { error: 'bad json' });
  }
  if (action === 'send') {
    const messageText = typeof body.text === 'string' ? body.text.trim() : '';
    if (!messageText || messageText.length > 4096) return json(res, 400, { error: 'text expected' });
    const command = /^\/\w+(@\w+)?/.exec(messageText);
    push(api, person, { text: messageText, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}) });
    return json(res, 200, { ok: true });
  }
  if (action === 'press') {
    const message = api.message(person.id, Number(body.messageId));
    if (!message || typeof body.data !== 'string') return json(res, 400, { error: 'no such button' });
    api.pushUpdate({
      callback_query: {
        id: `pg-${person.id}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        from: userOf(person),
        chat_instance: `pg-${person.id}`,
        data: body.data,
        message,
      },
    } as unknown as Omit<Update, 'update_id'>);
    return json(res, 200, { ok: true });
  }
  return json(res, 404, { error: 'not found' });
}

function userOf(person: PlaygroundPerson) {
  const { role: _role, ...user } = person;
  return { ...user, is_bot: false };
}

/** A message from this person, as Telegram would deliver it to the bot. */
function push(api: FakeBotApi, person: PlaygroundPerson, content: Record<string, unknown>): void {
  api.pushUpdate({
    message: {
      message_id: api.nextMessageIdFor(person.id),
      date: Math.floor(Date.now() / 1000),
      chat: { id: person.id, type: 'private', first_name: person.first_name, ...(person.last_name ? { last_name: person.last_name } : {}) },
      from: userOf(person),
      ...content,
    } as unknown as NonNullable<Update['message']>,
  });
}

/**
 * A Mini App button's page on the bot's own HTTP server, with the launch parameters
 * Telegram would add: init data signed with the playground's token for this person.
 */
function webAppAddress(app: RunningApp, person: PlaygroundPerson, address: string): string | undefined {
  if (!address.startsWith(`${PLAYGROUND_PUBLIC_URL}/`) || app.httpPort === undefined) return undefined;
  const initData = sign({ user: userOf(person) } as unknown as Parameters<typeof sign>[0], PLAYGROUND_TOKEN, new Date());
  const launch = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: 'web',
    tgWebAppThemeParams: JSON.stringify({ bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#3390ec', button_color: '#3390ec', button_text_color: '#ffffff', secondary_bg_color: '#f4f4f5' }),
  });
  return `http://127.0.0.1:${app.httpPort}${address.slice(PLAYGROUND_PUBLIC_URL.length)}#${launch.toString()}`;
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/json');
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type }).end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  send(res, status, 'text/plain; charset=utf-8', body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Event streams never end by themselves.
    server.closeAllConnections();
  });
}
