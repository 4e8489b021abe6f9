import { Composer, InlineKeyboard } from 'grammy';
import { publishChatMenu } from '../command-menus.js';
import type { BotContext } from '../context.js';
import { chooseLanguage } from '../db/people.js';
import { isLocale, LOCALES } from '../locales.js';

export const languageFeature = new Composer<BotContext>();

languageFeature.command('language', async (ctx) => {
  const keyboard = new InlineKeyboard();
  for (const locale of LOCALES) {
    const label = ctx.deps.i18n.t(locale)('language_name');
    keyboard.text(locale === ctx.locale ? `✓ ${label}` : label, `language:${locale}`).row();
  }
  await ctx.reply(ctx.t('language.prompt'), { reply_markup: keyboard });
});

languageFeature.callbackQuery(/^language:(.*)$/, async (ctx) => {
  const chosen = ctx.match[1];
  if (!isLocale(chosen)) {
    await ctx.answerCallbackQuery({ text: ctx.t('language.unknown'), show_alert: true });
    return;
  }
  await chooseLanguage(ctx.deps.db, ctx.person.telegramId, chosen);
  const t = ctx.deps.i18n.t(chosen);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t('language.changed'));
  await publishChatMenu(ctx.api, ctx.deps.i18n, ctx.deps.logger, {
    telegramId: ctx.person.telegramId,
    locale: chosen,
    coordinator: ctx.isCoordinator,
    publicUrl: ctx.deps.config.publicUrl,
  });
});
