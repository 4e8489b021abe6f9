import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { commandList } from './start.js';

export const helpFeature = new Composer<BotContext>();

helpFeature.command('help', async (ctx) => {
  const { t } = ctx;
  await ctx.reply([t('help.member'), `<b>${t('start.you_can')}</b>\n${commandList(ctx, false)}`].join('\n\n'));
  if (ctx.isCoordinator) await ctx.reply(`${t('help.coordinator')}\n${commandList(ctx, true)}`);
});
