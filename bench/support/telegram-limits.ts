import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeBotApi } from '../../test/support/fake-bot-api.js';

/**
 * Telegram's flood control in front of the fake Bot API server: a loopback proxy
 * that answers 429 with retry_after when more than `perSecond` messages arrive
 * within one second (sliding window, counting the messages it let through), and
 * passes everything else on unchanged. The fake server itself is left as it is.
 */
export class TelegramLimits {
  /** Arrival times (performance.now()) of messages let through. */
  readonly accepted: number[] = [];
  /** Messages answered with 429. */
  readonly tooMany: Array<{ at: number; chatId: number | undefined }> = [];

  private server: Server | undefined;
  private port = 0;
  // A new connection per request: a reused one can race the fake server closing it after its idle timeout (ECONNRESET).
  private readonly agent = new Agent({ keepAlive: false });
  private windowStart = 0;

  constructor(
    private readonly target: FakeBotApi,
    private readonly options: { perSecond?: number; retryAfterSeconds?: number } = {},
  ) {}

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    // Longer than the bot's long polls and pauses, so the proxy never closes a connection the bot is about to reuse.
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.agent.destroy();
  }

  /** The most messages let through within any one second. */
  busiestSecond(): number {
    let most = 0;
    let lo = 0;
    for (let hi = 0; hi < this.accepted.length; hi++) {
      while (this.accepted[hi]! - this.accepted[lo]! >= 1000) lo++;
      most = Math.max(most, hi - lo + 1);
    }
    return most;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1] ?? '';
    if (/^(send|copy|forward)/.test(method) && method !== 'sendChatAction') {
      const now = performance.now();
      const limit = this.options.perSecond ?? 30;
      while (this.windowStart < this.accepted.length && this.accepted[this.windowStart]! <= now - 1000) this.windowStart++;
      if (this.accepted.length - this.windowStart >= limit) {
        void this.refuse(req, res, now);
        return;
      }
      this.accepted.push(now);
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: new URL(this.target.apiRoot).port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, connection: 'close' },
        agent: this.agent,
      },
      (answer) => {
        // Hop-by-hop: the bot's own connection to the proxy stays open.
        const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private async refuse(req: IncomingMessage, res: ServerResponse, now: number): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let chatId: number | undefined;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chat_id?: unknown };
      chatId = body.chat_id === undefined ? undefined : Number(body.chat_id);
    } catch {
      // Multipart (a document): the chat does not matter for the count.
    }
    this.tooMany.push({ at: now, chatId });
    const retryAfter = this.options.retryAfterSeconds ?? 1;
    res.writeHead(429, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      }),
    );
  }
}
