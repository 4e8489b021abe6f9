import { conversations, createConversation } from '@grammyjs/conversations';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, GrammyError } from 'grammy';
import { API_TIMEOUT_SECONDS, configureApi, configureConversationApi } from './api-defaults.js';
import type { AppDeps, BotContext } from './context.js';
import { conversationStorage } from './db/conversation-storage.js';
import { markBlocked } from './db/people.js';
import { blockedStatusFeature } from './features/blocked-status.js';
import { actionPlanFeature } from './features/action-plan.js';
import { applicationsReviewFeature } from './features/applications-review.js';
import { auditFeature } from './features/audit.js';
import { broadcastFeature } from './features/broadcast.js';
import { exportFeature } from './features/export.js';
import { goodPracticeBehaviour, goodPracticesFeature } from './features/good-practices.js';
import { matchingFeature } from './features/matching.js';
import { needsAnalysisBehaviour, needsAnalysisFeature } from './features/needs-analysis.js';
import { pairsFeature } from './features/pairs.js';
import { privacyFeature } from './features/privacy.js';
import { progressFeature } from './features/progress.js';
import { reportFeature } from './features/report.js';
import { sessionsFeature } from './features/sessions.js';
import { stakeholderBehaviour, stakeholdersFeature } from './features/stakeholders.js';
import { statsFeature } from './features/stats.js';
import { strengthsProfileBehaviour, strengthsProfileFeature } from './features/strengths-profile.js';
import { teamJoinFeature } from './features/team-join.js';
import { teamRegistrationBehaviour, teamsFeature } from './features/teams.js';
import { applicationBehaviour, applicationFeature } from './features/application.js';
import { callFeature } from './features/call.js';
import { cancelFeature } from './features/cancel.js';
import { coordinatorRolesFeature } from './features/coordinator-roles.js';
import { eventsFeature } from './features/events.js';
import { evaluationFeature, programmeEvaluationBehaviour } from './features/evaluation.js';
import { formResumeFeature } from './features/form-resume.js';
import { formContinueFeature, helpFeature } from './features/help.js';
import { languageFeature } from './features/language.js';
import { mentoringLogFeature } from './features/mentoring-log.js';
import { startFeature } from './features/start.js';
import { unhandledFeature } from './features/unhandled.js';
import { createFormConversation, FORM_CONVERSATION, type FormBehaviours, FORMS_VERSION } from './forms/engine/form-conversation.js';
import { deduplicateUpdates } from './middleware/deduplicate-updates.js';
import { floodLimit } from './middleware/flood-limit.js';
import { personContext } from './middleware/person-context.js';
import { updateLogger } from './middleware/update-logger.js';
import { telegramFetch } from './telegram-http.js';

/** How each form is submitted, by form id. */
export const FORM_BEHAVIOURS: FormBehaviours = {
  application: applicationBehaviour,
  team_registration: teamRegistrationBehaviour,
  needs_analysis: needsAnalysisBehaviour,
  stakeholder: stakeholderBehaviour,
  strengths_profile: strengthsProfileBehaviour,
  good_practice: goodPracticeBehaviour,
  programme_evaluation: programmeEvaluationBehaviour,
};

/** The whole bot: one composer per feature, in the order they get a chance at an update. */
export function createBot(deps: AppDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.config.botToken, {
    client: { apiRoot: deps.config.apiRoot, timeoutSeconds: API_TIMEOUT_SECONDS, fetch: telegramFetch },
  });
  configureApi(bot.api);

  // Updates from one chat are handled one after another; different chats in parallel.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(updateLogger(deps.logger));
  bot.use(floodLimit(deps));
  bot.use(deduplicateUpdates(deps));
  bot.use(blockedStatusFeature(deps));

  // CityMentor works in private chats; groups and channels are ignored by design.
  const chat = bot.chatType('private');
  chat.use(personContext(deps));
  chat.use(
    conversations({
      storage: {
        // Keyed by chat id (see conversation-storage.ts); by context, to use the state read with the person.
        type: 'context',
        adapter: conversationStorage(deps.db, FORMS_VERSION),
        // State from code that asked other questions is dropped; answers are in their own tables.
        version: FORMS_VERSION,
      },
      // Calls made inside conversations go through a fresh Api object; it needs the same setup.
      plugins: [
        async (ctx, next) => {
          configureConversationApi(ctx);
          await next();
        },
      ],
    }),
  );

  // Commands that must work everywhere, also in the middle of a form.
  chat.use(cancelFeature(FORM_BEHAVIOURS), helpFeature, languageFeature, privacyFeature);

  // A form gets the person's messages first; commands and other buttons pass through it.
  // Between questions no conversation runs: formResume takes the answer to the question asked.
  chat.use(createConversation(createFormConversation(deps, FORM_BEHAVIOURS), FORM_CONVERSATION));
  chat.use(formResumeFeature(FORM_BEHAVIOURS), formContinueFeature(FORM_BEHAVIOURS));

  // What people do: mentors and mentee teams.
  chat.use(applicationFeature, teamJoinFeature);
  chat.use(needsAnalysisFeature, stakeholdersFeature, strengthsProfileFeature, goodPracticesFeature);
  chat.use(sessionsFeature, eventsFeature, mentoringLogFeature, progressFeature, actionPlanFeature, evaluationFeature);
  chat.use(startFeature);

  // What coordinators do.
  chat.use(callFeature, applicationsReviewFeature, teamsFeature);
  chat.use(matchingFeature, pairsFeature, broadcastFeature, exportFeature, statsFeature, reportFeature, auditFeature);
  chat.use(coordinatorRolesFeature);

  chat.use(unhandledFeature);

  bot.catch(async ({ error, ctx }) => {
    // The person blocked the bot while we were answering: note it, nobody to apologise to.
    if (error instanceof GrammyError && error.error_code === 403 && ctx.from) {
      await markBlocked(deps.db, BigInt(ctx.from.id), deps.clock.now());
      deps.logger.info({ updateId: ctx.update.update_id, userId: ctx.from.id }, 'person has blocked the bot');
      return;
    }
    deps.logger.error(
      { err: error, updateId: ctx.update.update_id, userId: ctx.from?.id },
      'update failed',
    );
    if (ctx.chat?.type !== 'private') return;
    try {
      const t = ctx.t ?? deps.i18n.t(deps.config.defaultLocale);
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t('errors.generic'), show_alert: true });
      else await ctx.reply(t('errors.generic'));
    } catch (replyError) {
      deps.logger.warn({ err: replyError, updateId: ctx.update.update_id }, 'could not tell the user about a failure');
    }
  });

  return bot;
}
