import type { ApiClientOptions } from 'grammy';
import { Agent, type Dispatcher, request } from 'undici';

/**
 * Connections to the Bot API, kept open between calls (a TLS handshake with Telegram
 * costs more than a call), shared by every Api object of the process as grammY's own
 * agents are. Idle connections do not keep the process alive.
 */
const connections = new Agent({ keepAliveTimeout: 60_000 });

/** What grammY passes (see createJsonPayload and createFormDataPayload in grammY's core/payload). */
interface CallInit {
  method?: string;
  headers?: Dispatcher.RequestOptions['headers'];
  body?: Dispatcher.RequestOptions['body'];
  signal?: Dispatcher.RequestOptions['signal'];
}

/**
 * How grammY's calls go over HTTP: undici's `request` instead of node-fetch, grammY's
 * default on Node. A call then costs the bot half the CPU time or less, and a form step
 * makes two or three of them (bench/form-throughput.ts). grammY reads only the JSON body
 * of an answer, which Telegram sends for errors too; aborting (grammY's timeout) and
 * streamed uploads work as with node-fetch.
 */
export const telegramFetch = (async (url: string, init: CallInit = {}) => {
  const { method, headers, body, signal } = init;
  const answer = await request(url, {
    method: (method ?? 'GET') as Dispatcher.HttpMethod,
    headers,
    body,
    signal,
    dispatcher: connections,
  });
  return {
    ok: answer.statusCode >= 200 && answer.statusCode < 300,
    status: answer.statusCode,
    json: () => answer.body.json(),
    text: () => answer.body.text(),
  };
}) as unknown as NonNullable<ApiClientOptions['fetch']>;
