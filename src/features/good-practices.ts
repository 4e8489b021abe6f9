import { type Api, Composer, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { findOrCreateResponse, findResponse, loadResponse, setResponseStatus } from '../db/form-responses.js';
import {
  createGoodPractice,
  deleteGoodPractice,
  findGoodPractice,
  goodPracticeAuthors,
  goodPracticeOwner,
  listGoodPracticesBy,
} from '../db/good-practices.js';
import { findPeopleByIds } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { findTeam, listMembers } from '../db/teams.js';
import { enterForm } from '../forms/engine/enter-form.js';
import { openAsPageKeyboard } from '../web/open-button.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { isComplete } from '../forms/engine/navigation.js';
import { summaryMessages } from '../forms/engine/summary.js';
import { goodPracticeForm } from '../forms/good-practice.js';
import { escapeHtml } from '../i18n.js';
import { notifyPerson } from '../notify.js';

/**
 * Good practices (handbook Annex 4): mentors and mentee teams describe what worked for
 * them; each side of a pair sees the other's. /practices lists them.
 */
export const goodPracticesFeature = new Composer<BotContext>();

const FORM = goodPracticeForm;

function practiceName(answers: Record<string, unknown>, fallback: string): string {
  return typeof answers.name === 'string' ? answers.name : fallback;
}

async function showPractices(ctx: BotContext): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const { own, partners } = await goodPracticeAuthors(deps.db, programme.id, ctx.person.id);
  if (own.length === 0) return void (await ctx.reply(t('practices.not_available')));
  const practices = await listGoodPracticesBy(deps.db, [...own, ...partners]);
  const lines = [`<b>${t('practices.title')}</b>`, t('practices.about')];
  const keyboard = new InlineKeyboard();
  for (const practice of practices) {
    const response = await findResponse(deps.db, { programmeId: programme.id, formId: FORM.id, ownerKey: goodPracticeOwner(practice.id) });
    const mine = own.includes(practice.authorKey);
    if (!mine && response?.status !== 'submitted') continue; // drafts stay with their authors
    const name = escapeHtml(practiceName(response?.answers ?? {}, t('practices.untitled')));
    const draft = response?.status === 'submitted' ? '' : ` <i>(${t('practices.draft')})</i>`;
    lines.push(`• ${name}${draft} — ${t(mine ? 'practices.by_you' : 'practices.by_pair')}`);
    keyboard.text(`📄 ${practiceName(response?.answers ?? {}, `#${practice.id}`).slice(0, 30)}`, `gp|v|${practice.id}`);
    if (mine) keyboard.text('✏️', `gp|e|${practice.id}`).text('✖', `gp|d|${practice.id}`);
    keyboard.row();
  }
  if (practices.length === 0) lines.push(t('practices.none'));
  keyboard.text(t('practices.add_button'), 'gp|add');
  await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
}

goodPracticesFeature.command('practices', showPractices);

goodPracticesFeature.callbackQuery(/^gp\|(list|add|(v|e|d|dy)\|(\d{1,9}))$/, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const { own, partners } = await goodPracticeAuthors(deps.db, programme.id, ctx.person.id);
  const [, action, verb, id] = ctx.match;
  if (own.length === 0) return void (await ctx.answerCallbackQuery({ text: t('practices.not_available'), show_alert: true }));
  if (action === 'list') {
    await ctx.answerCallbackQuery();
    return showPractices(ctx);
  }
  if (action === 'add') {
    // A team member writes for the team; a mentor for themself.
    const author = own.find((key) => key.startsWith('team:')) ?? own[0]!;
    const practice = await createGoodPractice(deps.db, { programmeId: programme.id, authorKey: author, createdById: ctx.person.id });
    const response = await findOrCreateResponse(deps.db, { programmeId: programme.id, formId: FORM.id, ownerKey: goodPracticeOwner(practice.id) });
    await ctx.answerCallbackQuery();
    const page = openAsPageKeyboard(deps.config, t, response.id);
    await ctx.reply(t('practices.intro'), page ? { reply_markup: page } : {});
    return enterForm(ctx, { responseId: response.id });
  }
  const practice = await findGoodPractice(deps.db, Number(id));
  const mine = practice !== null && own.includes(practice.authorKey);
  const visible = practice !== null && (mine || partners.includes(practice.authorKey));
  const response = practice ? await findResponse(deps.db, { programmeId: programme.id, formId: FORM.id, ownerKey: goodPracticeOwner(practice.id) }) : undefined;
  if (!practice && (verb === 'd' || verb === 'dy')) return void (await ctx.answerCallbackQuery({ text: t('practices.already_deleted'), show_alert: true }));
  if (!practice || !visible || !response || (verb !== 'v' && !mine) || (!mine && response.status !== 'submitted')) {
    return void (await ctx.answerCallbackQuery({ text: t('errors.stale_button'), show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  if (verb === 'v') {
    for (const text of summaryMessages(FORM, response.answers, t, `<b>${escapeHtml(practiceName(response.answers, t('practices.untitled')))}</b>`)) {
      await ctx.reply(text);
    }
    return;
  }
  if (verb === 'e') {
    const page = openAsPageKeyboard(deps.config, t, response.id);
    if (page) await ctx.reply(t('web.open_hint'), { reply_markup: page });
    return enterForm(ctx, { responseId: response.id, ...(isComplete(FORM, response.answers) ? { start: 'review' as const } : {}) });
  }
  if (verb === 'd') {
    // A whole written practice is not lost to one tap: ✖ asks first.
    const name = practiceName(response.answers, t('practices.untitled'));
    await ctx.reply(t('practices.delete_confirm', { name }), {
      reply_markup: new InlineKeyboard().text(t('practices.delete_yes'), `gp|dy|${practice.id}`).text(t('practices.delete_no'), 'gp|list'),
    });
    return;
  }
  await deleteGoodPractice(deps.db, practice.id);
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(t('practices.deleted'));
  await showPractices(ctx);
});

export const goodPracticeBehaviour: FormBehaviour = {
  resumeHintKey: 'practices.resume_hint',
  submitLabelKey: 'practices.submit_button',
  reviewTitleKey: 'practices.review_title',
  async submit({ deps, api, response, personId, locale }) {
    const t = deps.i18n.t(locale);
    if (!isComplete(FORM, response.answers)) return { ok: false, leave: false, message: t('practices.incomplete') };
    const first = response.status !== 'submitted';
    await setResponseStatus(deps.db, response.id, 'submitted', deps.clock.now());
    if (first) await tellPartners(deps, api, response.id, personId);
    return { ok: true, messages: [t('practices.saved')] };
  },
};

/** The other side of the pair hears about a new good practice. */
async function tellPartners(deps: AppDeps, api: Api, responseId: number, personId: number): Promise<void> {
  const programme = await programmeOf(deps);
  const response = await loadResponse(deps.db, responseId);
  const practiceId = Number(response?.ownerKey.split(':')[1]);
  const practice = await findGoodPractice(deps.db, practiceId);
  if (!response || !practice) return;
  const { partners } = await goodPracticeAuthors(deps.db, programme.id, personId);
  const name = escapeHtml(practiceName(response.answers, '—'));
  for (const key of partners) {
    const [kind, id] = key.split(':');
    const recipients = kind === 'team' ? (await findTeam(deps.db, Number(id)) ? await listMembers(deps.db, Number(id)) : []) : await findPeopleByIds(deps.db, [Number(id)]);
    for (const person of recipients) {
      await notifyPerson(deps, api, person, (pt) => pt('practices.shared_notice', { name, interpolation: { escapeValue: false } }));
    }
  }
}
