import { type Api, Composer, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import type { Person, Team } from '../db/database.js';
import { findOrCreateResponse, type ResponseSnapshot, setResponseStatus, teamIdOf, teamOwner } from '../db/form-responses.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { countStakeholders, MAX_STAKEHOLDERS } from '../db/stakeholders.js';
import { findTeam, findTeamOfPerson, listMembers, setReopenRequested } from '../db/teams.js';
import { enterForm } from '../forms/engine/enter-form.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { isComplete, sectionProgress, visibleQuestions } from '../forms/engine/navigation.js';
import { summaryMessages } from '../forms/engine/summary.js';
import { needsAnalysisForm } from '../forms/needs-analysis.js';
import { textKeys } from '../forms/types.js';
import { escapeHtml } from '../i18n.js';
import { isLocale } from '../locales.js';
import { notifyCoordinators, notifyPerson } from '../notify.js';
import { localTimeText } from '../local-time-text.js';
import { addOpenAsPage, addSectionPage } from '../web/open-button.js';

/**
 * A mentee team's home: /team shows the needs analysis section by section with
 * progress, so members can answer in any order over days; any member submits once
 * everything required is answered, and may ask a coordinator to reopen it.
 */
export const needsAnalysisFeature = new Composer<BotContext>();

const FORM = needsAnalysisForm;

async function analysisOf(deps: AppDeps, team: Team): Promise<ResponseSnapshot> {
  return findOrCreateResponse(deps.db, { programmeId: team.programmeId, formId: FORM.id, ownerKey: teamOwner(team.id) });
}

/** The team's menu, sent to one member in their language. */
export async function sendTeamMenu(deps: AppDeps, api: Api, person: Person, team: Team): Promise<void> {
  const t = deps.i18n.t(isLocale(person.language) ? person.language : deps.config.defaultLocale);
  const analysis = await analysisOf(deps, team);
  const members = await listMembers(deps.db, team.id);
  const stakeholders = await countStakeholders(deps.db, team.id);
  const programme = await programmeOf(deps);
  const answered = visibleQuestions(FORM, analysis.answers).filter((q) => q.id in analysis.answers).length;
  const total = visibleQuestions(FORM, analysis.answers).length;
  const submitted = analysis.status === 'submitted';

  const lines = [
    `<b>${escapeHtml(team.name)}</b>`,
    submitted
      ? t('needs.status_submitted', { date: localTimeText(t, new Date(analysis.submittedAt!), programme.timeZone, isLocale(person.language) ? person.language : deps.config.defaultLocale) })
      : t('needs.status_answering', { answered, total }),
    t('needs.members', { names: members.map((m) => escapeHtml([m.firstName, m.lastName].filter(Boolean).join(' '))).join(', '), interpolation: { escapeValue: false } }),
    '',
    submitted ? t(team.reopenRequestedAt ? 'needs.reopen_pending' : 'needs.submitted_hint') : t('needs.menu_hint'),
  ];
  const keyboard = new InlineKeyboard();
  if (!submitted) {
    for (const progress of sectionProgress(FORM, analysis.answers)) {
      // A section with nothing required is not "done" before anything is answered: it says it is optional.
      const done = progress.missingRequired === 0 && progress.answered > 0 ? '✓ ' : '';
      const optional = progress.missingRequired === 0 && progress.answered === 0 ? ` · ${t('needs.optional_section')}` : '';
      const label = `${done}${t(textKeys.section(FORM.id, progress.sectionId))} · ${progress.answered}/${progress.total}${optional}`;
      keyboard.text(label, `na|s|${progress.sectionId}`);
      // Beside each section in chat, the same section as a page.
      addSectionPage(keyboard, deps.config, t, analysis.id, progress.sectionId).row();
    }
    keyboard.text(t(isComplete(FORM, analysis.answers) ? 'needs.review_submit_button' : 'needs.review_button'), 'na|review').row();
    if (deps.config.publicUrl) addOpenAsPage(keyboard, deps.config, t, analysis.id).row();
  } else {
    keyboard.text(t('needs.view_button'), 'na|view');
    if (!team.reopenRequestedAt) keyboard.text(t('needs.reopen_button'), 'na|reopen');
    keyboard.row();
  }
  keyboard.text(t('needs.network_button', { count: stakeholders, max: MAX_STAKEHOLDERS }), 'sh|list').row();
  keyboard.text(t('needs.practices_button'), 'gp|list');
  await api.sendMessage(Number(person.telegramId), lines.join('\n'), { reply_markup: keyboard });
}

/** The team of the person pressing or typing, or a clear answer that they have none. */
export async function teamOfSender(ctx: BotContext): Promise<Team | undefined> {
  const programme = await programmeOf(ctx.deps);
  const team = await findTeamOfPerson(ctx.deps.db, programme.id, ctx.person.id);
  if (!team) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('needs.no_team'), show_alert: true });
    else await ctx.reply(ctx.t('needs.no_team'));
    return undefined;
  }
  return team;
}

needsAnalysisFeature.command('team', async (ctx) => {
  const team = await teamOfSender(ctx);
  if (team) await sendTeamMenu(ctx.deps, ctx.api, ctx.person, team);
});

needsAnalysisFeature.callbackQuery(/^na\|(s\|(\w{1,40})|review|view|reopen)$/, async (ctx) => {
  const { deps, t } = ctx;
  const team = await teamOfSender(ctx);
  if (!team) return;
  const analysis = await analysisOf(deps, team);
  const [, action, sectionId] = ctx.match;
  if (action === 'view') {
    await ctx.answerCallbackQuery();
    for (const text of summaryMessages(FORM, analysis.answers, t, `<b>${t('needs.view_title', { name: team.name })}</b>`)) await ctx.reply(text);
    return;
  }
  if (analysis.status === 'submitted' && action !== 'reopen') {
    return void (await ctx.answerCallbackQuery({ text: t('needs.locked'), show_alert: true }));
  }
  if (action === 'reopen') {
    if (analysis.status !== 'submitted' || team.reopenRequestedAt) return void (await ctx.answerCallbackQuery({ text: t('errors.stale_button'), show_alert: true }));
    await setReopenRequested(deps.db, team.id, deps.clock.now());
    await ctx.answerCallbackQuery();
    await ctx.reply(t('needs.reopen_requested'));
    const who = escapeHtml([ctx.person.firstName, ctx.person.lastName].filter(Boolean).join(' '));
    await notifyCoordinators(deps, ctx.api, (ct) =>
      ct('needs.coordinator_reopen_request', { team: escapeHtml(team.name), who, id: team.id, interpolation: { escapeValue: false } }),
    );
    return;
  }
  if (action === 'review') {
    await ctx.answerCallbackQuery();
    return enterForm(ctx, { responseId: analysis.id, start: 'review' });
  }
  const section = FORM.sections.find((s) => s.id === sectionId);
  if (!section) return void (await ctx.answerCallbackQuery({ text: t('errors.stale_button'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const progress = sectionProgress(FORM, analysis.answers).find((p) => p.sectionId === section.id)!;
  // A section with every required answer opens as its review, where any answer can be given or changed.
  await enterForm(ctx, { responseId: analysis.id, sectionId: section.id, ...(progress.missingRequired === 0 ? { start: 'review' as const } : {}) });
});

export const needsAnalysisBehaviour: FormBehaviour = {
  resumeHintKey: 'needs.resume_hint',
  submitLabelKey: 'needs.submit_button',
  reviewTitleKey: 'needs.review_title',
  lockedWhenSubmitted: true,
  lockedMessageKey: 'needs.locked',
  async afterSection({ deps, api, personId, response }) {
    const person = await findPersonById(deps.db, personId);
    const teamId = teamIdOf(response.ownerKey);
    const team = teamId === undefined ? null : await findTeam(deps.db, teamId);
    if (person && team) await sendTeamMenu(deps, api, person, team);
  },
  async submit({ deps, api, response, personId, locale }) {
    const t = deps.i18n.t(locale);
    if (response.status === 'submitted') return { ok: false, leave: true, message: t('needs.locked') };
    if (!isComplete(FORM, response.answers)) return { ok: false, leave: false, message: t('needs.incomplete') };
    await setResponseStatus(deps.db, response.id, 'submitted', deps.clock.now());
    const team = await findTeam(deps.db, teamIdOf(response.ownerKey)!);
    if (!team) return { ok: false, leave: true, message: t('errors.generic') };
    const submitter = await findPersonById(deps.db, personId);
    const who = escapeHtml([submitter?.firstName, submitter?.lastName].filter(Boolean).join(' '));
    await notifyCoordinators(deps, api, (ct) =>
      ct('needs.coordinator_submitted', { team: escapeHtml(team.name), who, id: team.id, interpolation: { escapeValue: false } }),
    );
    for (const member of await listMembers(deps.db, team.id)) {
      if (member.id !== personId) await notifyPerson(deps, api, member, (mt) => mt('needs.member_submitted', { who, interpolation: { escapeValue: false } }));
    }
    return { ok: true, messages: [t('needs.submitted')] };
  },
};
