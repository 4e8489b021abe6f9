import { parse, validate } from '@tma.js/init-data-node';

/** Init data older than this is refused: Telegram signs it when the page opens. */
export const INIT_DATA_MAX_AGE_SECONDS = 24 * 60 * 60;

/** Who is using the page, as Telegram signed it. */
export interface WebUser {
  telegramId: bigint;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

/**
 * Checks the init data the page sends in `Authorization: tma <init data>`: signed with
 * the bot token (HMAC-SHA256) and not older than a day. The person is taken from it
 * alone; undefined means the request is refused (401).
 */
export function authenticate(header: string | undefined, botToken: string): WebUser | undefined {
  const match = header ? /^tma (.+)$/.exec(header) : null;
  if (!match) return undefined;
  const raw = match[1]!;
  try {
    validate(raw, botToken, { expiresIn: INIT_DATA_MAX_AGE_SECONDS });
    const user = parse(raw).user;
    if (!user || !Number.isSafeInteger(user.id)) return undefined;
    return {
      telegramId: BigInt(user.id),
      firstName: user.first_name,
      lastName: user.last_name,
      username: user.username,
      languageCode: user.language_code,
    };
  } catch {
    return undefined;
  }
}
