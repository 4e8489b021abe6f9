import { type Conversation, createConversation } from '@grammyjs/conversations';
import { type Api, Composer, type Context, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Person, Programme } from '../db/database.js';
import { findConstraint, forbiddenMentorsOf } from '../db/match-constraints.js';
import {
  END_REASON_MAX_LENGTH,
  END_REASONS,
  endPair,
  findPair,
  isEndReason,
  listActivePairs,
  listEndedPairs,
  type Pair,
  pairsOfTeam,
  reassignPair,
} from '../db/pairs.js';
import { programmeOf } from '../db/programmes.js';
import { type PairScore, scorePair, topMentors } from '../domain/matching.js';
import { formatLocalDate } from '../domain/time-zone.js';
import type { Translate } from '../i18n.js';
import {
  loadMentors,
  loadTeamMembers,
  loadTeams,
  type MentorEntry,
  programmeWeights,
  type TeamEntry,
} from '../matching/candidates.js';
import {
  candidateLines,
  describeEndReason,
  describeReasons,
  formatScore,
  languageList,
  storedReasons,
  themeList,
} from '../matching/describe-reasons.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { notifyPerson } from '../notify.js';
import { buttonChoices } from '../button-step.js';
import { cancelSessionsOfEndedPair } from '../sessions/service.js';

/**
 * Pairs of mentors and teams once published: /pairs lists the active ones, /pair_<id>
 * opens one, and a coordinator can end it or give the team another mentor, with a
 * reason. Ended pairs stay as history. Both sides are told in their own languages.
 */
export const pairsFeature = new Composer<BotContext>();

export const PAIR_REASON_CONVERSATION = 'pair-reason';

/** Waits at a question answered with the reason buttons, so that a typed message gets the buttons named and shown again. */
export const PAIR_CHOICE_CONVERSATION = 'pair-choice';

// First, so that the pairs' own commands pass through a waiting question (and leave it waiting).
pairsFeature.use(createConversation(pairReason, PAIR_REASON_CONVERSATION));
pairsFeature.use(createConversation(pairReasonChoice, PAIR_CHOICE_CONVERSATION));

/** Buttons shown under a list; the rest are reachable through their /pair_<id> command. */
const MAX_LIST_BUTTONS = 20;
const HISTORY_SIZE = 30;
const MESSAGE_LIMIT = 3800;

// ---------------------------------------------------------------------------
// Shared with src/features/matching.ts


/** Lines grouped into messages Telegram accepts (4096 characters at most). */
export function chunkLines(lines: readonly string[], limit = MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + line.length + 1 > limit) {
      messages.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

/** Sends the messages; the keyboard goes under the last one. */
export async function replyInChunks(ctx: BotContext, lines: readonly string[], keyboard?: InlineKeyboard): Promise<void> {
  const messages = chunkLines(lines);
  for (const [i, text] of messages.entries()) {
    const last = i === messages.length - 1;
    await ctx.reply(text, last && keyboard && keyboard.inline_keyboard.flat().length > 0 ? { reply_markup: keyboard } : {});
  }
}

/** Button texts are plain text with a length Telegram shows well. */
export function buttonText(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** After a button press: the answer replaces the message the button was on; otherwise it is a new message. */
export async function respond(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const extra = keyboard ? { reply_markup: keyboard } : {};
  if (ctx.callbackQuery?.message) {
    await ctx.answerCallbackQuery().catch(() => undefined);
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch {
      // The message may be too old to edit: say it anew.
    }
  }
  await ctx.reply(text, extra);
}

export function teamPlace(team: TeamEntry): string {
  return [team.team.city, team.team.region, team.team.country].filter((p) => p && p.trim() !== '').join(', ');
}

/** Whether a mentor can be given this team now, and with which score; `replacingPair` is the pair the new one replaces. */
export type NewPairCheck =
  | { ok: true; mentor: MentorEntry; team: TeamEntry; result: PairScore }
  | { ok: false; message: string };

export async function checkNewPair(
  ctx: BotContext,
  programme: Programme,
  mentorId: number,
  teamId: number,
  options: { replacingPair?: Pair } = {},
): Promise<NewPairCheck> {
  const { db } = ctx.deps;
  const { t } = ctx;
  const [[mentor], [team]] = await Promise.all([loadMentors(db, programme.id, [mentorId]), loadTeams(db, programme.id, [teamId])]);
  if (!team) return { ok: false, message: t('matching.team_not_found', { id: teamId }) };
  if (!mentor) return { ok: false, message: t('matching.mentor_not_found', { id: mentorId }) };
  if (mentor.left) return { ok: false, message: t('matching.mentor_left', { mentor: mentor.name, id: mentorId }) };
  const replacing = options.replacingPair;
  if (replacing && replacing.mentorId === mentorId) {
    return { ok: false, message: t('pairs.same_mentor', { mentor: mentor.name }) };
  }
  const active = (await pairsOfTeam(db, teamId)).find((p) => p.status === 'active' && p.id !== replacing?.id);
  if (active) {
    const [current] = await loadMentors(db, programme.id, [active.mentorId]);
    return {
      ok: false,
      message: t('matching.team_already_paired', { team: team.team.name, mentor: current?.name ?? `#${active.mentorId}`, pair: active.id }),
    };
  }
  const constraint = await findConstraint(db, programme.id, mentorId, teamId);
  if (constraint?.kind === 'forbid') {
    return { ok: false, message: t('matching.pair_forbidden', { mentor: mentor.name, team: team.team.name, mentorId, teamId }) };
  }
  if (!team.matchable) return { ok: false, message: t('matching.team_not_ready', { team: team.team.name }) };
  const result = scorePair(mentor.candidate, team.candidate, programmeWeights(programme));
  if (!result.eligible) {
    return {
      ok: false,
      message: t('matching.not_eligible', {
        mentor: mentor.name,
        team: team.team.name,
        why: describeReasons(result.reasons.filter((r) => r.kind === 'no_shared_language' || r.kind === 'conflict' || r.kind === 'full'), t),
      }),
    };
  }
  return { ok: true, mentor, team, result };
}

// ---------------------------------------------------------------------------
// Introductions and notices

export interface NoticeReport {
  mentor: boolean;
  members: number;
  membersTotal: number;
}

function personLabel(person: Person): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return person.username ? `${name} (@${person.username})` : name;
}

function teamContact(team: TeamEntry, members: Person[]): string | undefined {
  const name = team.team.contactName?.trim();
  const email = team.team.contactEmail?.trim();
  if (name || email) return [name, email].filter(Boolean).join(', ');
  return members.length > 0 ? members.map(personLabel).join('; ') : undefined;
}

function population(value: number | undefined, locale: string): string | undefined {
  return value === undefined ? undefined : new Intl.NumberFormat(locale).format(value);
}

function localeOf(person: Person, deps: AppDeps): string {
  return person.language || deps.config.defaultLocale;
}

/** What the mentor learns about the team, and what to do first. */
function mentorIntroduction(t: Translate, team: TeamEntry, members: Person[], locale: string): string {
  const dash = t('matching.unknown');
  return [
    `<b>${t('pairs.intro_mentor.title')}</b>`,
    t('pairs.intro_mentor.body', { team: team.team.name }),
    '',
    t('pairs.intro_mentor.municipality', { value: [team.team.city, team.team.region].filter(Boolean).join(', ') || team.team.name }),
    t('pairs.intro_mentor.country', { value: team.team.country || dash }),
    t('pairs.intro_mentor.population', { value: population(team.population, locale) ?? dash }),
    t('pairs.intro_mentor.themes', { value: themeList(team.themes, t, team.themesOther) || dash }),
    t('pairs.intro_mentor.contact', { value: teamContact(team, members) ?? dash }),
    '',
    `<b>${t('pairs.next_steps.title')}</b>`,
    t('pairs.next_steps.mentor'),
  ].join('\n');
}

/** What the team learns about its mentor, and what to do first. */
function teamIntroduction(t: Translate, mentor: MentorEntry, team: TeamEntry, previous?: MentorEntry): string {
  const dash = t('matching.unknown');
  const expertise = [...new Set([...mentor.expertise, ...mentor.policyAreas])];
  const lines = [
    `<b>${t(previous ? 'pairs.intro_team.title_new' : 'pairs.intro_team.title')}</b>`,
    previous
      ? t('pairs.intro_team.body_new', { mentor: mentor.name, team: team.team.name, previous: previous.name })
      : t('pairs.intro_team.body', { mentor: mentor.name, team: team.team.name }),
    '',
    t('pairs.intro_team.organisation', { value: mentor.organisation ?? dash }),
    t('pairs.intro_team.position', { value: mentor.position ?? dash }),
    t('pairs.intro_team.place', { value: [mentor.city, mentor.country].filter(Boolean).join(', ') || dash }),
    t('pairs.intro_team.expertise', { value: themeList(expertise, t, mentor.expertiseOther) || dash }),
    t('pairs.intro_team.languages', { value: languageList(mentor.languages, t, mentor.languagesOther) || dash }),
  ];
  if (mentor.person?.username) lines.push(t('pairs.intro_team.telegram', { value: `@${mentor.person.username}` }));
  lines.push('', `<b>${t('pairs.next_steps.title')}</b>`, t('pairs.next_steps.team'));
  return lines.join('\n');
}

/** Introduces a new pair to both sides; `previous` is the mentor the team had before a reassignment. */
export async function announcePair(
  deps: AppDeps,
  api: Api,
  mentor: MentorEntry,
  team: TeamEntry,
  previous?: MentorEntry,
): Promise<NoticeReport> {
  const members = await loadTeamMembers(deps.db, team.team.id);
  const mentorTold = mentor.person
    ? await notifyPerson(deps, api, mentor.person, (t) => mentorIntroduction(t, team, members, localeOf(mentor.person!, deps)))
    : false;
  let told = 0;
  for (const member of members) {
    if (await notifyPerson(deps, api, member, (t) => teamIntroduction(t, mentor, team, previous))) told++;
  }
  return { mentor: mentorTold, members: told, membersTotal: members.length };
}

/** Tells both sides that their pair has ended; with `replaced`, the team hears about its new mentor separately. */
async function announceEnd(deps: AppDeps, api: Api, mentor: MentorEntry | undefined, team: TeamEntry, replaced: boolean): Promise<NoticeReport> {
  const mentorTold = mentor?.person
    ? await notifyPerson(deps, api, mentor.person, (t) =>
        t(replaced ? 'pairs.notice.reassigned_mentor' : 'pairs.notice.ended_mentor', { team: team.team.name }),
      )
    : false;
  if (replaced) return { mentor: mentorTold, members: 0, membersTotal: 0 };
  const members = await loadTeamMembers(deps.db, team.team.id);
  let told = 0;
  for (const member of members) {
    const sent = await notifyPerson(deps, api, member, (t) =>
      t('pairs.notice.ended_team', { team: team.team.name, mentor: mentor?.name ?? t('matching.unknown') }),
    );
    if (sent) told++;
  }
  return { mentor: mentorTold, members: told, membersTotal: members.length };
}

/** One line for the coordinator: who was told. */
export function noticeLine(t: Translate, report: NoticeReport): string {
  return t('pairs.notice_report', {
    mentor: t(report.mentor ? 'pairs.delivered' : 'pairs.not_delivered'),
    members: report.members,
    total: report.membersTotal,
  });
}

// ---------------------------------------------------------------------------
// Listing and opening pairs

interface Names {
  mentors: Map<number, MentorEntry>;
  teams: Map<number, TeamEntry>;
}

async function namesOf(ctx: BotContext, programmeId: number, pairs: readonly Pair[]): Promise<Names> {
  const { db } = ctx.deps;
  const [mentors, teams] = await Promise.all([
    loadMentors(db, programmeId, [...new Set(pairs.map((p) => p.mentorId))]),
    loadTeams(db, programmeId, [...new Set(pairs.map((p) => p.teamId))]),
  ]);
  return { mentors: new Map(mentors.map((m) => [m.mentor.id, m])), teams: new Map(teams.map((t) => [t.team.id, t])) };
}

const mentorName = (names: Names, id: number) => names.mentors.get(id)?.name ?? `#${id}`;
const teamName = (names: Names, id: number) => names.teams.get(id)?.team.name ?? `#${id}`;

async function listPairs(ctx: BotContext): Promise<void> {
  const { t, deps } = ctx;
  const programme = await programmeOf(deps);
  const pairs = await listActivePairs(deps.db, programme.id);
  const historyButton = new InlineKeyboard().text(t('pairs.history_button'), 'pr|h');
  if (pairs.length === 0) {
    await ctx.reply(t('pairs.none'), { reply_markup: historyButton });
    return;
  }
  const names = await namesOf(ctx, programme.id, pairs);
  const lines = [`<b>${t('pairs.list_title', { number: pairs.length })}</b>`, ''];
  for (const pair of pairs) {
    lines.push(
      t('pairs.list_line', {
        id: pair.id,
        team: teamName(names, pair.teamId),
        mentor: mentorName(names, pair.mentorId),
        since: formatLocalDate(pair.publishedAt, programme.timeZone),
        command: `/pair_${pair.id}`,
      }),
    );
  }
  lines.push('', t('pairs.list_hint'));
  const keyboard = new InlineKeyboard();
  for (const pair of pairs.slice(0, MAX_LIST_BUTTONS)) {
    keyboard.text(buttonText(`#${pair.id} ${teamName(names, pair.teamId)} — ${mentorName(names, pair.mentorId)}`), `pr|o|${pair.id}`).row();
  }
  keyboard.text(t('pairs.history_button'), 'pr|h');
  await replyInChunks(ctx, lines, keyboard);
}

async function showHistory(ctx: BotContext): Promise<void> {
  const { t, deps } = ctx;
  const programme = await programmeOf(deps);
  const pairs = await listEndedPairs(deps.db, programme.id, HISTORY_SIZE);
  if (pairs.length === 0) {
    await ctx.reply(t('pairs.history_none'));
    return;
  }
  const names = await namesOf(ctx, programme.id, pairs);
  const lines = [`<b>${t('pairs.history_title')}</b>`, ''];
  for (const pair of pairs) {
    lines.push(
      t('pairs.history_line', {
        id: pair.id,
        team: teamName(names, pair.teamId),
        mentor: mentorName(names, pair.mentorId),
        from: formatLocalDate(pair.publishedAt, programme.timeZone),
        to: pair.endedAt ? formatLocalDate(pair.endedAt, programme.timeZone) : '—',
        reason: describeEndReason(pair.endReason, t),
      }),
    );
  }
  await replyInChunks(ctx, lines);
}

async function pairCard(ctx: BotContext, programme: Programme, pair: Pair): Promise<{ text: string; keyboard?: InlineKeyboard }> {
  const { t, deps } = ctx;
  const history = await pairsOfTeam(deps.db, pair.teamId);
  const names = await namesOf(ctx, programme.id, [pair, ...history]);
  const team = names.teams.get(pair.teamId);
  const mentor = names.mentors.get(pair.mentorId);
  const date = (d: Date | null) => (d ? formatLocalDate(d, programme.timeZone) : '—');
  const lines = [
    `<b>${t('pairs.card_title', { id: pair.id })}</b>`,
    pair.status === 'active'
      ? t('pairs.card_active', { since: date(pair.publishedAt) })
      : t('pairs.card_ended', { from: date(pair.publishedAt), to: date(pair.endedAt), reason: describeEndReason(pair.endReason, t) }),
    t('pairs.card_team', { team: teamName(names, pair.teamId), id: pair.teamId, place: team ? teamPlace(team) || '—' : '—' }),
    t('pairs.card_mentor', { mentor: mentorName(names, pair.mentorId), id: pair.mentorId, organisation: mentor?.organisation ?? '—' }),
    t('pairs.card_score', { score: formatScore(pair.score), reasons: describeReasons(storedReasons(pair.reasons), t) || '—' }),
  ];
  const earlier = history.filter((p) => p.id !== pair.id && p.status === 'ended');
  if (earlier.length > 0) {
    lines.push('', t('pairs.card_earlier'));
    for (const p of earlier) {
      lines.push(
        t('pairs.card_earlier_line', {
          id: p.id,
          mentor: mentorName(names, p.mentorId),
          from: date(p.publishedAt),
          to: date(p.endedAt),
          reason: describeEndReason(p.endReason, t),
        }),
      );
    }
  }
  if (pair.status !== 'active') return { text: lines.join('\n') };
  const keyboard = new InlineKeyboard().text(t('pairs.end_button'), `pr|e|${pair.id}`).text(t('pairs.reassign_button'), `pr|r|${pair.id}`);
  return { text: lines.join('\n'), keyboard };
}

async function openPair(ctx: BotContext, pairId: number): Promise<void> {
  const programme = await programmeOf(ctx.deps);
  const pair = await findPair(ctx.deps.db, pairId);
  if (!pair || pair.programmeId !== programme.id) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('pairs.not_found', { id: pairId }), show_alert: true });
    else await ctx.reply(ctx.t('pairs.not_found', { id: pairId }));
    return;
  }
  const card = await pairCard(ctx, programme, pair);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(card.text, card.keyboard ? { reply_markup: card.keyboard } : {});
}

/** Says why nothing happens: as an alert on the button pressed, or as a message. */
export async function refuse(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: stripTags(text), show_alert: true });
  else await ctx.reply(text);
}

/** The pair a button is about, if it is still active; otherwise the coordinator is told why nothing happens. */
async function activePairOrRefuse(ctx: BotContext, programme: Programme, pairId: number): Promise<Pair | undefined> {
  const pair = await findPair(ctx.deps.db, pairId);
  let refusal: string | undefined;
  if (!pair || pair.programmeId !== programme.id) refusal = ctx.t('pairs.not_found', { id: pairId });
  else if (pair.status !== 'active') refusal = ctx.t('pairs.already_ended', { id: pairId });
  if (!refusal) return pair!;
  await refuse(ctx, refusal);
  return undefined;
}

pairsFeature.command('pairs', coordinatorOnly, async (ctx) => {
  const arg = ctx.match.trim().toLowerCase();
  if (arg === '') return listPairs(ctx);
  if (arg === 'history') return showHistory(ctx);
  if (/^\d{1,9}$/.test(arg)) return openPair(ctx, Number(arg));
  await ctx.reply(ctx.t('pairs.usage'));
});

pairsFeature.hears(/^\/pair_(\d{1,9})(@\w+)?$/, coordinatorOnly, (ctx) => openPair(ctx, Number(ctx.match[1])));

// ---------------------------------------------------------------------------
// Ending and reassigning, with a reason

function reasonKeyboard(t: Translate, choose: string, other: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const code of END_REASONS) keyboard.text(t(`pairs.end_reasons.${code}`), `${choose}|${code}`).row();
  return keyboard.text(t('pairs.other_reason_button'), other).row().text(t('pairs.cancel_button'), 'pr|x');
}

async function finishEnd(ctx: BotContext, pairId: number, reason: string): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const pair = await activePairOrRefuse(ctx, programme, pairId);
  if (!pair) return;
  const at = deps.clock.now();
  if (!(await endPair(deps.db, pair.id, { reason, at }))) return refuse(ctx, t('pairs.already_ended', { id: pair.id }));
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'pair.end', details: { pairId: pair.id, mentorId: pair.mentorId, teamId: pair.teamId, reason }, at });
  const names = await namesOf(ctx, programme.id, [pair]);
  const team = names.teams.get(pair.teamId);
  const report = team ? await announceEnd(deps, ctx.api, names.mentors.get(pair.mentorId), team, false) : undefined;
  const cancelled = await cancelSessionsOfEndedPair(deps, programme, pair.id, ctx.person);
  const lines = [
    t('pairs.ended', { id: pair.id, team: teamName(names, pair.teamId), mentor: mentorName(names, pair.mentorId), reason: describeEndReason(reason, t) }),
  ];
  if (report) lines.push(noticeLine(t, report));
  if (cancelled > 0) lines.push(t('pairs.sessions_cancelled', { number: cancelled }));
  await respond(ctx, lines.join('\n'));
}

async function finishReassign(ctx: BotContext, pairId: number, mentorId: number, reason: string): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const pair = await activePairOrRefuse(ctx, programme, pairId);
  if (!pair) return;
  const check = await checkNewPair(ctx, programme, mentorId, pair.teamId, { replacingPair: pair });
  if (!check.ok) return refuse(ctx, check.message);
  const at = deps.clock.now();
  const next = await reassignPair(deps.db, pair.id, {
    reason,
    at,
    next: {
      programmeId: programme.id,
      mentorId,
      teamId: pair.teamId,
      score: check.result.score,
      reasons: check.result.reasons,
      createdById: ctx.person.id,
    },
  });
  if (!next) return refuse(ctx, t('pairs.already_ended', { id: pair.id }));
  await recordAudit(deps.db, {
    actorId: ctx.person.id,
    action: 'pair.reassign',
    details: { pairId: pair.id, newPairId: next.id, teamId: pair.teamId, fromMentorId: pair.mentorId, toMentorId: mentorId, reason },
    at,
  });
  const [previous] = await loadMentors(deps.db, programme.id, [pair.mentorId]);
  const ended = await announceEnd(deps, ctx.api, previous, check.team, true);
  const introduced = await announcePair(deps, ctx.api, check.mentor, check.team, previous);
  const cancelled = await cancelSessionsOfEndedPair(deps, programme, pair.id, ctx.person);
  await respond(
    ctx,
    [
      t('pairs.reassigned', {
        id: pair.id,
        newId: next.id,
        team: check.team.team.name,
        from: previous?.name ?? `#${pair.mentorId}`,
        to: check.mentor.name,
        reason: describeEndReason(reason, t),
      }),
      t('pairs.previous_mentor_told', { status: t(ended.mentor ? 'pairs.delivered' : 'pairs.not_delivered') }),
      noticeLine(t, introduced),
      ...(cancelled > 0 ? [t('pairs.sessions_cancelled', { number: cancelled })] : []),
    ].join('\n'),
  );
}

/**
 * Waits for the coordinator's own words for why a pair ends. Like a form's question it
 * waits where it is while other commands are used; /cancel leaves it, and so does
 * choosing another way in the pairs screens (any of their buttons).
 */
interface ReasonRequest {
  pairId: number;
  /** Set when the team gets this mentor instead. */
  mentorId?: number;
}

async function pairReason(conversation: Conversation<BotContext, Context>, _entering: Context, request: ReasonRequest): Promise<void> {
  for (;;) {
    const update = await conversation.wait();
    if (update.callbackQuery) {
      if (update.callbackQuery.data?.startsWith('pr|')) return conversation.halt({ next: true });
      return conversation.skip({ next: true });
    }
    const message = update.message;
    if (!message) return conversation.skip({ next: true });
    if (message.text === undefined) {
      await conversation.external((ctx) => ctx.reply(ctx.t('pairs.reason_text_only')));
      continue;
    }
    if (message.text.startsWith('/')) return conversation.skip({ next: true });
    const reason = message.text.trim();
    const done = await conversation.external(async (ctx) => {
      if (!ctx.isCoordinator) {
        await ctx.reply(ctx.t('errors.coordinators_only'));
        return true;
      }
      if (reason.length === 0 || reason.length > END_REASON_MAX_LENGTH) {
        await ctx.reply(ctx.t('pairs.reason_length', { max: END_REASON_MAX_LENGTH, length: reason.length }));
        return false;
      }
      if (request.mentorId === undefined) await finishEnd(ctx, request.pairId, reason);
      else await finishReassign(ctx, request.pairId, request.mentorId, reason);
      return true;
    });
    if (done) return;
  }
}

interface ChoiceRequest {
  /** The question as shown, in the coordinator's language. */
  question: string;
  choose: string;
  other: string;
}

/**
 * After "Why does the pair end?": any button (or another command) goes on as usual; a message
 * typed instead is answered with the buttons there are and the question again.
 */
async function pairReasonChoice(conversation: Conversation<BotContext, Context>, _entering: Context, request: ChoiceRequest): Promise<void> {
  for (;;) {
    const update = await conversation.wait();
    const message = update.message;
    if (!message || message.text?.startsWith('/')) return conversation.halt({ next: true });
    await conversation.external(async (ctx) => {
      const keyboard = reasonKeyboard(ctx.t, request.choose, request.other);
      await ctx.reply(ctx.t('pairs.press_reason', { buttons: buttonChoices(keyboard, ctx.locale), other: ctx.t('pairs.other_reason_button') }));
      await ctx.reply(request.question, { reply_markup: keyboard });
    });
  }
}

/** Puts a reason question and waits at it (see pairReasonChoice). */
async function askReasonChoice(ctx: BotContext, question: string, choose: string, other: string): Promise<void> {
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
  await ctx.reply(question, { reply_markup: reasonKeyboard(ctx.t, choose, other) });
  await ctx.conversation.enter(PAIR_CHOICE_CONVERSATION, { question, choose, other } satisfies ChoiceRequest);
}

async function askForReason(ctx: BotContext, request: ReasonRequest): Promise<void> {
  await ctx.answerCallbackQuery();
  // Whatever the coordinator was answering stays saved; the next message is the reason.
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
  await ctx.reply(ctx.t('pairs.reason_prompt', { id: request.pairId, max: END_REASON_MAX_LENGTH }));
  await ctx.conversation.enter(PAIR_REASON_CONVERSATION, request);
}

pairsFeature.callbackQuery(/^pr\|o\|(\d{1,9})$/, coordinatorOnly, (ctx) => openPair(ctx, Number(ctx.match[1])));

pairsFeature.callbackQuery('pr|h', coordinatorOnly, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showHistory(ctx);
});

pairsFeature.callbackQuery('pr|x', coordinatorOnly, (ctx) => respond(ctx, ctx.t('pairs.cancelled')));

// End: choose a reason.
pairsFeature.callbackQuery(/^pr\|e\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const pair = await activePairOrRefuse(ctx, programme, Number(ctx.match[1]));
  if (!pair) return;
  const names = await namesOf(ctx, programme.id, [pair]);
  await ctx.answerCallbackQuery();
  const question = ctx.t('pairs.end_question', { id: pair.id, team: teamName(names, pair.teamId), mentor: mentorName(names, pair.mentorId) });
  await askReasonChoice(ctx, question, `pr|er|${pair.id}`, `pr|eo|${pair.id}`);
});

pairsFeature.callbackQuery(/^pr\|er\|(\d{1,9})\|(\w{1,32})$/, coordinatorOnly, async (ctx) => {
  const code = ctx.match[2];
  if (!isEndReason(code)) return invalidButton(ctx);
  await finishEnd(ctx, Number(ctx.match[1]), code);
});

pairsFeature.callbackQuery(/^pr\|eo\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const pair = await activePairOrRefuse(ctx, programme, Number(ctx.match[1]));
  if (!pair) return;
  await askForReason(ctx, { pairId: pair.id });
});

// Reassign: choose the new mentor, then a reason.
pairsFeature.callbackQuery(/^pr\|r\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const pair = await activePairOrRefuse(ctx, programme, Number(ctx.match[1]));
  if (!pair) return;
  const [[team], mentors, forbidden] = await Promise.all([
    loadTeams(deps.db, programme.id, [pair.teamId]),
    loadMentors(deps.db, programme.id),
    forbiddenMentorsOf(deps.db, programme.id, pair.teamId),
  ]);
  if (!team) return void (await ctx.answerCallbackQuery({ text: t('matching.team_not_found', { id: pair.teamId }), show_alert: true }));
  const excluded = new Set([pair.mentorId, ...forbidden]);
  const ranked = topMentors(
    team.candidate,
    mentors.filter((m) => !excluded.has(m.mentor.id)).map((m) => m.candidate),
    programmeWeights(programme),
    5,
  );
  await ctx.answerCallbackQuery();
  const current = mentors.find((m) => m.mentor.id === pair.mentorId);
  if (ranked.length === 0) {
    await ctx.reply(t('pairs.no_candidates', { team: team.team.name }));
    return;
  }
  const byId = new Map(mentors.map((m) => [m.mentor.id, m]));
  const lines = [`<b>${t('pairs.reassign_title', { team: team.team.name, mentor: current?.name ?? `#${pair.mentorId}` })}</b>`, ''];
  const keyboard = new InlineKeyboard();
  ranked.forEach((r, i) => {
    const m = byId.get(r.mentorId)!;
    lines.push(...candidateLines(t, i + 1, { name: m.name, id: m.mentor.id, capacity: m.mentor.capacity, currentLoad: m.currentLoad }, r));
    keyboard.text(buttonText(t('pairs.reassign_to_button', { rank: i + 1, name: m.name, interpolation: { escapeValue: false } })), `pr|rm|${pair.id}|${m.mentor.id}`).row();
  });
  keyboard.text(t('pairs.cancel_button'), 'pr|x');
  await replyInChunks(ctx, lines, keyboard);
});

pairsFeature.callbackQuery(/^pr\|rm\|(\d{1,9})\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const pair = await activePairOrRefuse(ctx, programme, Number(ctx.match[1]));
  if (!pair) return;
  const mentorId = Number(ctx.match[2]);
  const check = await checkNewPair(ctx, programme, mentorId, pair.teamId, { replacingPair: pair });
  if (!check.ok) return refuse(ctx, check.message);
  const [current] = await loadMentors(ctx.deps.db, programme.id, [pair.mentorId]);
  await ctx.answerCallbackQuery();
  const question = ctx.t('pairs.reassign_question', { team: check.team.team.name, from: current?.name ?? `#${pair.mentorId}`, to: check.mentor.name });
  await askReasonChoice(ctx, question, `pr|rr|${pair.id}|${mentorId}`, `pr|ro|${pair.id}|${mentorId}`);
});

pairsFeature.callbackQuery(/^pr\|rr\|(\d{1,9})\|(\d{1,9})\|(\w{1,32})$/, coordinatorOnly, async (ctx) => {
  const code = ctx.match[3];
  if (!isEndReason(code)) return invalidButton(ctx);
  await finishReassign(ctx, Number(ctx.match[1]), Number(ctx.match[2]), code);
});

pairsFeature.callbackQuery(/^pr\|ro\|(\d{1,9})\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const pair = await activePairOrRefuse(ctx, programme, Number(ctx.match[1]));
  if (!pair) return;
  const mentorId = Number(ctx.match[2]);
  const check = await checkNewPair(ctx, programme, mentorId, pair.teamId, { replacingPair: pair });
  if (!check.ok) return refuse(ctx, check.message);
  await askForReason(ctx, { pairId: pair.id, mentorId });
});

async function invalidButton(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('pairs.invalid_button'), show_alert: true });
}

// Anything else that looks like one of these buttons was forged or comes from an older version.
pairsFeature.callbackQuery(/^pr\|/, coordinatorOnly, invalidButton);

/** Alerts are plain text. */
export function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
