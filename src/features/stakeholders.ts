import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { deleteResponse, findOrCreateResponse, teamIdOf, teamOwner } from '../db/form-responses.js';
import { addStakeholder, countStakeholders, findStakeholder, listStakeholders, MAX_STAKEHOLDERS, removeStakeholder } from '../db/stakeholders.js';
import { enterForm } from '../forms/engine/enter-form.js';
import { openAsPageKeyboard } from '../web/open-button.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { stakeholderForm } from '../forms/stakeholder.js';
import { escapeHtml } from '../i18n.js';
import { sendTeamMenu, teamOfSender } from './needs-analysis.js';

/** The team's local support network (handbook Annex 5): at most ten stakeholders. */
export const stakeholdersFeature = new Composer<BotContext>();

async function showNetwork(ctx: BotContext, teamId: number): Promise<void> {
  const { t } = ctx;
  const stakeholders = await listStakeholders(ctx.deps.db, teamId);
  const lines = [`<b>${t('network.title', { count: stakeholders.length, max: MAX_STAKEHOLDERS })}</b>`, t('network.about')];
  stakeholders.forEach((s, i) => lines.push(`${i + 1}. <b>${escapeHtml(s.name)}</b> — ${escapeHtml(s.organisation)}\n   ${escapeHtml(s.role)}`));
  if (stakeholders.length === 0) lines.push(t('network.empty'));
  const keyboard = new InlineKeyboard();
  stakeholders.forEach((s, i) => {
    keyboard.text(`✖ ${i + 1}`, `sh|del|${s.id}`);
    if (i % 5 === 4) keyboard.row();
  });
  keyboard.row().text(t('network.add_button'), 'sh|add').text(t('network.back_button'), 'sh|team');
  await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
}

stakeholdersFeature.callbackQuery(/^sh\|(list|add|team|del\|(\d{1,9})|rm\|(\d{1,9}))$/, async (ctx) => {
  const { deps, t } = ctx;
  const team = await teamOfSender(ctx);
  if (!team) return;
  const [, action, id] = ctx.match;
  if (action === 'list') {
    await ctx.answerCallbackQuery();
    return showNetwork(ctx, team.id);
  }
  if (action === 'team') {
    await ctx.answerCallbackQuery();
    return sendTeamMenu(deps, ctx.api, ctx.person, team);
  }
  if (action === 'add') {
    if ((await countStakeholders(deps.db, team.id)) >= MAX_STAKEHOLDERS) {
      return void (await ctx.answerCallbackQuery({ text: t('network.full', { max: MAX_STAKEHOLDERS }), show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    const draft = await findOrCreateResponse(deps.db, { programmeId: team.programmeId, formId: stakeholderForm.id, ownerKey: teamOwner(team.id) });
    const page = openAsPageKeyboard(deps.config, t, draft.id);
    if (page) await ctx.reply(t('web.open_hint'), { reply_markup: page });
    return enterForm(ctx, { responseId: draft.id });
  }
  if (action?.startsWith('del|')) {
    // One tap on ✖ only asks: an entry a team mate gave is not lost to a slip of the finger.
    const stakeholder = await findStakeholder(deps.db, team.id, Number(id));
    if (!stakeholder) return void (await ctx.answerCallbackQuery({ text: t('network.already_removed'), show_alert: true }));
    await ctx.answerCallbackQuery();
    await ctx.reply(t('network.remove_confirm', { name: stakeholder.name, organisation: stakeholder.organisation }), {
      reply_markup: new InlineKeyboard().text(t('network.remove_yes'), `sh|rm|${stakeholder.id}`).text(t('network.remove_no'), 'sh|list'),
    });
    return;
  }
  const removed = await removeStakeholder(deps.db, team.id, Number(ctx.match[3]));
  await ctx.answerCallbackQuery(removed ? { text: t('network.removed') } : { text: t('network.already_removed'), show_alert: true });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await showNetwork(ctx, team.id);
});

/** Each filled-in stakeholder form adds one stakeholder; the form then starts empty again. */
export const stakeholderBehaviour: FormBehaviour = {
  resumeHintKey: 'network.resume_hint',
  submitLabelKey: 'network.submit_button',
  reviewTitleKey: 'network.review_title',
  async submit({ deps, response, personId, locale }) {
    const t = deps.i18n.t(locale);
    const teamId = teamIdOf(response.ownerKey)!;
    const a = response.answers;
    const added = await addStakeholder(deps.db, {
      teamId,
      name: String(a.name),
      organisation: String(a.organisation),
      role: String(a.role),
      addedById: personId,
    });
    if (!added) return { ok: false, leave: true, message: t('network.full', { max: MAX_STAKEHOLDERS }) };
    await deleteResponse(deps.db, response.id);
    const count = await countStakeholders(deps.db, teamId);
    return { ok: true, messages: [t('network.added', { name: String(a.name), count, max: MAX_STAKEHOLDERS })] };
  },
};
