import { autoRetry } from '@grammyjs/auto-retry';
import { Api, type Context, HttpError, type RawApi, type Transformer } from 'grammy';

/** Long enough for a 30 s long poll, short enough that a hung connection does not hold a chat for minutes. */
export const API_TIMEOUT_SECONDS = 45;

const FORMATTED_METHODS = new Set(['sendMessage', 'editMessageText', 'sendDocument', 'sendPhoto', 'editMessageCaption']);

/** Every text the bot sends is HTML, so values put into translations are escaped for it (see src/i18n.ts). */
const htmlByDefault: Transformer<RawApi> = (prev, method, payload, signal) => {
  if (FORMATTED_METHODS.has(method) && payload && !('parse_mode' in payload)) {
    return prev(method, { ...payload, parse_mode: 'HTML' } as typeof payload, signal);
  }
  return prev(method, payload, signal);
};

const EDIT_METHODS = new Set(['editMessageText', 'editMessageReplyMarkup', 'editMessageCaption']);

/**
 * Edits that Telegram refuses without anything being wrong: the message already shows
 * that (the second tap of a double tap), or it is gone or too old to edit. The person
 * still needs the new text, so it comes as a new message instead.
 */
const editsThatCannotHappen: Transformer<RawApi> = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (result.ok || !EDIT_METHODS.has(method) || result.error_code !== 400) return result;
  if (/message is not modified/.test(result.description)) return { ok: true, result: true } as unknown as typeof result;
  if (/message to edit not found|message can't be edited/.test(result.description)) {
    const edit = payload as { chat_id?: number | string; text?: string; reply_markup?: unknown; parse_mode?: string };
    if (method !== 'editMessageText' || edit.chat_id === undefined || !edit.text) return { ok: true, result: true } as unknown as typeof result;
    const { chat_id, text, reply_markup, parse_mode } = edit;
    return prev('sendMessage', { chat_id, text, reply_markup, parse_mode } as never, signal) as unknown as Promise<typeof result>;
  }
  return result;
};

const NETWORK_RETRY_DELAYS_MS = [500, 1_500, 4_000];

/**
 * A few retries after a network failure, then the error goes up to the error
 * boundary, which tells the person. (auto-retry alone would retry a network
 * failure forever, leaving the chat waiting with no answer.)
 */
const retryNetworkFailures: Transformer<RawApi> = async (prev, method, payload, signal) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      const delay = NETWORK_RETRY_DELAYS_MS[attempt];
      // getUpdates and the start-up getMe have retry loops of their own (the runner, connectToTelegram).
      if (!(error instanceof HttpError) || delay === undefined || signal?.aborted || method === 'getUpdates' || method === 'getMe') throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
};

/**
 * How the bot talks to Telegram: HTML messages; retries after 429 (honouring
 * retry_after), 5xx answers and network failures. Installed on bot.api; inside
 * conversations see configureConversationApi.
 */
export function configureApi(api: Api): void {
  api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  api.config.use(retryNetworkFailures);
  api.config.use(editsThatCannotHappen);
  api.config.use(htmlByDefault);
}

/**
 * Inside a conversation, ctx.api answers calls already made in an earlier run of the
 * form from its record. The same setup goes beneath that layer: above it, a recorded
 * 429 would be waited out again at every later answer; beneath it, only the final
 * result of the retries is recorded.
 */
export function configureConversationApi(ctx: Context): void {
  const replay = ctx.api.config.installedTransformers();
  const api = new Api(ctx.api.token, ctx.api.options);
  configureApi(api);
  api.config.use(...replay);
  Object.assign(ctx, { api });
}
