import { Composer } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { clearBlocked, markBlocked } from '../db/people.js';

/**
 * Telegram tells the bot when a person blocks or unblocks it. Blocked people are
 * skipped by broadcasts and reminders; writing to the bot again clears the mark.
 */
export function blockedStatusFeature(deps: AppDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('my_chat_member', async (ctx) => {
    if (ctx.chat?.type !== 'private') return;
    const status = ctx.myChatMember.new_chat_member.status;
    const telegramId = BigInt(ctx.myChatMember.from.id);
    if (status === 'kicked') await markBlocked(deps.db, telegramId, deps.clock.now());
    else await clearBlocked(deps.db, telegramId);
  });
  return feature;
}
