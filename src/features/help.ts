import { Composer, InlineKeyboard } from 'grammy';
import { commandsFor, type Standing } from '../commands.js';
import type { BotContext } from '../context.js';
import { findResponse, loadResponse, personOwner } from '../db/form-responses.js';
import { isAcceptedMentor } from '../db/mentors.js';
import { programmeOf } from '../db/programmes.js';
import { findTeamOfPerson } from '../db/teams.js';
import type { FormBehaviours } from '../forms/engine/form-conversation.js';
import { askWaitingAgain, findWaitingForm, isOwnResponse, waitingText } from '../forms/engine/waiting-form.js';
import { isFormId } from '../forms/index.js';
import { mentorApplicationForm } from '../forms/mentor-application.js';
import { textKeys } from '../forms/types.js';

/** Button data of "Continue": `fw|c|<response id>`; it names the form, so a press after it was left can say so. */
const CONTINUE_PREFIX = 'fw|';
const continueData = (responseId: number) => `${CONTINUE_PREFIX}c|${responseId}`;
const CONTINUE = /^fw\|c\|(\d{1,9})$/;

/** What decides which commands this person is shown. */
async function standingOf(ctx: BotContext): Promise<Standing & { teamName?: string }> {
  const { db } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const [application, mentor, team] = await Promise.all([
    findResponse(db, { programmeId: programme.id, formId: mentorApplicationForm.id, ownerKey: personOwner(ctx.person.id) }),
    isAcceptedMentor(db, programme.id, ctx.person.id),
    findTeamOfPerson(db, programme.id, ctx.person.id),
  ]);
  const started = application !== undefined && (application.status !== 'draft' || Object.keys(application.answers).length > 0);
  return {
    coordinator: ctx.isCoordinator,
    application: started ? application.status : 'none',
    mentor,
    teamMember: team !== null,
    ...(team ? { teamName: team.name } : {}),
  };
}

const commandLines = (ctx: BotContext, names: readonly string[]) => names.map((name) => `/${name} — ${ctx.t(`commands.${name}`)}`).join('\n');

/**
 * The commands for this person, after `intro`: a line on where they stand, what they can
 * do, and (for coordinators) a second message with their own commands.
 */
export async function replyWithCommands(ctx: BotContext, intro: string): Promise<void> {
  const { t } = ctx;
  const standing = await standingOf(ctx);
  const commands = commandsFor(standing);
  const status = standing.mentor
    ? t('help.status.mentor')
    : standing.teamMember
      ? t('help.status.team', { team: standing.teamName })
      : standing.coordinator
        ? ''
        : t(`help.status.application_${standing.application}`);
  await ctx.reply([intro, status, `<b>${t('start.you_can')}</b>\n${commandLines(ctx, commands.member)}`].filter(Boolean).join('\n\n'));
  if (commands.coordinator.length > 0) await ctx.reply(`${t('help.coordinator')}\n${commandLines(ctx, commands.coordinator)}`);
}

/** "Your application is waiting at question 9 of 22", with a Continue button; nothing when no form is open. */
export async function replyWithWaitingForm(ctx: BotContext): Promise<void> {
  const waiting = await findWaitingForm(ctx.deps.db, ctx.person.id);
  if (!waiting) return;
  const text = `⏸ <b>${waitingText(ctx.t, waiting)}</b>\n${ctx.t(waiting.place.kind === 'question' ? 'help.waiting.continue_hint' : 'help.waiting.continue_review_hint')}`;
  await ctx.reply(text, { reply_markup: new InlineKeyboard().text(ctx.t('help.waiting.continue_button'), continueData(waiting.response.id)) });
}

/** /help: what this person can do now, and where their open form is waiting. */
export const helpFeature = new Composer<BotContext>();

helpFeature.command('help', async (ctx) => {
  await replyWithCommands(ctx, ctx.t('help.member'));
  await replyWithWaitingForm(ctx);
});

/**
 * Continue: the waiting question again. Works after a restart: all it needs is in the
 * database. Installed after the form conversation, which it may enter.
 */
export function formContinueFeature(behaviours: FormBehaviours): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(CONTINUE, async (ctx) => {
    const { db } = ctx.deps;
    const { t } = ctx;
    const responseId = Number(ctx.match[1]);
    const waiting = await findWaitingForm(db, ctx.person.id);
    if (waiting?.response.id === responseId) {
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      await askWaitingAgain(ctx, waiting, behaviours);
      return;
    }
    // The form was sent, stopped or replaced by another since the button was shown.
    const response = await loadResponse(db, responseId);
    const own = response !== undefined && isFormId(response.formId) && (await isOwnResponse(db, ctx.person.id, response));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    if (!own) {
      await ctx.reply(t('help.continue.gone'));
    } else {
      const raw = { title: t(textKeys.title(response.formId)), interpolation: { escapeValue: false } };
      const hint = behaviours[response.formId]?.resumeHintKey;
      const text =
        response.status === 'submitted'
          ? [t('help.continue.submitted', raw), t(`help.continue.after_submit.${response.formId}`)]
          : [t(response.status === 'withdrawn' ? 'help.continue.withdrawn' : 'help.continue.paused', raw), hint ? t(hint) : ''];
      await ctx.reply(text.filter(Boolean).join('\n'));
    }
    await replyWithWaitingForm(ctx);
  });

  feature.callbackQuery(/^fw\|/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('help.continue.invalid'), show_alert: true }));

  return feature;
}
