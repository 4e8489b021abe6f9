import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import type { BotCommand, MenuButton, Message, Update, UserFromGetMe } from 'grammy/types';

/**
 * A Telegram Bot API server on loopback, speaking real HTTP. The bot is pointed at it
 * through TELEGRAM_API_ROOT (grammY's `client.apiRoot`), so every call the bot makes,
 * inside conversations too, arrives here to be recorded and answered. The tests talk
 * to the bot through it, and so does the playground's page (through `subscribe`).
 */

export interface ApiCall {
  seq: number;
  /** When the server recorded the call, in performance.now() milliseconds (for benchmarks). */
  at: number;
  method: string;
  payload: Record<string, unknown>;
  /** Files sent with multipart uploads, by field name. */
  files: Record<string, UploadedFile>;
  /** What the server answered (result on success). */
  result?: unknown;
  error?: { error_code: number; description: string };
}

export interface UploadedFile {
  name: string;
  type: string;
  content: Buffer;
}

export type Fault =
  | { kind: 'status'; status: number; description?: string; retryAfter?: number }
  | { kind: 'drop' }
  | { kind: 'hang'; ms: number };

interface PendingFault {
  method: string;
  fault: Fault;
  times: number;
  chatId?: number;
}

interface StoredMessage {
  chatId: number;
  message: Message;
}

/** One message of a chat as the playground shows it: who wrote it and its text as sent (HTML included). */
export interface ChatEntry {
  from: 'bot' | 'user';
  message: Message;
  /** The text or caption as the bot sent it, with its parse mode: Telegram's HTML subset when 'HTML'. */
  source?: { text: string; parseMode?: string };
  edited?: boolean;
}

/** What happened in a chat, as it happened: what the playground's page follows. */
export type ChatEvent =
  | { type: 'message'; chatId: number; entry: ChatEntry }
  | { type: 'edit'; chatId: number; entry: ChatEntry }
  | { type: 'delete'; chatId: number; messageId: number }
  | { type: 'callback_answer'; chatId: number; text: string; showAlert: boolean; url?: string }
  | { type: 'typing'; chatId: number }
  | { type: 'commands'; scope: string; languageCode: string };

export const TEST_BOT_TOKEN = '123456789:TEST-token-for-the-fake-bot-api-0123456789';

export class FakeBotApi {
  readonly token: string;
  readonly botInfo: UserFromGetMe = {
    id: 123456789,
    is_bot: true,
    first_name: 'CityMentor',
    username: 'citymentor_test_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;

  readonly calls: ApiCall[] = [];
  /** People who blocked the bot: sending to them answers 403. */
  readonly blocked = new Set<number>();

  private server: Server | undefined;
  private port = 0;
  private seq = 0;
  private nextUpdateId = 1;
  private confirmedOffset = 0;
  private queue: Update[] = [];
  private pollers: Array<() => void> = [];
  private listeners: Array<() => void> = [];
  private faults: PendingFault[] = [];
  private messages = new Map<string, StoredMessage>();
  private nextMessageId = new Map<number, number>();
  private nextFileId = 1;
  private delivered: number[] = [];
  /** Files the bot uploaded or people sent, by file_id, for getFile and the download route. */
  private files = new Map<string, UploadedFile>();
  /** Menus published with setMyCommands, by scope and language ("default|", "chat:42|uk"). */
  private commands = new Map<string, BotCommand[]>();
  /** Menu buttons set with setChatMenuButton, by chat (the console's web_app button for coordinators). */
  private menuButtons = new Map<number, MenuButton>();
  /** Every chat's messages in order, as the playground shows them. */
  private chats = new Map<number, ChatEntry[]>();
  /** Whose button press each callback query was, so its answer reaches the right chat. */
  private callbackChats = new Map<string, number>();
  private subscribers = new Set<(event: ChatEvent) => void>();
  /** When each update was first handed to the bot by getUpdates, in performance.now() milliseconds (for benchmarks). */
  readonly deliveredAt = new Map<number, number>();

  constructor(token = TEST_BOT_TOKEN, options: { username?: string; firstName?: string } = {}) {
    this.token = token;
    this.botInfo.id = Number(token.split(':')[0]) || this.botInfo.id;
    if (options.username) this.botInfo.username = options.username;
    if (options.firstName) this.botInfo.first_name = options.firstName;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on `port` (any free port by default). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.pollers.splice(0)) wake();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Queues an update for getUpdates; returns it with its update_id. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.queue.push(full);
    if (full.message) this.addEntry(full.message.chat.id, { from: 'user', message: full.message });
    if (full.callback_query) this.callbackChats.set(full.callback_query.id, full.callback_query.from.id);
    for (const wake of this.pollers.splice(0)) wake();
    return full;
  }

  /** Follows every chat as it changes; returns the way to stop. */
  subscribe(listener: (event: ChatEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** A chat's messages in their current state, oldest first (deleted ones left out). */
  chat(chatId: number): ChatEntry[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

  /** A message id for a person's own message, from the chat's one sequence, as in Telegram. */
  nextMessageIdFor(chatId: number): number {
    const messageId = (this.nextMessageId.get(chatId) ?? 1000) + 1;
    this.nextMessageId.set(chatId, messageId);
    return messageId;
  }

  /** Keeps a file a person sends (a CV), so that the bot can fetch it with getFile; returns its file_id. */
  putFile(file: UploadedFile): string {
    const fileId = `file-${this.nextFileId++}`;
    this.files.set(fileId, file);
    return fileId;
  }

  file(fileId: string): UploadedFile | undefined {
    return this.files.get(fileId);
  }

  /**
   * The command menu a person sees in their chat, chosen as Telegram does: the chat's
   * own menu (in their language, else any), then all private chats, then the default.
   */
  commandsFor(chatId: number, languageCode = ''): BotCommand[] {
    for (const scope of [`chat:${chatId}`, 'all_private_chats', 'default']) {
      const menu = this.commands.get(`${scope}|${languageCode}`) ?? this.commands.get(`${scope}|`);
      if (menu) return menu;
    }
    return [];
  }

  /** The menu button of a chat: what the bot set for it, else Telegram's default (the command list). */
  menuButtonFor(chatId: number): MenuButton {
    return this.menuButtons.get(chatId) ?? { type: 'default' };
  }

  /** Serves the event stream (server-sent events) of one chat, with its messages so far first. */
  streamChat(req: IncomingMessage, res: ServerResponse, chatId: number): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    const write = (event: ChatEvent | { type: 'history'; chatId: number; entries: ChatEntry[] }) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    write({ type: 'history', chatId, entries: this.chat(chatId) });
    const stop = this.subscribe((event) => {
      if (event.type === 'commands' || event.chatId === chatId) write(event);
    });
    // A comment now and then keeps proxies and the browser from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.once('close', () => {
      clearInterval(keepAlive);
      stop();
    });
  }

  private emit(event: ChatEvent): void {
    for (const listener of this.subscribers) listener(event);
  }

  private addEntry(chatId: number, entry: ChatEntry): void {
    const entries = this.chats.get(chatId) ?? [];
    entries.push(entry);
    this.chats.set(chatId, entries);
    this.emit({ type: 'message', chatId, entry });
  }

  /** Makes the next `times` calls of `method` (optionally to one chat) fail the given way. */
  fail(method: string, fault: Fault, options: { times?: number; chatId?: number } = {}): void {
    this.faults.push({ method, fault, times: options.times ?? 1, chatId: options.chatId });
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The current state of a message the bot sent (after edits). */
  message(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(`${chatId}:${messageId}`)?.message;
  }

  /** Resolves when `predicate` holds for the recorded calls, checking after each new call. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Timed out waiting for the bot');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the bot has made no call (or none that `concerns`) for `quietMs`. */
  async settle(quietMs = 120, concerns?: (call: ApiCall) => boolean): Promise<void> {
    const count = () => (concerns ? this.calls.filter(concerns).length : this.seq);
    for (;;) {
      const before = count();
      await new Promise((r) => setTimeout(r, quietMs));
      if (count() === before) return;
    }
  }

  get lastSeq(): number {
    return this.seq;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    if (!match) {
      const download = /^\/file\/bot([^/]+)\/documents\/([\w-]+)$/.exec(req.url ?? '');
      const file = download && download[1] === this.token ? this.files.get(download[2]!) : undefined;
      if (file) return void res.writeHead(200, { 'content-type': file.type || 'application/octet-stream' }).end(file.content);
      return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) return this.send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

    let payload: Record<string, unknown>;
    let files: Record<string, UploadedFile>;
    try {
      ({ payload, files } = await readPayload(req));
    } catch {
      return this.send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: cannot parse body' });
    }

    const call: ApiCall = { seq: 0, at: 0, method, payload, files };
    const fault = method === 'getUpdates' ? this.takeFault(method, undefined) : this.takeFault(method, chatOf(payload));
    if (fault) {
      if (fault.kind === 'drop') {
        this.record(call, { error_code: 0, description: 'connection dropped' });
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') {
        this.record(call, { error_code: 0, description: 'no answer' });
        await new Promise((r) => setTimeout(r, fault.ms));
        req.socket.destroy();
        return;
      }
      const error = {
        error_code: fault.status,
        description: fault.description ?? (fault.status === 429 ? `Too Many Requests: retry after ${fault.retryAfter ?? 1}` : 'Internal Server Error'),
      };
      this.record(call, error);
      return this.send(res, fault.status, {
        ok: false,
        ...error,
        ...(fault.retryAfter !== undefined ? { parameters: { retry_after: fault.retryAfter } } : {}),
      });
    }

    if (method === 'getUpdates') return this.getUpdates(req, res, payload);

    const outcome = this.answer(method, payload, files);
    this.record(call, 'error' in outcome ? outcome.error : undefined, 'result' in outcome ? outcome.result : undefined);
    if ('error' in outcome) return this.send(res, outcome.error.error_code, { ok: false, ...outcome.error });
    return this.send(res, 200, { ok: true, result: outcome.result });
  }

  private record(call: ApiCall, error?: ApiCall['error'], result?: unknown): void {
    call.seq = ++this.seq;
    call.at = performance.now();
    call.error = error;
    call.result = result;
    this.calls.push(call);
    for (const notify of this.listeners.splice(0)) notify();
  }

  private takeFault(method: string, chatId: number | undefined): Fault | undefined {
    const index = this.faults.findIndex((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (index < 0) return undefined;
    const pending = this.faults[index]!;
    pending.times -= 1;
    if (pending.times <= 0) this.faults.splice(index, 1);
    return pending.fault;
  }

  private async getUpdates(req: IncomingMessage, res: ServerResponse, payload: Record<string, unknown>): Promise<void> {
    // Recorded on arrival, so a test can see that the bot is polling; the result is filled in on answer.
    const call: ApiCall = { seq: 0, at: 0, method: 'getUpdates', payload, files: {} };
    this.record(call);
    const offset = Number(payload.offset ?? 0);
    if (offset > this.confirmedOffset) {
      this.confirmedOffset = offset;
      this.queue = this.queue.filter((u) => u.update_id >= offset);
    }
    const limit = Math.min(Number(payload.limit ?? 100), 100);
    const timeoutMs = Math.min(Number(payload.timeout ?? 0), 50) * 1000;
    const available = () => this.queue.filter((u) => u.update_id >= this.confirmedOffset).slice(0, limit);
    if (available().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.pollers.push(wake);
        req.once('close', wake);
      });
    }
    if (res.destroyed || req.socket.destroyed) return;
    call.result = available();
    this.delivered.push(...(call.result as Update[]).map((u) => u.update_id));
    const now = performance.now();
    for (const update of call.result as Update[]) if (!this.deliveredAt.has(update.update_id)) this.deliveredAt.set(update.update_id, now);
    for (const notify of this.listeners.splice(0)) notify();
    this.send(res, 200, { ok: true, result: call.result });
  }

  /** Whether the bot has fetched this update. */
  wasDelivered(updateId: number): boolean {
    return this.delivered.includes(updateId);
  }

  private answer(
    method: string,
    p: Record<string, unknown>,
    files: Record<string, UploadedFile>,
  ): { result: unknown } | { error: { error_code: number; description: string } } {
    const chatId = chatOf(p);
    if (chatId !== undefined && this.blocked.has(chatId) && /^(send|copy|forward)/.test(method)) {
      return { error: { error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
    }
    switch (method) {
      case 'getMe':
        return { result: this.botInfo };
      case 'setMyCommands':
      case 'deleteMyCommands': {
        const scope = scopeKey(p.scope);
        const languageCode = typeof p.language_code === 'string' ? p.language_code : '';
        if (method === 'setMyCommands') this.commands.set(`${scope}|${languageCode}`, (p.commands as BotCommand[] | undefined) ?? []);
        else this.commands.delete(`${scope}|${languageCode}`);
        this.emit({ type: 'commands', scope, languageCode });
        return { result: true };
      }
      case 'setChatMenuButton': {
        const button = (typeof p.menu_button === 'string' ? parseField(p.menu_button) : p.menu_button) as MenuButton | undefined;
        if (chatId === undefined) return { result: true };
        if (!button || button.type === 'default') this.menuButtons.delete(chatId);
        else this.menuButtons.set(chatId, button);
        this.emit({ type: 'commands', scope: `chat:${chatId}`, languageCode: '' });
        return { result: true };
      }
      case 'getMyCommands':
        return { result: this.commands.get(`${scopeKey(p.scope)}|${typeof p.language_code === 'string' ? p.language_code : ''}`) ?? [] };
      case 'sendChatAction':
        if (chatId !== undefined) this.emit({ type: 'typing', chatId });
        return { result: true };
      case 'answerCallbackQuery': {
        const person = this.callbackChats.get(String(p.callback_query_id));
        this.callbackChats.delete(String(p.callback_query_id));
        if (person !== undefined && (p.text || p.url)) {
          this.emit({ type: 'callback_answer', chatId: person, text: String(p.text ?? ''), showAlert: p.show_alert === true || p.show_alert === 'true', url: p.url as string | undefined });
        }
        return { result: true };
      }
      case 'setWebhook':
      case 'deleteWebhook':
      case 'setMyDescription':
      case 'setMyShortDescription':
        return { result: true };
      case 'deleteMessage': {
        const key = `${chatId}:${p.message_id}`;
        if (!this.messages.has(key)) return { error: { error_code: 400, description: 'Bad Request: message to delete not found' } };
        this.messages.delete(key);
        const entries = this.chats.get(chatId!);
        const index = entries?.findIndex((e) => e.from === 'bot' && e.message.message_id === Number(p.message_id)) ?? -1;
        if (index >= 0) entries!.splice(index, 1);
        this.emit({ type: 'delete', chatId: chatId!, messageId: Number(p.message_id) });
        return { result: true };
      }
      case 'getFile':
        return { result: { file_id: p.file_id, file_unique_id: `u${p.file_id}`, file_path: `documents/${p.file_id}`, file_size: this.files.get(String(p.file_id))?.content.length } };
      case 'sendMessage': {
        if (typeof p.text !== 'string' || p.text.length === 0) return { error: { error_code: 400, description: 'Bad Request: message text is empty' } };
        const text = formattedText(p.text, p.parse_mode);
        if (typeof text !== 'string') return text;
        if (text.length > 4096) return { error: { error_code: 400, description: 'Bad Request: message is too long' } };
        return { result: this.store(chatId!, { text, reply_markup: p.reply_markup }, { text: p.text, parseMode: p.parse_mode as string | undefined }) };
      }
      case 'sendDocument':
      case 'sendPhoto': {
        const field = method === 'sendDocument' ? 'document' : 'photo';
        // A file sent again by its file_id is the one stored under it.
        // An upload arrives as attach://<field> and gets a new file_id, as in Telegram.
        const reused = typeof p[field] === 'string' && !String(p[field]).startsWith('attach://') ? (p[field] as string) : undefined;
        const file = files[field] ?? (reused ? this.files.get(reused) : undefined);
        const fileId = reused ?? `file-${this.nextFileId++}`;
        if (file) this.files.set(fileId, file);
        const attachment =
          method === 'sendDocument'
            ? { document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: file?.name, mime_type: file?.type, file_size: file?.content.length } }
            : { photo: [{ file_id: fileId, file_unique_id: `u${fileId}`, width: 800, height: 600, file_size: file?.content.length }] };
        const caption = p.caption === undefined ? undefined : formattedText(String(p.caption), p.parse_mode);
        if (caption !== undefined && typeof caption !== 'string') return caption;
        const source = p.caption === undefined ? undefined : { text: String(p.caption), parseMode: p.parse_mode as string | undefined };
        return { result: this.store(chatId!, { ...attachment, caption, reply_markup: p.reply_markup }, source) };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const stored = this.messages.get(`${chatId}:${p.message_id}`);
        if (!stored) return { error: { error_code: 400, description: 'Bad Request: message to edit not found' } };
        const next = { ...stored.message } as Record<string, unknown>;
        const entry = this.chats.get(chatId!)?.find((e) => e.from === 'bot' && e.message.message_id === Number(p.message_id));
        let source = entry?.source;
        if (method === 'editMessageText') {
          const text = formattedText(String(p.text ?? ''), p.parse_mode);
          if (typeof text !== 'string') return text;
          next.text = text;
          source = { text: String(p.text ?? ''), parseMode: p.parse_mode as string | undefined };
        }
        next.reply_markup = p.reply_markup;
        if (next.text === (stored.message as { text?: string }).text && JSON.stringify(next.reply_markup) === JSON.stringify(stored.message.reply_markup)) {
          return { error: { error_code: 400, description: 'Bad Request: message is not modified' } };
        }
        stored.message = next as unknown as Message;
        if (entry) {
          entry.message = stored.message;
          entry.source = source;
          if (method === 'editMessageText') entry.edited = true;
          this.emit({ type: 'edit', chatId: chatId!, entry });
        }
        return { result: stored.message };
      }
      default:
        return { error: { error_code: 404, description: `Not Found: method ${method} is not known to the fake server` } };
    }
  }

  private store(chatId: number, content: Record<string, unknown>, source?: ChatEntry['source']): Message {
    const messageId = this.nextMessageIdFor(chatId);
    const message = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Test' },
      from: this.botInfo,
      ...Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined)),
    } as unknown as Message;
    this.messages.set(`${chatId}:${messageId}`, { chatId, message });
    this.addEntry(chatId, { from: 'bot', message, source });
    return message;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote', 'span', 'tg-emoji']);

/**
 * Checks HTML the way Telegram does (known tags, balanced, every & and < escaped)
 * and returns the text as Telegram stores it, without tags; or Telegram's 400.
 */
function formattedText(text: string, parseMode: unknown): string | { error: { error_code: number; description: string } } {
  if (parseMode !== 'HTML') return text;
  const fail = (why: string) => ({ error: { error_code: 400, description: `Bad Request: can't parse entities: ${why}` } });
  const open: string[] = [];
  let plain = '';
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) return fail(`unclosed start tag at byte offset ${i}`);
      const tag = text.slice(i + 1, end).trim();
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0]!.toLowerCase();
      if (!HTML_TAGS.has(name)) return fail(`unsupported start tag "${name}" at byte offset ${i}`);
      if (closing) {
        if (open.pop() !== name) return fail(`unmatched end tag at byte offset ${i}, expected "</${open.at(-1) ?? ''}>", found "</${name}>"`);
      } else open.push(name);
      i = end + 1;
    } else if (ch === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(text.slice(i));
      if (!entity) return fail(`character entity expected at byte offset ${i}`);
      plain += { lt: '<', gt: '>', amp: '&', quot: '"' }[entity[1]!.toLowerCase()] ?? String.fromCodePoint(Number(entity[1]!.replace(/^#x/i, '0x').replace('#', '')));
      i += entity[0].length;
    } else {
      plain += ch;
      i++;
    }
  }
  if (open.length > 0) return fail(`can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return plain;
}

/** "default", "all_private_chats", "chat:42": a BotCommandScope as one key. */
function scopeKey(scope: unknown): string {
  const s = (typeof scope === 'string' ? parseField(scope) : scope) as { type?: string; chat_id?: unknown } | undefined;
  if (!s || typeof s !== 'object' || !s.type) return 'default';
  return s.type === 'chat' ? `chat:${Number(s.chat_id)}` : s.type;
}

function chatOf(payload: Record<string, unknown>): number | undefined {
  const id = payload.chat_id;
  return id === undefined ? undefined : Number(id);
}

async function readPayload(req: IncomingMessage): Promise<{ payload: Record<string, unknown>; files: Record<string, UploadedFile> }> {
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const payload: Record<string, unknown> = { ...query };
    const files: Record<string, UploadedFile> = {};
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name, value) => (payload[name] = parseField(value)));
      parser.on('file', (name, stream, info) => {
        const parts: Buffer[] = [];
        stream.on('data', (d: Buffer) => parts.push(d));
        stream.on('end', () => (files[name] = { name: info.filename ?? name, type: info.mimeType, content: Buffer.concat(parts) }));
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      req.pipe(parser);
    });
    // grammY names the attachment field after a random id and refers to it as attach://id.
    for (const [key, value] of Object.entries(payload)) {
      if (typeof value === 'string' && value.startsWith('attach://')) {
        const file = files[value.slice('attach://'.length)];
        if (file) files[key] = file;
      }
    }
    return { payload, files };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const body = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { payload: { ...query, ...body }, files: {} };
}

function parseField(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
