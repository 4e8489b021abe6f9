import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { findOrCreateResponse, personOwner, setResponseStatus } from '../db/form-responses.js';
import { isAcceptedMentor } from '../db/mentors.js';
import { programmeOf } from '../db/programmes.js';
import { enterForm } from '../forms/engine/enter-form.js';
import { openAsPageKeyboard } from '../web/open-button.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { isComplete } from '../forms/engine/navigation.js';
import { strengthsProfileForm } from '../forms/strengths-profile.js';

/** An accepted mentor's strengths and experience (handbook Annex 3), kept up to date with /strengths. */
export const strengthsProfileFeature = new Composer<BotContext>();

strengthsProfileFeature.command('strengths', async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  if (!(await isAcceptedMentor(deps.db, programme.id, ctx.person.id))) {
    return void (await ctx.reply(t('strengths.only_mentors')));
  }
  const profile = await findOrCreateResponse(deps.db, {
    programmeId: programme.id,
    formId: strengthsProfileForm.id,
    ownerKey: personOwner(ctx.person.id),
  });
  const complete = isComplete(strengthsProfileForm, profile.answers);
  const page = openAsPageKeyboard(ctx.deps.config, t, profile.id);
  await ctx.reply(t(complete ? 'strengths.intro_update' : 'strengths.intro'), page ? { reply_markup: page } : {});
  await enterForm(ctx, { responseId: profile.id, ...(complete ? { start: 'review' as const } : {}) });
});

export const strengthsProfileBehaviour: FormBehaviour = {
  resumeHintKey: 'strengths.resume_hint',
  submitLabelKey: 'strengths.submit_button',
  reviewTitleKey: 'strengths.review_title',
  async submit({ deps, response, locale }) {
    const t = deps.i18n.t(locale);
    if (!isComplete(strengthsProfileForm, response.answers)) return { ok: false, leave: false, message: t('strengths.incomplete') };
    await setResponseStatus(deps.db, response.id, 'submitted', deps.clock.now());
    return { ok: true, messages: [t('strengths.saved')] };
  },
};
