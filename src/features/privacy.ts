import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import { collectPersonalData, forgetPerson } from '../db/personal-data.js';
import { programmeOf, setPrivacySettings } from '../db/programmes.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { notifyCoordinators } from '../notify.js';

/**
 * People's control of their data: /mydata sends everything stored about them, /forget
 * deletes it after a confirmation. Coordinators set the consent text and how long data
 * of applicants who were not accepted is kept (/privacy).
 */
export const privacyFeature = new Composer<BotContext>();

privacyFeature.command('mydata', async (ctx) => {
  const data = await collectPersonalData(ctx.deps.db, ctx.person.id);
  const json = JSON.stringify(data, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2);
  await ctx.replyWithDocument(new InputFile(Buffer.from(json, 'utf8'), 'my-data.json'), { caption: ctx.t('privacy.mydata_caption') });
});

privacyFeature.command('forget', async (ctx) => {
  await ctx.reply(ctx.t('privacy.forget_confirm'), {
    reply_markup: new InlineKeyboard().text(ctx.t('privacy.forget_yes'), 'pv|forget').text(ctx.t('privacy.forget_no'), 'pv|keep'),
  });
});

privacyFeature.callbackQuery('pv|keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('privacy.forget_kept'));
});

privacyFeature.callbackQuery('pv|forget', async (ctx) => {
  const { deps } = ctx;
  const t = ctx.t;
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
  await forgetPerson(deps.db, ctx.person.id, deps.clock.now());
  deps.logger.info({ personId: ctx.person.id }, 'personal data deleted on request');
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t('privacy.forgotten'));
  await notifyCoordinators(deps, ctx.api, (ct) => ct('privacy.coordinator_notice', { id: ctx.person.id }));
});

privacyFeature.command('privacy', coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const [setting, ...rest] = ctx.match.trim().split(/\s+/);
  const value = ctx.match.trim().slice((setting ?? '').length).trim();
  if (setting === 'retention' && /^\d{1,3}$/.test(rest[0] ?? '') && rest.length === 1) {
    await setPrivacySettings(deps.db, programme.id, { retentionMonths: Number(rest[0]) || null });
  } else if (setting === 'retention' && rest[0] === 'off') {
    await setPrivacySettings(deps.db, programme.id, { retentionMonths: null });
  } else if (setting === 'consent' && value.length > 0 && value.length <= 1000) {
    await setPrivacySettings(deps.db, programme.id, { consentText: value === 'default' ? null : value });
  } else if (setting) {
    return void (await ctx.reply(t('privacy.usage')));
  }
  if (setting) await recordAudit(deps.db, { actorId: ctx.person.id, action: `privacy.${setting}`, at: deps.clock.now() });
  const current = await programmeOf(deps);
  await ctx.reply(
    [
      `<b>${t('privacy.title')}</b>`,
      t('privacy.consent_line', { text: current.consentText ?? t('privacy.consent_default') }),
      current.retentionMonths ? t('privacy.retention_line', { months: current.retentionMonths }) : t('privacy.retention_off'),
      '',
      t('privacy.usage'),
    ].join('\n'),
  );
});
