import { createHash } from 'node:crypto';
import { type Conversation, createConversation } from '@grammyjs/conversations';
import { Composer, type Context, GrammyError, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import {
  type ApplicationDecision,
  type ApplicationRow,
  decisionsOfAction,
  findApplication,
  listApplications,
  setUnsentMessage,
  unsentDecisions,
} from '../db/applications.js';
import { recordAudit } from '../db/audit.js';
import type { Person } from '../db/database.js';
import { loadResponse } from '../db/form-responses.js';
import { findMentorByApplication, MAX_CAPACITY, MIN_CAPACITY, setMentorCapacity } from '../db/mentors.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import {
  type ApplicationStatus,
  applicationStatus,
  checkDecision,
  currentDecision,
  type Decision,
  DECISIONS,
  isDecision,
} from '../domain/application-status.js';
import { localTimeText } from '../local-time-text.js';
import { summaryMessages } from '../forms/engine/summary.js';
import { APPLICATION_EXPERTISE, mentorApplicationForm } from '../forms/mentor-application.js';
import { escapeHtml } from '../i18n.js';
import { isLocale, type Locale } from '../locales.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { addConsoleButton } from '../web/open-button.js';
import { applicantName } from './application.js';
import { decide, MAX_OWN_TEXT, sendDecisions, sendReport, undoDecisions } from './review-actions.js';

/**
 * The coordinators' review of mentor applications: /applications lists them by status
 * and expertise, /application_<number> opens one. Decisions (shortlist, accept, reject),
 * one at a time or several at once, wait until a coordinator presses Send; until then
 * they can be undone and their message replaced. A sent acceptance makes the applicant a mentor.
 */
export const applicationsReviewFeature = new Composer<BotContext>();

const PAGE_SIZE = 10;
const OWN_TEXT_CONVERSATION = 'review_own_text';

/** A coordinator who asked to write their own text and then went away is not held to it forever. */
const OWN_TEXT_WAIT_MS = 6 * 60 * 60 * 1000;
/** Long names are cut in lists so that ten of them fit one message and buttons stay readable. */
const NAME_IN_LIST = 60;
const NAME_ON_BUTTON = 18;

// ---- Callback data: rv|<action>|… (each part validated by the handler's pattern) ----

const FILTERS = { a: 'all', n: 'new', s: 'shortlisted', y: 'accepted', r: 'rejected', w: 'withdrawn' } as const;
type FilterCode = keyof typeof FILTERS;
type Filter = (typeof FILTERS)[FilterCode];
const FILTER_CODES = Object.keys(FILTERS) as FilterCode[];

const DECISION_CODES: Record<Decision, string> = { shortlisted: 's', accepted: 'y', rejected: 'r' };
const DECISION_BY_CODE = new Map(Object.entries(DECISION_CODES).map(([decision, code]) => [code, decision as Decision]));

interface ListState {
  f: FilterCode;
  /** Index in APPLICATION_EXPERTISE, or undefined for any expertise. */
  e: number | undefined;
  p: number;
}

const listKey = (s: ListState) => `${s.f}|${s.e ?? '-'}|${s.p}`;
const listData = (s: ListState) => `rv|l|${listKey(s)}`;
const LIST_PART = '([anysrw])\\|([0-5-])\\|(\\d{1,4})';

function parseListState(f: string, e: string, p: string): ListState {
  return { f: f as FilterCode, e: e === '-' ? undefined : Number(e), p: Number(p) };
}

type View = { text: string; keyboard: InlineKeyboard };

// ---- Small helpers ----

const isWaiting = (d: ApplicationDecision) => !d.sentAt && !d.undoneAt;
const statusOf = (row: ApplicationRow): ApplicationStatus => applicationStatus(row.status, row.decisions);

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function personName(person: Pick<Person, 'firstName' | 'lastName'> | null | undefined): string {
  return person ? [person.firstName, person.lastName].filter(Boolean).join(' ') : '—';
}

function nameOf(row: ApplicationRow): string {
  return row.name ?? `#${row.id}`;
}

function localeOf(ctx: BotContext, person: Person | null | undefined): Locale {
  return isLocale(person?.language) ? person.language : ctx.deps.config.defaultLocale;
}


/** Can a decision be made on it at all (from the selection)? Withdrawn and told-accepted ones cannot. */
function selectable(row: ApplicationRow): boolean {
  return DECISIONS.some((d) => checkDecision(row.status, row.decisions, d) === 'ok');
}

function fingerprint(rows: ApplicationRow[]): string {
  return createHash('sha256').update(rows.map((r) => r.id).join(',')).digest('hex').slice(0, 6);
}

/** The keyboard without empty rows; none at all when there is no button. */
function markup(keyboard: InlineKeyboard) {
  return { inline_keyboard: keyboard.inline_keyboard.filter((row) => row.length > 0) };
}

async function show(ctx: BotContext, view: View, how: 'edit' | 'reply'): Promise<void> {
  const reply_markup = markup(view.keyboard);
  if (how === 'edit' && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(view.text, { reply_markup });
      return;
    } catch (error) {
      if (error instanceof GrammyError && /not modified/.test(error.description)) return;
      if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
      // Too old to edit: the fresh view comes as a new message.
    }
  }
  await ctx.reply(view.text, reply_markup.inline_keyboard.length > 0 ? { reply_markup } : {});
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
}

async function audit(ctx: BotContext, action: string, details: Record<string, unknown>): Promise<void> {
  await recordAudit(ctx.deps.db, { actorId: ctx.person.id, action, details, at: ctx.deps.clock.now() });
}

// ---- The list ----

interface ListPage {
  state: ListState;
  rows: ApplicationRow[];
  total: number;
  pages: number;
  unsent: number;
}

async function loadList(ctx: BotContext, state: ListState): Promise<ListPage> {
  const programme = await programmeOf(ctx.deps);
  const all = await listApplications(ctx.deps.db, programme.id);
  const filter: Filter = FILTERS[state.f];
  const theme = state.e === undefined ? undefined : APPLICATION_EXPERTISE[state.e];
  const matching = all.filter((row) => (filter === 'all' || statusOf(row) === filter) && (!theme || row.expertise.includes(theme)));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const p = Math.min(state.p, pages - 1);
  return {
    state: { ...state, p },
    rows: matching.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE),
    total: matching.length,
    pages,
    unsent: all.flatMap((r) => r.decisions).filter(isWaiting).length,
  };
}

function listHeader(ctx: BotContext, list: ListPage): string {
  const { t } = ctx;
  const theme = list.state.e === undefined ? undefined : APPLICATION_EXPERTISE[list.state.e];
  return [
    `<b>${t('review.list_title')}</b>`,
    t('review.list_showing', {
      filter: t(`review.filter.${FILTERS[list.state.f]}`),
      expertise: theme ? t(`themes.${theme}`) : t('review.any_expertise'),
      count: list.total,
    }),
    t('review.list_page', { page: list.state.p + 1, pages: list.pages }),
  ].join('\n');
}

function rowLine(ctx: BotContext, row: ApplicationRow): string {
  const status = statusOf(row);
  const waiting = row.decisions.some(isWaiting) && status !== 'withdrawn' ? ` (${ctx.t('review.not_sent_mark')})` : '';
  return `<b>#${row.id}</b> ${escapeHtml(shorten(nameOf(row), NAME_IN_LIST))} — ${ctx.t(`review.status.${status}`)}${waiting}`;
}

function listView(ctx: BotContext, list: ListPage): View {
  const { t } = ctx;
  const lines = list.rows.map((row) => `${rowLine(ctx, row)} · /application_${row.id}`);
  const body = lines.length > 0 ? `${lines.join('\n')}\n\n${t('review.list_open_hint')}` : t('review.list_empty');
  const keyboard = new InlineKeyboard();
  FILTER_CODES.forEach((f, i) => {
    const label = t(`review.filter.${FILTERS[f]}`);
    keyboard.text(f === list.state.f ? `✓ ${label}` : label, listData({ f, e: list.state.e, p: 0 }));
    if (i % 3 === 2) keyboard.row();
  });
  const theme = list.state.e === undefined ? undefined : APPLICATION_EXPERTISE[list.state.e];
  keyboard
    .text(t('review.expertise_button', { expertise: theme ? t(`themes.${theme}`) : t('review.any_expertise') }), `rv|e|${listKey(list.state)}`)
    .row();
  if (list.state.p > 0) keyboard.text(t('review.prev_button'), listData({ ...list.state, p: list.state.p - 1 }));
  if (list.state.p < list.pages - 1) keyboard.text(t('review.next_button'), listData({ ...list.state, p: list.state.p + 1 }));
  keyboard.row();
  if (list.rows.some(selectable)) keyboard.text(t('review.select_button'), `rv|s|${listKey(list.state)}|0|${fingerprint(list.rows)}`).row();
  if (list.unsent > 0) keyboard.text(t('review.unsent_button', { count: list.unsent }), 'rv|p').row();
  addConsoleButton(keyboard, ctx.deps.config, t, 'applications');
  return { text: `${listHeader(ctx, list)}\n\n${body}`, keyboard };
}

function expertiseView(ctx: BotContext, list: ListPage): View {
  const { t } = ctx;
  const keyboard = new InlineKeyboard();
  APPLICATION_EXPERTISE.forEach((theme, i) => {
    const label = t(`themes.${theme}`);
    keyboard.text(list.state.e === i ? `✓ ${label}` : label, listData({ f: list.state.f, e: i, p: 0 })).row();
  });
  keyboard.text(t('review.any_expertise_button'), listData({ f: list.state.f, e: undefined, p: 0 })).row();
  keyboard.text(t('review.back_button'), listData(list.state));
  return { text: `${listHeader(ctx, list)}\n\n${t('review.expertise_prompt')}`, keyboard };
}

function selectionView(ctx: BotContext, list: ListPage, mask: number): View {
  const { t } = ctx;
  const fp = fingerprint(list.rows);
  const selectData = (m: number) => `rv|s|${listKey(list.state)}|${m.toString(36)}|${fp}`;
  const lines = list.rows.map((row, i) => {
    const mark = !selectable(row) ? '▫️' : mask & (1 << i) ? '☑️' : '⬜';
    return `${mark} ${rowLine(ctx, row)}`;
  });
  const keyboard = new InlineKeyboard();
  let inRow = 0;
  let all = 0;
  list.rows.forEach((row, i) => {
    if (!selectable(row)) return;
    all |= 1 << i;
    const on = (mask & (1 << i)) !== 0;
    keyboard.text(`${on ? '☑️' : '⬜'} #${row.id} ${shorten(nameOf(row), NAME_ON_BUTTON)}`, selectData(mask ^ (1 << i)));
    if (++inRow % 2 === 0) keyboard.row();
  });
  keyboard.row();
  const count = list.rows.filter((row, i) => selectable(row) && mask & (1 << i)).length;
  if (count > 0) {
    for (const decision of DECISIONS) {
      keyboard.text(t(`review.decide_count.${decision}`, { count }), `rv|b|${DECISION_CODES[decision]}|${listKey(list.state)}|${mask.toString(36)}|${fp}`).row();
    }
  }
  keyboard.text(t('review.select_all_button'), selectData(all)).text(t('review.select_none_button'), selectData(0)).row();
  keyboard.text(t('review.done_button'), listData(list.state));
  return { text: `${listHeader(ctx, list)}\n\n${t('review.select_title')}\n\n${lines.join('\n')}`, keyboard };
}

applicationsReviewFeature.use(createConversation(ownTextConversation, OWN_TEXT_CONVERSATION));

applicationsReviewFeature.command('applications', coordinatorOnly, async (ctx) => {
  await show(ctx, listView(ctx, await loadList(ctx, { f: 'a', e: undefined, p: 0 })), 'reply');
});

applicationsReviewFeature.callbackQuery(new RegExp(`^rv\\|l\\|${LIST_PART}$`), coordinatorOnly, async (ctx) => {
  const list = await loadList(ctx, parseListState(ctx.match[1]!, ctx.match[2]!, ctx.match[3]!));
  await ctx.answerCallbackQuery();
  await show(ctx, listView(ctx, list), 'edit');
});

applicationsReviewFeature.callbackQuery(new RegExp(`^rv\\|e\\|${LIST_PART}$`), coordinatorOnly, async (ctx) => {
  const list = await loadList(ctx, parseListState(ctx.match[1]!, ctx.match[2]!, ctx.match[3]!));
  await ctx.answerCallbackQuery();
  await show(ctx, expertiseView(ctx, list), 'edit');
});

/** Reads the selection of a page; a page that changed since the buttons were drawn starts the selection again. */
async function selectionOf(ctx: BotContext, parts: string[]): Promise<{ list: ListPage; mask: number } | undefined> {
  const [f, e, p, m, fp] = parts as [string, string, string, string, string];
  const mask = parseInt(m, 36);
  if (!Number.isInteger(mask) || mask < 0 || mask >= 1 << PAGE_SIZE) {
    await stale(ctx);
    return undefined;
  }
  const list = await loadList(ctx, parseListState(f, e, p));
  if (fingerprint(list.rows) !== fp || list.state.p !== Number(p)) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.list_changed'), show_alert: true });
    await show(ctx, list.rows.some(selectable) ? selectionView(ctx, list, 0) : listView(ctx, list), 'edit');
    return undefined;
  }
  return { list, mask };
}

const SELECTION_PART = `${LIST_PART}\\|([0-9a-z]{1,3})\\|([0-9a-f]{6})`;

applicationsReviewFeature.callbackQuery(new RegExp(`^rv\\|s\\|${SELECTION_PART}$`), coordinatorOnly, async (ctx) => {
  const selection = await selectionOf(ctx, (ctx.match as RegExpMatchArray).slice(1, 6));
  if (!selection) return;
  const { list, mask } = selection;
  if (list.rows.some((row, i) => mask & (1 << i) && !selectable(row))) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.cannot_select'), show_alert: true });
    await show(ctx, selectionView(ctx, list, mask & list.rows.reduce((m, row, i) => (selectable(row) ? m | (1 << i) : m), 0)), 'edit');
    return;
  }
  await ctx.answerCallbackQuery();
  await show(ctx, selectionView(ctx, list, mask), 'edit');
});

applicationsReviewFeature.callbackQuery(new RegExp(`^rv\\|b\\|([syr])\\|${SELECTION_PART}$`), coordinatorOnly, async (ctx) => {
  const decision = DECISION_BY_CODE.get(ctx.match[1]!)!;
  const selection = await selectionOf(ctx, (ctx.match as RegExpMatchArray).slice(2, 7));
  if (!selection) return;
  const { list, mask } = selection;
  const chosen = list.rows.filter((_, i) => mask & (1 << i));
  if (chosen.length === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.select_first'), show_alert: true });
    return;
  }
  const eligible = chosen.filter((row) => checkDecision(row.status, row.decisions, decision) === 'ok');
  if (eligible.length === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.nothing_to_change'), show_alert: true });
    return;
  }
  const created = await decide(ctx, eligible, decision);
  await ctx.answerCallbackQuery({ text: ctx.t('review.recorded') });
  await show(ctx, listView(ctx, await loadList(ctx, list.state)), 'edit');
  if (eligible.length < chosen.length) await ctx.reply(ctx.t('review.unchanged_count', { count: chosen.length - eligible.length }));
  await show(ctx, await actionView(ctx, created), 'reply');
});

// ---- Deciding, sending, undoing ----

/** One coordinator action's decisions: who, when, whether sent, and the message waiting to go. */
async function actionView(ctx: BotContext, decisions: ApplicationDecision[]): Promise<View> {
  const { t, deps } = ctx;
  const programme = await programmeOf(ctx.deps);
  const when = (date: Date) => localTimeText(t, date, programme.timeZone, ctx.locale);
  const kinds = new Set(decisions.map((d) => d.decision));
  const uniform = kinds.size === 1 && isDecision(decisions[0]?.decision) ? decisions[0].decision : undefined;
  const lines = [`<b>${uniform ? t(`review.decision_title.${uniform}`) : t('review.action_title')}</b>`];
  const applicants = new Map<number, { row: ApplicationRow | undefined; person: Person | null }>();
  for (const d of decisions) {
    const row = await findApplication(deps.db, d.responseId);
    const person = row?.personId ? await findPersonById(deps.db, row.personId) : null;
    applicants.set(d.id, { row, person });
    const state = d.undoneAt ? t('review.line_undone') : d.sentAt ? t('review.line_sent', { date: when(d.sentAt) }) : t('review.line_waiting');
    const label = uniform || !isDecision(d.decision) ? '' : `${t(`review.status.${d.decision}`)} `;
    const name = escapeHtml(shorten(row ? nameOf(row) : '—', NAME_IN_LIST));
    const language = deps.i18n.t(localeOf(ctx, person))('language_name');
    lines.push(`• ${label}<b>#${d.responseId}</b> ${name} (${escapeHtml(language)}) — ${state}`);
  }
  const head = decisions[0];
  if (head) {
    const decider = await findPersonById(deps.db, head.decidedById);
    lines.push(t('review.decided_by', { name: personName(decider), date: when(head.decidedAt) }));
  }
  const waiting = decisions.filter(isWaiting);
  const keyboard = new InlineKeyboard();
  if (waiting.length > 0 && head) {
    const first = waiting[0]!;
    const same = waiting.every((d) => d.message === first.message);
    const who = applicants.get(first.id);
    const language = deps.i18n.t(localeOf(ctx, who?.person))('language_name');
    lines.push(
      '',
      waiting.length === 1
        ? t('review.waiting_intro', { language })
        : same
          ? t('review.waiting_intro_same')
          : t('review.waiting_intro_many', { name: who?.row ? nameOf(who.row) : '—', language }),
      `<blockquote>${first.message}</blockquote>`,
      t('review.waiting_hint'),
    );
    actionButtons(ctx, keyboard, head.id, decisions.at(-1)!.id, 'b');
  } else {
    lines.push('', t('review.all_done'));
  }
  return { text: lines.join('\n'), keyboard };
}

function actionButtons(ctx: BotContext, keyboard: InlineKeyboard, first: number, last: number, view: 'a' | 'b'): void {
  const ref = `${first}|${last}|${view}`;
  keyboard
    .text(ctx.t('review.send_button'), `rv|send|${ref}`)
    .text(ctx.t('review.own_text_button'), `rv|text|${ref}`)
    .row()
    .text(ctx.t('review.undo_button'), `rv|undo|${ref}`)
    .row();
}

/** The review part of one application: status, decisions so far, the message waiting, what can be done. */
async function applicationView(ctx: BotContext, row: ApplicationRow): Promise<View> {
  const { t, deps } = ctx;
  const programme = await programmeOf(ctx.deps);
  const when = (date: Date) => localTimeText(t, date, programme.timeZone, ctx.locale);
  const status = statusOf(row);
  const current = currentDecision(row.decisions);
  const pending = current && isWaiting(current) ? current : undefined;
  const lines = [
    `<b>${t('review.app_title', { id: row.id, name: nameOf(row) })}</b>`,
    t('review.app_status', { status: t(`review.status.${status}`) + (pending ? ` (${t('review.not_sent_mark')})` : '') }),
  ];
  if (row.decisions.length > 0) {
    lines.push('', t('review.app_history'));
    for (const d of [...row.decisions].reverse().slice(0, 5)) {
      const decider = await findPersonById(deps.db, d.decidedById);
      const state = d.undoneAt ? t('review.line_undone') : d.sentAt ? t('review.line_sent', { date: when(d.sentAt) }) : t('review.line_waiting');
      const label = isDecision(d.decision) ? t(`review.status.${d.decision}`) : d.decision;
      lines.push(`• ${t('review.history_line', { decision: label, name: personName(decider), date: when(d.decidedAt) })} — ${state}`);
    }
  }
  const keyboard = new InlineKeyboard();
  if (pending) {
    const person = row.personId ? await findPersonById(deps.db, row.personId) : null;
    const language = deps.i18n.t(localeOf(ctx, person))('language_name');
    lines.push('', t('review.waiting_intro', { language }), `<blockquote>${pending.message}</blockquote>`, t('review.waiting_hint'));
    actionButtons(ctx, keyboard, pending.id, pending.id, 'a');
  }
  const allowed = DECISIONS.filter((d) => checkDecision(row.status, row.decisions, d) === 'ok');
  for (const d of allowed) keyboard.text(t(`review.decide.${d}`), `rv|d|${DECISION_CODES[d]}|${row.id}`);
  if (allowed.length > 0) keyboard.row();
  const mentor = await findMentorByApplication(deps.db, row.id);
  if (mentor) {
    lines.push('', t('review.mentor_capacity', { capacity: mentor.capacity }));
    if (mentor.capacity > MIN_CAPACITY) keyboard.text(t('review.capacity_less'), `rv|cap|${row.id}|down`);
    if (mentor.capacity < MAX_CAPACITY) keyboard.text(t('review.capacity_more'), `rv|cap|${row.id}|up`);
    keyboard.row();
  }
  return { text: lines.join('\n'), keyboard };
}

/** Opens one application as a readable message with its CV, then what the review can do with it. */
applicationsReviewFeature.hears(/^\/application_(\d{1,9})(@\w+)?$/, coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const response = await loadResponse(deps.db, Number(ctx.match[1]));
  const row = response ? await findApplication(deps.db, response.id) : undefined;
  if (!response || !row) {
    await ctx.reply(t('application.admin_not_found', { id: ctx.match[1] }));
    return;
  }
  const programme = await programmeOf(ctx.deps);
  const status =
    response.status === 'withdrawn'
      ? t('application.status_withdrawn')
      : t('application.status_submitted', { date: localTimeText(t, new Date(response.submittedAt!), programme.timeZone, ctx.locale) });
  const header = `<b>${t('application.admin_title', { id: response.id, name: applicantName(response) })}</b>\n${status}`;
  for (const text of summaryMessages(mentorApplicationForm, response.answers, t, header)) await ctx.reply(text);
  const cv = response.answers.cv;
  if (cv && typeof cv === 'object' && 'kind' in cv && cv.kind === 'file') {
    await ctx.replyWithDocument(cv.fileId, { caption: t('application.admin_cv', { name: applicantName(response) }) });
  }
  await show(ctx, await applicationView(ctx, row), 'reply');
});

applicationsReviewFeature.callbackQuery(/^rv\|d\|([syr])\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const decision = DECISION_BY_CODE.get(ctx.match[1]!)!;
  const row = await findApplication(ctx.deps.db, Number(ctx.match[2]));
  if (!row) return stale(ctx);
  const check = checkDecision(row.status, row.decisions, decision);
  if (check !== 'ok') {
    await ctx.answerCallbackQuery({ text: ctx.t(`review.refused.${check}`), show_alert: true });
    await show(ctx, await applicationView(ctx, row), 'edit');
    return;
  }
  await decide(ctx, [row], decision);
  await ctx.answerCallbackQuery({ text: ctx.t('review.recorded') });
  await show(ctx, await applicationView(ctx, (await findApplication(ctx.deps.db, row.id))!), 'edit');
});

/** The view a Send, Undo or own-text button came from, drawn again from what is stored now. */
async function freshView(ctx: BotContext, first: number, last: number, view: 'a' | 'b'): Promise<View | undefined> {
  const decisions = await decisionsOfAction(ctx.deps.db, first, last);
  if (decisions.length === 0) return undefined;
  if (view === 'b') return actionView(ctx, decisions);
  const row = await findApplication(ctx.deps.db, decisions[0]!.responseId);
  return row ? applicationView(ctx, row) : undefined;
}

applicationsReviewFeature.callbackQuery(/^rv\|(send|undo|text)\|(\d{1,9})\|(\d{1,9})\|([ab])$/, coordinatorOnly, async (ctx) => {
  const { db } = ctx.deps;
  const [, verb, a, b, v] = ctx.match as unknown as [string, 'send' | 'undo' | 'text', string, string, 'a' | 'b'];
  const first = Number(a);
  const last = Number(b);
  const decisions = last >= first ? await decisionsOfAction(db, first, last) : [];
  if (decisions.length === 0) return stale(ctx);
  const waiting = decisions.filter(isWaiting);
  if (waiting.length === 0) {
    const sent = decisions.some((d) => d.sentAt && !d.undoneAt);
    await ctx.answerCallbackQuery({ text: ctx.t(verb === 'undo' && sent ? 'review.undo_refused' : 'review.nothing_waiting'), show_alert: true });
    const view = await freshView(ctx, first, last, v);
    if (view) await show(ctx, view, 'edit');
    return;
  }
  if (verb === 'undo') {
    await undoDecisions(ctx, waiting);
    await ctx.answerCallbackQuery({ text: ctx.t('review.undone') });
  } else if (verb === 'send') {
    await ctx.answerCallbackQuery();
    const outcomes = await sendDecisions(ctx, waiting);
    await ctx.reply(sendReport(ctx.t, outcomes));
  } else {
    await ctx.answerCallbackQuery();
    if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
    await ctx.conversation.enter(OWN_TEXT_CONVERSATION, { first, last, view: v } satisfies OwnTextRequest);
    const names = await Promise.all(waiting.map(async (d) => {
      const row = await findApplication(db, d.responseId);
      return `${row ? nameOf(row) : '—'} (#${d.responseId})`;
    }));
    await ctx.reply(ctx.t('review.own_text_prompt', { names: names.join(', ') }));
    return;
  }
  const view = await freshView(ctx, first, last, v);
  if (view) await show(ctx, view, 'edit');
});

// ---- The coordinator's own text instead of the standard message ----

interface OwnTextRequest {
  first: number;
  last: number;
  view: 'a' | 'b';
}

/** Waits for the coordinator's text; a command or a button press ends the wait and is handled as usual. */
async function ownTextConversation(conversation: Conversation<BotContext, Context>, _entering: Context, request: OwnTextRequest): Promise<void> {
  for (;;) {
    const update = await conversation.wait({ maxMilliseconds: OWN_TEXT_WAIT_MS });
    const message = update.message;
    if (!message || message.text?.startsWith('/')) return conversation.halt({ next: true });
    const done = await conversation.external((ctx) => saveOwnText(ctx, request, message.text));
    if (done) return;
  }
}

async function saveOwnText(ctx: BotContext, request: OwnTextRequest, text: string | undefined): Promise<boolean> {
  const { t } = ctx;
  if (!ctx.isCoordinator) {
    await ctx.reply(t('errors.coordinators_only'));
    return true;
  }
  const trimmed = text?.trim();
  if (!trimmed) {
    await ctx.reply(t('review.own_text_needed'));
    return false;
  }
  if (trimmed.length > MAX_OWN_TEXT) {
    await ctx.reply(t('review.own_text_too_long', { length: trimmed.length, max: MAX_OWN_TEXT }));
    return false;
  }
  const waiting = (await decisionsOfAction(ctx.deps.db, request.first, request.last)).filter(isWaiting);
  const changed = waiting.length > 0 ? await setUnsentMessage(ctx.deps.db, waiting.map((d) => d.id), escapeHtml(trimmed)) : 0;
  if (changed === 0) {
    await ctx.reply(t('review.nothing_waiting'));
    return true;
  }
  await audit(ctx, 'application_message', { applications: [...new Set(waiting.map((d) => d.responseId))], decisions: waiting.map((d) => d.id) });
  await ctx.reply(t('review.own_text_saved'));
  const view = await freshView(ctx, request.first, request.last, request.view);
  if (view) await show(ctx, view, 'reply');
  return true;
}

// ---- Decisions waiting to be sent, and mentors' capacity ----

applicationsReviewFeature.callbackQuery('rv|p', coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const unsent = await unsentDecisions(ctx.deps.db, programme.id);
  if (unsent.length === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.nothing_unsent'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  // Grouped by the action that made them: one message with its own Send and Undo per action.
  const actions = new Map<string, number[]>();
  for (const d of unsent) {
    const key = `${d.decidedById}|${d.decidedAt.getTime()}`;
    actions.set(key, [...(actions.get(key) ?? []), d.id]);
  }
  for (const ids of [...actions.values()].slice(0, 10)) {
    const view = await freshView(ctx, Math.min(...ids), Math.max(...ids), 'b');
    if (view) await show(ctx, view, 'reply');
  }
});

/** One team more or less than the mentor has now, so a press on an older message still does what it says. */
applicationsReviewFeature.callbackQuery(/^rv\|cap\|(\d{1,9})\|(up|down)$/, coordinatorOnly, async (ctx) => {
  const { db } = ctx.deps;
  const row = await findApplication(db, Number(ctx.match[1]));
  const mentor = row ? await findMentorByApplication(db, row.id) : null;
  if (!row || !mentor) return stale(ctx);
  const capacity = mentor.capacity + (ctx.match[2] === 'up' ? 1 : -1);
  if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    await ctx.answerCallbackQuery({ text: ctx.t('review.capacity_range', { min: MIN_CAPACITY, max: MAX_CAPACITY }), show_alert: true });
    return;
  }
  await setMentorCapacity(db, mentor.id, capacity);
  await audit(ctx, 'mentor_capacity', { applications: [row.id], mentorId: mentor.id, capacity, previous: mentor.capacity });
  await ctx.answerCallbackQuery({ text: ctx.t('review.capacity_set', { capacity }) });
  await show(ctx, await applicationView(ctx, row), 'edit');
});

/** Anything else under this feature's prefix is forged or from an older version of the bot. */
applicationsReviewFeature.callbackQuery(/^rv\|/, coordinatorOnly, stale);
