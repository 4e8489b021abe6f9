import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { COORDINATOR_COMMANDS, MEMBER_COMMANDS } from './commands.js';
import type { I18n } from './i18n.js';
import { LOCALES, type Locale } from './locales.js';
import type { Logger } from './logger.js';
import { bestEffort } from './telegram-connection.js';
import { consoleUrl } from './web/open-button.js';

export function commandMenu(i18n: I18n, locale: Locale, coordinator: boolean): BotCommand[] {
  const t = i18n.t(locale);
  const names: readonly string[] = coordinator ? [...MEMBER_COMMANDS, ...COORDINATOR_COMMANDS] : MEMBER_COMMANDS;
  return names.map((command) => ({ command, description: t(`commands.${command}`) }));
}

/**
 * The menu everyone sees, in each of the bot's languages (Telegram picks by the app's
 * language). Each language on its own: one refused menu does not cost the others.
 */
export async function publishDefaultMenus(api: Api, i18n: I18n, logger: Logger, defaultLocale: Locale): Promise<void> {
  await bestEffort(logger, 'the command menu', () => api.setMyCommands(commandMenu(i18n, defaultLocale, false)));
  for (const locale of LOCALES) {
    await bestEffort(logger, `the command menu in ${locale}`, () =>
      api.setMyCommands(commandMenu(i18n, locale, false), { language_code: locale }),
    );
  }
}

/**
 * A menu for one chat: coordinators get their commands there (and nowhere else),
 * and anyone who chose a language gets the menu in that language. With PUBLIC_URL
 * (`publicUrl`), a coordinator's menu button opens the console; `resetMenuButton`
 * gives someone who is no longer a coordinator Telegram's ordinary button back.
 */
export async function publishChatMenu(
  api: Api,
  i18n: I18n,
  logger: Logger,
  chat: { telegramId: bigint; locale: Locale; coordinator: boolean; publicUrl?: string; resetMenuButton?: boolean },
): Promise<void> {
  try {
    await api.setMyCommands(commandMenu(i18n, chat.locale, chat.coordinator), {
      scope: { type: 'chat', chat_id: Number(chat.telegramId) },
    });
  } catch (error) {
    // A coordinator listed in ADMIN_IDS who never opened the bot has no chat yet; /start sets it later.
    logger.debug({ userId: String(chat.telegramId), error: String(error) }, 'chat menu not set');
  }
  if (!chat.publicUrl || (!chat.coordinator && !chat.resetMenuButton)) return;
  const menu_button = chat.coordinator
    ? { type: 'web_app' as const, text: i18n.t(chat.locale)('console.menu_button'), web_app: { url: consoleUrl(chat.publicUrl) } }
    : { type: 'default' as const };
  try {
    await api.setChatMenuButton({ chat_id: Number(chat.telegramId), menu_button });
  } catch (error) {
    // Best effort: the console also opens from the buttons under the coordinator commands.
    logger.warn({ userId: String(chat.telegramId), error: String(error) }, 'console menu button not set');
  }
}
