import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

/** Installed last: whatever no feature took gets a short, helpful answer instead of silence. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button') }));

unhandledFeature.on('message::bot_command', (ctx) => ctx.reply(ctx.t('errors.unknown_command')));

unhandledFeature.on('message', (ctx) => ctx.reply(ctx.t('errors.not_understood')));
