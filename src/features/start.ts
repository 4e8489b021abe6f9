import { Composer } from 'grammy';
import { publishChatMenu } from '../command-menus.js';
import type { BotContext } from '../context.js';
import { replyWithCommands, replyWithWaitingForm } from './help.js';

/** /start: who the bot is and what this person can do. Deep links (?start=apply, ?start=team_…) are taken by their features first. */
export const startFeature = new Composer<BotContext>();

startFeature.command('start', async (ctx) => {
  await replyWithCommands(ctx, ctx.t('start.welcome', { name: ctx.person.firstName }));
  // Someone in the middle of a form is told where it waits rather than greeted as if nothing were open.
  await replyWithWaitingForm(ctx);
  if (ctx.isCoordinator) {
    await publishChatMenu(ctx.api, ctx.deps.i18n, ctx.deps.logger, {
      telegramId: ctx.person.telegramId,
      locale: ctx.locale,
      coordinator: true,
      publicUrl: ctx.deps.config.publicUrl,
    });
  }
});
