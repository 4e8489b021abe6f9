import { type Api, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from './logger.js';

/** Telegram refused the token itself: retrying cannot help, so start-up ends with this message. */
export class TokenRefusedError extends Error {}

/** One attempt at start-up waits this long, so a network that drops packets is reported quickly too. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** Seconds to wait before the next attempt: 1, 2, 4, 8, 16, then every 30 s. */
export function reconnectDelaySeconds(attempt: number): number {
  return Math.min(30, 2 ** Math.max(0, attempt - 1));
}

/**
 * Asks Telegram who the bot is, retrying with backoff for as long as the Bot API
 * cannot be reached, and saying so in one line per attempt.
 */
export async function connectToTelegram(
  api: Api,
  logger: Logger,
  apiRoot: string,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  attemptTimeoutMs = ATTEMPT_TIMEOUT_MS,
): Promise<UserFromGetMe> {
  for (let attempt = 1; ; attempt++) {
    try {
      // grammY types its signal with a polyfill of AbortSignal; Node's own is the same at run time.
      return await api.getMe(AbortSignal.timeout(attemptTimeoutMs) as Parameters<Api['getMe']>[0]);
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        // The Bot API answers 404 for a token it does not know, as well as 401.
        throw new TokenRefusedError(
          `Telegram refused BOT_TOKEN (${error.error_code} ${error.description}): check the token @BotFather gave you`,
        );
      }
      const delay = reconnectDelaySeconds(attempt);
      logger.warn(
        { apiRoot, attempt, reason: failureReason(error), retryInSeconds: delay },
        `cannot reach the Telegram Bot API at ${apiRoot}; still trying (attempt ${attempt}, next in ${delay} s)`,
      );
      await wait(delay * 1000);
    }
  }
}

/** A short cause without the request URL, which holds the token. */
function failureReason(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  const cause = error instanceof HttpError ? error.error : error;
  // Before the code: an aborted call has one too (UND_ERR_ABORTED).
  if (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError')) return 'no answer in time';
  const code = (cause as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code ?? (cause as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string') return code;
  return 'network error';
}

/**
 * Menus, descriptions and the like only make the bot nicer to use: if Telegram
 * refuses one (a 400 in one language, a 429, a server without the method), the bot
 * runs without it.
 */
export async function bestEffort(logger: Logger, what: string, task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
  } catch (error) {
    logger.warn({ reason: failureReason(error) }, `${what} could not be set; the bot runs without it`);
  }
}
