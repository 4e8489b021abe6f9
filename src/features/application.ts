import { type Api, Composer, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { applicationAccess } from '../domain/application-access.js';
import type { Programme } from '../db/database.js';
import { findOrCreateResponse, findResponse, personOwner, type ResponseSnapshot, setResponseStatus } from '../db/form-responses.js';
import { findApplication } from '../db/applications.js';
import { recordAudit } from '../db/audit.js';
import { findMentor, type Mentor } from '../db/mentors.js';
import { programmeOf } from '../db/programmes.js';
import { findTeamOfPerson, listMembers } from '../db/teams.js';
import { applicationStatus } from '../domain/application-status.js';
import { enterForm } from '../forms/engine/enter-form.js';
import type { FormBehaviour, SubmitInput } from '../forms/engine/form-conversation.js';
import { isComplete, visibleQuestions } from '../forms/engine/navigation.js';
import { formatAnswer } from '../forms/engine/render.js';
import { summaryMessages } from '../forms/engine/summary.js';
import { mentorApplicationForm } from '../forms/mentor-application.js';
import { escapeHtml, type Translate } from '../i18n.js';
import type { Locale } from '../locales.js';
import { localTimeText } from '../local-time-text.js';
import { notifyCoordinators, notifyPerson } from '../notify.js';
import { programmeName } from '../domain/programme-name.js';
import { openAsPageKeyboard } from '../web/open-button.js';

/** The call for mentors: /apply (or the ?start=apply link), /myapplication, edit and withdraw. */
export const applicationFeature = new Composer<BotContext>();

const FORM = mentorApplicationForm;

function deadlineText(t: Translate, programme: Programme, locale: Locale): string | undefined {
  return programme.applicationDeadline ? localTimeText(t, programme.applicationDeadline, programme.timeZone, locale) : undefined;
}

/**
 * The call's intro is the same for everyone in a language, given the programme and how far
 * they are: worked out once. The deadline in two zones and the programme's name are the
 * dearest part of /apply's own work, and a call that opens brings many applicants at once.
 */
const intros = new Map<string, string>();
const MAX_INTROS = 1000;

function introText(t: Translate, locale: Locale, programme: Programme, closingSoon: boolean, answered: number, total: number): string {
  const { name, localizedNames, applicationDeadline, timeZone } = programme;
  const key = JSON.stringify([locale, name, localizedNames, applicationDeadline?.getTime(), timeZone, closingSoon, answered, total]);
  let text = intros.get(key);
  if (text === undefined) {
    const deadline = deadlineText(t, programme, locale);
    const parts = [t('application.intro', { programme: programmeName(programme, locale) })];
    if (deadline) parts.push(t('application.deadline', { deadline }));
    if (closingSoon) parts.push(`⚠️ ${t('application.closing_soon', { deadline })}`);
    parts.push(answered > 0 ? t('application.resuming', { answered, total }) : t('application.how_it_works'));
    text = parts.join('\n\n');
    if (intros.size >= MAX_INTROS) intros.clear();
    intros.set(key, text);
  }
  return text;
}

function applicationKey(programme: Programme, personId: number) {
  return { programmeId: programme.id, formId: FORM.id, ownerKey: personOwner(personId) };
}

async function startApplication(ctx: BotContext): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const access = applicationAccess(programme, deps.clock.now());
  const key = applicationKey(programme, ctx.person.id);
  // While the call is open the draft is made at once (one statement for someone new); otherwise only read.
  const found = access.state === 'open' ? await findOrCreateResponse(deps.db, key) : await findResponse(deps.db, key);
  // A mentor who left does not slip back in through a new application.
  if (found?.status === 'withdrawn' && (await findMentor(deps.db, programme.id, ctx.person.id))) {
    await ctx.reply(t('application.left_already'));
    return;
  }
  if (access.state === 'not_open') {
    await ctx.reply(t('application.not_open'));
    return;
  }
  if (access.state === 'closed') {
    await ctx.reply(t('application.closed', { deadline: deadlineText(t, programme, ctx.locale) }));
    return;
  }
  // The call is open: found is the draft made or the response there was.
  let response = found!;
  if (response.status === 'submitted') {
    await ctx.reply(t('application.already_submitted'));
    return;
  }
  if (response.status === 'withdrawn') {
    await setResponseStatus(deps.db, response.id, 'draft', deps.clock.now());
    response = { ...response, status: 'draft' };
  }
  const answered = Object.keys(response.answers).length;
  const total = answered > 0 ? visibleQuestions(FORM, response.answers).length : 0;
  const page = openAsPageKeyboard(deps.config, t, response.id);
  await ctx.reply(introText(t, ctx.locale, programme, access.closingSoon, answered, total), page ? { reply_markup: page } : {});
  // All the form needs to show its first question is read already.
  await enterForm(ctx, { responseId: response.id, known: { response, consentText: programme.consentText ?? null, locale: ctx.locale } });
}

applicationFeature.command('apply', startApplication);
applicationFeature.command('start').filter((ctx) => ctx.match === 'apply', startApplication);

async function showMyApplication(ctx: BotContext): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const response = await findResponse(deps.db, applicationKey(programme, ctx.person.id));
  if (!response || response.status === 'draft') {
    const started = response !== undefined && Object.keys(response.answers).length > 0;
    // Someone in a mentee team (or a coordinator) has no application to show: say what fits their role instead of /apply.
    const team = started ? null : await findTeamOfPerson(deps.db, programme.id, ctx.person.id);
    if (team) return void (await ctx.reply(t('application.none_team_member', { team: team.name })));
    if (!started && ctx.isCoordinator) return void (await ctx.reply(t('application.none_coordinator')));
    await ctx.reply(t(started ? 'application.none_submitted_draft' : 'application.none_submitted'));
    return;
  }
  const open = applicationAccess(programme, deps.clock.now()).state === 'open';
  const mentor = await findMentor(deps.db, programme.id, ctx.person.id);
  const status =
    response.status === 'withdrawn'
      ? t(mentor ? 'application.status_left' : 'application.status_withdrawn')
      : [
          t('application.status_submitted', { date: localTimeText(t, new Date(response.submittedAt!), programme.timeZone, ctx.locale) }),
          t(`application.decision_${await toldDecision(ctx, response.id)}`),
        ].join('\n');
  const messages = summaryMessages(FORM, response.answers, t, `<b>${t('application.my_title')}</b>\n${status}`);
  const keyboard = new InlineKeyboard();
  if (mentor && response.status === 'submitted') {
    // Accepted: no withdrawing and applying again; changes stay possible, leaving is its own path.
    keyboard.text(t('application.edit_button'), 'app|edit').text(t('application.leave_button'), 'app|leave');
    messages.push(t('application.accepted_hint'));
  } else if (mentor) {
    // Left the programme: nothing more to do here.
  } else if (open && response.status === 'submitted') {
    keyboard.text(t('application.edit_button'), 'app|edit').text(t('application.withdraw_button'), 'app|withdraw');
  } else if (open && response.status === 'withdrawn') {
    messages.push(t('application.reapply_hint'));
  } else {
    messages.push(t('application.changes_closed'));
  }
  for (const [i, text] of messages.entries()) {
    await ctx.reply(text, i === messages.length - 1 && keyboard.inline_keyboard.flat().length > 0 ? { reply_markup: keyboard } : {});
  }
}

applicationFeature.command('myapplication', showMyApplication);

/** The decision the applicant has been told of: decisions not yet sent can still be undone, so they are not shown. */
async function toldDecision(ctx: BotContext, responseId: number): Promise<string> {
  const row = await findApplication(ctx.deps.db, responseId);
  const status = row ? applicationStatus(row.status, row.decisions.filter((d) => d.sentAt)) : 'new';
  return status === 'withdrawn' ? 'new' : status;
}

async function mentorOf(ctx: BotContext): Promise<Mentor | null> {
  return findMentor(ctx.deps.db, (await programmeOf(ctx.deps)).id, ctx.person.id);
}

/**
 * Edit, withdraw and leave buttons check everything again: the message may be old and the deadline
 * passed since. An accepted mentor may change their application after the deadline too.
 */
async function submittedApplicationOrRefuse(ctx: BotContext, mentorMay = false): Promise<ResponseSnapshot | undefined> {
  const programme = await programmeOf(ctx.deps);
  const response = await findResponse(ctx.deps.db, applicationKey(programme, ctx.person.id));
  if (!response || response.status !== 'submitted') {
    await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
    return undefined;
  }
  if (mentorMay && (await mentorOf(ctx))) return response;
  if (applicationAccess(programme, ctx.deps.clock.now()).state !== 'open') {
    await ctx.answerCallbackQuery({ text: ctx.t('application.changes_closed'), show_alert: true });
    return undefined;
  }
  return response;
}

applicationFeature.callbackQuery('app|edit', async (ctx) => {
  const response = await submittedApplicationOrRefuse(ctx, true);
  if (!response) return;
  await ctx.answerCallbackQuery();
  await enterForm(ctx, { responseId: response.id, start: 'review' });
});

/** An accepted mentor leaves instead (and their team must be told), so withdrawing is refused. */
async function refuseMentor(ctx: BotContext): Promise<boolean> {
  if (!(await mentorOf(ctx))) return false;
  await ctx.answerCallbackQuery({ text: ctx.t('application.accepted_no_withdraw'), show_alert: true });
  return true;
}

applicationFeature.callbackQuery('app|withdraw', async (ctx) => {
  if (await refuseMentor(ctx)) return;
  if (!(await submittedApplicationOrRefuse(ctx))) return;
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('application.withdraw_confirm'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('application.withdraw_yes'), 'app|withdraw_yes')
      .text(ctx.t('application.withdraw_no'), 'app|withdraw_no'),
  });
});

applicationFeature.callbackQuery('app|withdraw_yes', async (ctx) => {
  if (await refuseMentor(ctx)) return;
  const response = await submittedApplicationOrRefuse(ctx);
  if (!response) return;
  await setResponseStatus(ctx.deps.db, response.id, 'withdrawn', ctx.deps.clock.now());
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('application.withdrawn'));
  const name = applicantName(response);
  await notifyCoordinators(ctx.deps, ctx.api, (t) => t('application.coordinator_withdrawn', { id: response.id, name }));
});

applicationFeature.callbackQuery('app|withdraw_no', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('application.withdraw_kept'));
});

// ---- An accepted mentor leaving the programme ----

applicationFeature.callbackQuery('app|leave', async (ctx) => {
  if (!(await mentorOf(ctx)) || !(await submittedApplicationOrRefuse(ctx, true))) return;
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('application.leave_confirm'), {
    reply_markup: new InlineKeyboard().text(ctx.t('application.leave_yes'), 'app|leave_yes').text(ctx.t('application.leave_no'), 'app|leave_no'),
  });
});

/**
 * Leaving marks the application withdrawn (so the review and /myapplication show it) and is
 * audited; active pairs are left to the coordinators to end or reassign, and the teams are told.
 */
applicationFeature.callbackQuery('app|leave_yes', async (ctx) => {
  const { deps } = ctx;
  const mentor = await mentorOf(ctx);
  const response = mentor ? await submittedApplicationOrRefuse(ctx, true) : undefined;
  if (!mentor || !response) {
    if (!mentor) await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
    return;
  }
  const now = deps.clock.now();
  await setResponseStatus(deps.db, response.id, 'withdrawn', now);
  const pairs = await deps.db.pair.findMany({ where: { mentorId: mentor.id, status: 'active' }, orderBy: { id: 'asc' } });
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'mentor_left', details: { applications: [response.id], mentorId: mentor.id, pairs: pairs.map((p) => p.id) }, at: now });
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('application.left'));
  const name = escapeHtml(applicantName(response));
  await notifyCoordinators(deps, ctx.api, (t) =>
    t('application.coordinator_left', { id: response.id, name, pairs: pairs.length, interpolation: { escapeValue: false } }),
  );
  for (const pair of pairs) {
    for (const member of await listMembers(deps.db, pair.teamId)) {
      await notifyPerson(deps, ctx.api, member, (t) => t('application.team_mentor_left', { name, interpolation: { escapeValue: false } }));
    }
  }
});

applicationFeature.callbackQuery('app|leave_no', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('application.stayed'));
});

export function applicantName(response: ResponseSnapshot): string {
  const name = response.answers.full_name;
  return typeof name === 'string' ? name : `#${response.id}`;
}

export function applicantExpertise(response: ResponseSnapshot, t: Translate): string {
  const question = FORM.sections.flatMap((s) => s.questions).find((q) => q.id === 'expertise_areas')!;
  const value = response.answers.expertise_areas;
  return value ? formatAnswer(FORM, question, value, t) : '—';
}

/** Submitting the application form: deadline and completeness checked again, a receipt, a notice to coordinators. */
export const applicationBehaviour: FormBehaviour = {
  resumeHintKey: 'application.resume_hint',
  submitLabelKey: 'application.submit_button',
  reviewTitleKey: 'application.review_title',
  async submit({ deps, api, response, personId, locale }: SubmitInput) {
    const t = deps.i18n.t(locale);
    const programme = await programmeOf(deps);
    const access = applicationAccess(programme, deps.clock.now());
    const mentor = response.status === 'submitted' ? await findMentor(deps.db, programme.id, personId) : null;
    if (access.state !== 'open' && !mentor) {
      const deadline = deadlineText(t, programme, locale);
      return { ok: false, leave: true, message: access.state === 'closed' ? t('application.closed', { deadline }) : t('application.not_open') };
    }
    if (!isComplete(FORM, response.answers)) return { ok: false, leave: false, message: t('application.incomplete') };
    const firstTime = response.status !== 'submitted';
    await setResponseStatus(deps.db, response.id, 'submitted', deps.clock.now());
    if (firstTime) await announce(deps, api, response);
    // The coordinators matched and paired this mentor on these answers: they must know of a change.
    if (mentor) {
      const name = escapeHtml(applicantName(response));
      await notifyCoordinators(deps, api, (t) => t('application.coordinator_mentor_changed', { id: response.id, name, interpolation: { escapeValue: false } }));
    }
    const header = `<b>${t(firstTime ? 'application.received' : 'application.updated')}</b>\n${t('application.receipt_hint')}`;
    return { ok: true, messages: summaryMessages(FORM, response.answers, t, header) };
  },
};

async function announce(deps: AppDeps, api: Api, response: ResponseSnapshot): Promise<void> {
  const name = escapeHtml(applicantName(response));
  // The expertise line is already HTML-escaped, so nothing is escaped twice.
  await notifyCoordinators(deps, api, (t) =>
    t('application.coordinator_notice', { id: response.id, name, expertise: applicantExpertise(response, t), interpolation: { escapeValue: false } }),
  );
}
