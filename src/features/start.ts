import { Composer } from 'grammy';
import { publishChatMenu } from '../command-menus.js';
import { COORDINATOR_COMMANDS, MEMBER_COMMANDS } from '../commands.js';
import type { BotContext } from '../context.js';

/** /start: who the bot is and what this person can do. Deep links (?start=apply, ?start=team_…) are taken by their features first. */
export const startFeature = new Composer<BotContext>();

/** "/command — what it does" lines, from the same descriptions as Telegram's command menu. */
export function commandList(ctx: BotContext, coordinator: boolean): string {
  const names: readonly string[] = coordinator ? COORDINATOR_COMMANDS : MEMBER_COMMANDS.filter((c) => c !== 'start');
  return names.map((name) => `/${name} — ${ctx.t(`commands.${name}`)}`).join('\n');
}

startFeature.command('start', async (ctx) => {
  const { t } = ctx;
  await ctx.reply([t('start.welcome', { name: ctx.person.firstName }), `<b>${t('start.you_can')}</b>\n${commandList(ctx, false)}`].join('\n\n'));
  if (ctx.isCoordinator) await ctx.reply(`${t('help.coordinator')}\n${commandList(ctx, true)}`);
  if (ctx.isCoordinator) {
    await publishChatMenu(ctx.api, ctx.deps.i18n, ctx.deps.logger, {
      telegramId: ctx.person.telegramId,
      locale: ctx.locale,
      coordinator: true,
    });
  }
});
