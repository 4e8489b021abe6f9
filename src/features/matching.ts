import { createHash } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import type { Actor } from '../actor.js';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Programme } from '../db/database.js';
import {
  type ConstraintKind,
  listConstraints,
  type MatchConstraint,
  removeConstraint,
  removePins,
  saveMatchingWeights,
  setConstraint,
} from '../db/match-constraints.js';
import { activePairOfTeam, type Pair, publishPairs, teamsWithActivePair } from '../db/pairs.js';
import {
  type AssignmentPlan,
  assignAll,
  DEFAULT_WEIGHTS,
  isIneligibility,
  type MatchingWeights,
  mergeWeights,
  scorePair,
} from '../domain/matching.js';
import { escapeHtml, type Translate } from '../i18n.js';
import {
  loadMentors,
  loadPool,
  loadTeams,
  type MatchingPool,
  type MentorEntry,
  programmeWeights,
  rankMentorsForTeam,
  type TeamEntry,
} from '../matching/candidates.js';
import { candidateLines, describeReasons, formatScore, languageList, themeList } from '../matching/describe-reasons.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { announcePair, buttonText, checkNewPair, type NoticeReport, noticeLine, refuse, replyInChunks, respond, stripTags } from './pairs.js';
import { programmeOf } from '../db/programmes.js';
import { addConsoleButton } from '../web/open-button.js';

/**
 * The coordinators' matching console. /match <team> ranks mentors for one team;
 * /match all proposes the best whole-pool assignment, which changes nothing until
 * it is published; pins, forbids and weights steer it. Only the coordinators' pins
 * and forbids are stored: the proposal is computed afresh every time.
 */
export const matchingFeature = new Composer<BotContext>();

const TOP = 5;
/** Teams offered as buttons in /match, and proposal rows with pin/forbid buttons. */
const MAX_TEAM_BUTTONS = 20;
const MAX_ROW_BUTTONS = 15;
const WEIGHT_KEYS = Object.keys(DEFAULT_WEIGHTS) as (keyof MatchingWeights)[];

// ---------------------------------------------------------------------------
// Overview

async function overview(ctx: BotContext): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const [mentors, teams, paired, constraints] = await Promise.all([
    loadMentors(deps.db, programme.id),
    loadTeams(deps.db, programme.id),
    teamsWithActivePair(deps.db, programme.id),
    listConstraints(deps.db, programme.id),
  ]);
  const waiting = teams.filter((team) => !paired.has(team.team.id));
  const ready = waiting.filter((team) => team.needsStatus === 'submitted' && team.matchable);
  const freePlaces = mentors.reduce((sum, m) => sum + Math.max(0, m.mentor.capacity - m.currentLoad), 0);
  const lines = [
    `<b>${t('matching.overview_title')}</b>`,
    t('matching.overview_counts', {
      mentors: mentors.length,
      places: freePlaces,
      waiting: waiting.length,
      ready: ready.length,
      pairs: paired.size,
    }),
  ];
  if (waiting.length > 0) {
    lines.push('', t('matching.waiting_title'));
    for (const team of waiting) {
      lines.push(t('matching.waiting_line', { team: team.team.name, id: team.team.id, status: t(teamStatusKey(team)) }));
    }
  }
  lines.push(...(await constraintLines(ctx, programme, constraints)));
  lines.push('', t('matching.usage'));
  const keyboard = new InlineKeyboard();
  for (const team of waiting.filter((w) => w.matchable).slice(0, MAX_TEAM_BUTTONS)) {
    keyboard.text(buttonText(t('matching.team_button', { team: team.team.name, id: team.team.id, interpolation: { escapeValue: false } })), `ma|t|${team.team.id}`).row();
  }
  keyboard.text(t('matching.proposal_button'), 'ma|all').text(t('matching.weights_button'), 'ma|w');
  addConsoleButton(keyboard, deps.config, t, 'matching');
  await replyInChunks(ctx, lines, keyboard);
}

function teamStatusKey(team: TeamEntry): string {
  if (team.needsStatus === 'submitted') return team.matchable ? 'matching.status.ready' : 'matching.status.no_themes';
  if (team.matchable) return 'matching.status.draft_matchable';
  return team.needsStatus === 'draft' ? 'matching.status.draft' : 'matching.status.not_started';
}

/** Pins and forbids, named. */
async function constraintLines(ctx: BotContext, programme: Programme, constraints: MatchConstraint[]): Promise<string[]> {
  if (constraints.length === 0) return [];
  const { t, deps } = ctx;
  const [mentors, teams] = await Promise.all([
    loadMentors(deps.db, programme.id, [...new Set(constraints.map((c) => c.mentorId))]),
    loadTeams(deps.db, programme.id, [...new Set(constraints.map((c) => c.teamId))]),
  ]);
  const mentorName = (id: number) => mentors.find((m) => m.mentor.id === id)?.name ?? `#${id}`;
  const teamName = (id: number) => teams.find((x) => x.team.id === id)?.team.name ?? `#${id}`;
  const lines = ['', t('matching.constraints_title')];
  for (const c of constraints) {
    lines.push(
      t(c.kind === 'pin' ? 'matching.pin_line' : 'matching.forbid_line', {
        mentor: mentorName(c.mentorId),
        mentorId: c.mentorId,
        team: teamName(c.teamId),
        teamId: c.teamId,
      }),
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------
// The best mentors for one team

async function showTopMentors(ctx: BotContext, teamId: number): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const { team, mentorsById: byId, forbidden, constraints, ranked } = await rankMentorsForTeam(deps.db, programme, teamId, TOP);
  if (!team) return refuse(ctx, t('matching.team_not_found', { id: teamId }));
  if (!team.matchable) return refuse(ctx, t('matching.team_not_ready', { team: team.team.name }));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();

  const active = await activePairOfTeam(deps.db, teamId);
  const lines = [
    `<b>${t('matching.top_title', { team: team.team.name, id: team.team.id })}</b>`,
    t('matching.team_summary', {
      themes: themeList(team.themes, t, team.themesOther) || t('matching.unknown'),
      languages: languageList(team.languages, t) || t('matching.unknown'),
      population: team.population === undefined ? t('matching.unknown') : new Intl.NumberFormat(ctx.locale).format(team.population),
    }),
  ];
  if (active) {
    lines.push('', t('matching.team_has_mentor', { mentor: byId.get(active.mentorId)?.name ?? `#${active.mentorId}`, pair: active.id }));
  }
  const pin = constraints.find((c) => c.kind === 'pin' && c.teamId === teamId);
  if (pin) lines.push(t('matching.team_pinned', { mentor: byId.get(pin.mentorId)?.name ?? `#${pin.mentorId}`, mentorId: pin.mentorId }));
  if (forbidden.length > 0) lines.push(t('matching.team_forbidden_count', { number: forbidden.length }));
  lines.push('');
  if (ranked.length === 0) {
    lines.push(t('matching.no_candidates'));
    await ctx.reply(lines.join('\n'));
    return;
  }
  const keyboard = new InlineKeyboard();
  ranked.forEach((r, i) => {
    const m = byId.get(r.mentorId)!;
    lines.push(...candidateLines(t, i + 1, { name: m.name, id: m.mentor.id, capacity: m.mentor.capacity, currentLoad: m.currentLoad }, r));
    if (!active) {
      if (i > 0) keyboard.row();
      keyboard.text(buttonText(t('matching.pair_button', { rank: i + 1, name: m.name, interpolation: { escapeValue: false } })), `ma|p|${teamId}|${m.mentor.id}`);
    }
  });
  await replyInChunks(ctx, lines, keyboard);
}

// ---------------------------------------------------------------------------
// Pairing one mentor with one team

matchingFeature.callbackQuery(/^ma\|p\|(\d{1,9})\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const teamId = Number(ctx.match[1]);
  const mentorId = Number(ctx.match[2]);
  const check = await checkNewPair(ctx, programme, mentorId, teamId);
  if (!check.ok) return refuse(ctx, check.message);
  await ctx.answerCallbackQuery();
  await ctx.reply(
    [
      ctx.t('matching.pair_question', { mentor: check.mentor.name, mentorId, team: check.team.team.name, teamId }),
      escapeHtml(describeReasons(check.result.reasons, ctx.t)),
      '',
      ctx.t('matching.pair_question_hint'),
    ].join('\n'),
    {
      reply_markup: new InlineKeyboard().text(ctx.t('matching.pair_confirm'), `ma|pc|${teamId}|${mentorId}`).text(ctx.t('matching.cancel_button'), 'ma|x'),
    },
  );
});

matchingFeature.callbackQuery(/^ma\|pc\|(\d{1,9})\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const teamId = Number(ctx.match[1]);
  const mentorId = Number(ctx.match[2]);
  const check = await checkNewPair(ctx, programme, mentorId, teamId);
  if (!check.ok) return refuse(ctx, check.message);
  const at = deps.clock.now();
  const outcome = await publishPairs(
    deps.db,
    [{ programmeId: programme.id, mentorId, teamId, score: check.result.score, reasons: check.result.reasons, createdById: ctx.person.id }],
    at,
  );
  if (!outcome.ok) {
    await ctx.answerCallbackQuery({ text: t('matching.team_got_mentor', { team: check.team.team.name }), show_alert: true });
    return;
  }
  const pair = outcome.pairs[0]!;
  await removePins(deps.db, programme.id, [{ mentorId, teamId }]);
  await recordAudit(deps.db, {
    actorId: ctx.person.id,
    action: 'match.publish',
    details: { mode: 'one', pairs: [{ pairId: pair.id, mentorId, teamId, score: pair.score }] },
    at,
  });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const report = await announcePair(deps, ctx.api, check.mentor, check.team);
  await ctx.reply(
    [
      t('matching.paired', { pair: pair.id, mentor: check.mentor.name, team: check.team.team.name, score: formatScore(pair.score) }),
      noticeLine(t, report),
    ].join('\n'),
  );
});

matchingFeature.callbackQuery('ma|x', coordinatorOnly, (ctx) => respond(ctx, ctx.t('matching.cancelled')));

// ---------------------------------------------------------------------------
// The whole-pool proposal

export interface Proposal {
  pool: MatchingPool;
  plan: AssignmentPlan;
  weights: MatchingWeights;
  constraints: MatchConstraint[];
  /** Pins whose mentor or team is not in the pool (the team has a mentor or is not ready). */
  idlePins: MatchConstraint[];
  /** Identifies exactly what is proposed: publishing checks it has not changed. */
  fingerprint: string;
}

export async function computeProposal(deps: AppDeps, programme: Programme): Promise<Proposal> {
  const [pool, constraints] = await Promise.all([loadPool(deps.db, programme.id), listConstraints(deps.db, programme.id)]);
  const weights = programmeWeights(programme);
  const mentorIds = new Set(pool.mentors.map((m) => m.mentor.id));
  const teamIds = new Set(pool.teams.map((t) => t.team.id));
  const pinnedTeams = new Set<number>();
  const pinned: Array<[number, number]> = [];
  const idlePins: MatchConstraint[] = [];
  // Latest pin first, so that a team pinned twice (an older version allowed it) keeps the newest.
  for (const c of [...constraints].reverse()) {
    if (c.kind !== 'pin') continue;
    if (!mentorIds.has(c.mentorId) || !teamIds.has(c.teamId) || pinnedTeams.has(c.teamId)) {
      idlePins.push(c);
      continue;
    }
    pinnedTeams.add(c.teamId);
    pinned.push([c.mentorId, c.teamId]);
  }
  const forbidden = constraints.filter((c) => c.kind === 'forbid').map((c): [number, number] => [c.mentorId, c.teamId]);
  const plan = assignAll(
    pool.mentors.map((m) => m.candidate),
    pool.teams.map((t) => t.candidate),
    weights,
    { pinned, forbidden },
  );
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(plan.pairs.map((p) => [p.mentorId, p.teamId, Math.round(p.score * 1000), p.pinned, p.reasons])))
    .digest('base64url')
    .slice(0, 16);
  return { pool, plan, weights, constraints, idlePins: idlePins.reverse(), fingerprint };
}

async function showProposal(ctx: BotContext, programme?: Programme): Promise<void> {
  const { deps, t } = ctx;
  programme ??= await programmeOf(deps);
  const proposal = await computeProposal(deps, programme);
  const { pool, plan } = proposal;
  const mentors = new Map(pool.mentors.map((m) => [m.mentor.id, m]));
  const teams = new Map(pool.teams.map((x) => [x.team.id, x]));
  const lines = [`<b>${t('matching.proposal_title')}</b>`, t('matching.proposal_hint')];
  if (pool.teams.length === 0) {
    lines.push('', t('matching.proposal_no_teams'));
    await ctx.reply(lines.join('\n'), { reply_markup: new InlineKeyboard().text(t('matching.recompute_button'), 'ma|rc') });
    return;
  }
  lines.push(
    t('matching.proposal_counts', {
      pairs: plan.pairs.length,
      teams: pool.teams.length,
      mentors: pool.mentors.length,
      total: formatScore(plan.totalScore),
    }),
    '',
  );
  plan.pairs.forEach((p, i) => {
    lines.push(
      t(p.pinned ? 'matching.proposal_line_pinned' : 'matching.proposal_line', {
        rank: i + 1,
        team: teams.get(p.teamId)?.team.name ?? `#${p.teamId}`,
        teamId: p.teamId,
        mentor: mentors.get(p.mentorId)?.name ?? `#${p.mentorId}`,
        mentorId: p.mentorId,
        score: formatScore(p.score),
      }),
      `   ${escapeHtml(describeReasons(p.reasons, t))}`,
    );
    if (!p.eligible) lines.push(`   ⚠️ ${t('matching.pinned_against_rules')}`);
  });
  if (plan.unmatchedTeams.length > 0) {
    lines.push('', t('matching.unmatched_title'));
    for (const id of plan.unmatchedTeams) lines.push(t('matching.unmatched_line', { team: teams.get(id)?.team.name ?? `#${id}`, id }));
  }
  if (proposal.idlePins.length > 0) {
    const [pinMentors, pinTeams] = await Promise.all([
      loadMentors(deps.db, programme.id, proposal.idlePins.map((c) => c.mentorId)),
      loadTeams(deps.db, programme.id, proposal.idlePins.map((c) => c.teamId)),
    ]);
    lines.push('', t('matching.idle_pins_title'));
    for (const c of proposal.idlePins) {
      lines.push(
        t('matching.pin_line', {
          mentor: pinMentors.find((m) => m.mentor.id === c.mentorId)?.name ?? `#${c.mentorId}`,
          mentorId: c.mentorId,
          team: pinTeams.find((x) => x.team.id === c.teamId)?.team.name ?? `#${c.teamId}`,
          teamId: c.teamId,
        }),
      );
    }
  }
  const forbids = proposal.constraints.filter((c) => c.kind === 'forbid').length;
  if (forbids > 0) lines.push('', t('matching.forbids_count', { number: forbids }));
  lines.push('', t('matching.proposal_controls'));

  const keyboard = new InlineKeyboard();
  if (plan.pairs.length > 0) {
    keyboard.text(t('matching.publish_all_button', { number: plan.pairs.length }), `ma|pub|${proposal.fingerprint}`);
  }
  keyboard.text(t('matching.recompute_button'), 'ma|rc').row();
  plan.pairs.slice(0, MAX_ROW_BUTTONS).forEach((p, i) => {
    const rank = i + 1;
    keyboard
      .text(t(p.pinned ? 'matching.unpin_button' : 'matching.pin_button', { rank }), `ma|${p.pinned ? 'up' : 'pin'}|${p.mentorId}|${p.teamId}`)
      .text(t('matching.forbid_button', { rank }), `ma|fb|${p.mentorId}|${p.teamId}`)
      .row();
  });
  keyboard.text(t('matching.weights_button'), 'ma|w');
  await replyInChunks(ctx, lines, keyboard);
}

/** Takes the buttons off an older proposal, so that only the newest can be acted on. */
async function retireButtons(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery?.message) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}

matchingFeature.callbackQuery('ma|all', coordinatorOnly, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showProposal(ctx);
});

matchingFeature.callbackQuery('ma|rc', coordinatorOnly, async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t('matching.recomputed') });
  await retireButtons(ctx);
  await showProposal(ctx);
});

export type PublishResult =
  | { ok: false; reason: 'changed' | 'empty' }
  | { ok: true; pairs: Array<{ pair: Pair; mentor: MentorEntry; team: TeamEntry; report: NoticeReport }> };

/**
 * Publishes the whole-pool proposal the coordinator saw (`fingerprint`): the pairs are
 * made, their pins are done with, both sides of each pair are told, and the audit log
 * says so. Nothing happens if the proposal has changed since.
 */
export async function publishProposal(actor: Actor, programme: Programme, fingerprint: string): Promise<PublishResult> {
  const { deps } = actor;
  const proposal = await computeProposal(deps, programme);
  if (proposal.fingerprint !== fingerprint) return { ok: false, reason: 'changed' };
  if (proposal.plan.pairs.length === 0) return { ok: false, reason: 'empty' };
  const at = deps.clock.now();
  const outcome = await publishPairs(
    deps.db,
    proposal.plan.pairs.map((p) => ({
      programmeId: programme.id,
      mentorId: p.mentorId,
      teamId: p.teamId,
      score: p.score,
      reasons: p.reasons,
      createdById: actor.person.id,
    })),
    at,
  );
  if (!outcome.ok) return { ok: false, reason: 'changed' };
  await removePins(deps.db, programme.id, proposal.plan.pairs);
  await recordAudit(deps.db, {
    actorId: actor.person.id,
    action: 'match.publish',
    details: {
      mode: 'all',
      pairs: outcome.pairs.map((p) => ({ pairId: p.id, mentorId: p.mentorId, teamId: p.teamId, score: p.score })),
    },
    at,
  });
  const mentors = new Map(proposal.pool.mentors.map((m) => [m.mentor.id, m]));
  const teams = new Map(proposal.pool.teams.map((x) => [x.team.id, x]));
  const told = [];
  for (const pair of outcome.pairs) {
    const mentor = mentors.get(pair.mentorId)!;
    const team = teams.get(pair.teamId)!;
    // The mentor's load has grown with each new pair; the introduction does not depend on it.
    told.push({ pair, mentor, team, report: await announcePair(deps, actor.api, mentor, team) });
  }
  return { ok: true, pairs: told };
}

matchingFeature.callbackQuery(/^ma\|pub\|([\w-]{16})$/, coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const result = await publishProposal(ctx, programme, ctx.match[1]!);
  if (!result.ok && result.reason === 'empty') {
    await ctx.answerCallbackQuery({ text: t('matching.nothing_to_publish'), show_alert: true });
    return;
  }
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: t('matching.proposal_changed'), show_alert: true });
    await retireButtons(ctx);
    await showProposal(ctx, programme);
    return;
  }
  await ctx.answerCallbackQuery({ text: t('matching.published_toast', { number: result.pairs.length }) });
  await retireButtons(ctx);
  const lines = [`<b>${t('matching.published_title', { number: result.pairs.length })}</b>`, ''];
  for (const { pair, mentor, team, report } of result.pairs) {
    lines.push(
      t('matching.published_line', { pair: pair.id, team: team.team.name, mentor: mentor.name, score: formatScore(pair.score) }),
      `   ${noticeLine(t, report)}`,
    );
  }
  lines.push('', t('matching.published_hint'));
  await replyInChunks(ctx, lines);
});

// ---------------------------------------------------------------------------
// Pins and forbids

export type ConstraintAction = 'pin' | 'forbid' | 'unpin' | 'unforbid';

/** Pins, forbids or lifts one; the answer (HTML) says what happened or why not. The chat and the console both use it. */
export async function changeConstraint(ctx: Actor, action: ConstraintAction, mentorId: number, teamId: number): Promise<string> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const [[mentor], [team]] = await Promise.all([loadMentors(deps.db, programme.id, [mentorId]), loadTeams(deps.db, programme.id, [teamId])]);
  if (!mentor) return t('matching.mentor_not_found', { id: mentorId });
  if (!team) return t('matching.team_not_found', { id: teamId });
  if (action === 'pin' && mentor.left) return t('matching.mentor_left', { mentor: mentor.name, id: mentorId });
  const names = { mentor: mentor.name, mentorId, team: team.team.name, teamId };
  const at = deps.clock.now();
  if (action === 'unpin' || action === 'unforbid') {
    const kind: ConstraintKind = action === 'unpin' ? 'pin' : 'forbid';
    const removed = await removeConstraint(deps.db, { programmeId: programme.id, mentorId, teamId, kind });
    if (!removed) return t(kind === 'pin' ? 'matching.no_such_pin' : 'matching.no_such_forbid', names);
    await recordAudit(deps.db, { actorId: ctx.person.id, action: `match.${action}`, details: { mentorId, teamId }, at });
    return t(kind === 'pin' ? 'matching.unpinned' : 'matching.unforbidden', names);
  }
  const paired = await teamsWithActivePair(deps.db, programme.id);
  if (action === 'pin' && paired.has(teamId)) return t('matching.pin_team_paired', names);
  const { replacedPins } = await setConstraint(deps.db, { programmeId: programme.id, mentorId, teamId, kind: action, createdById: ctx.person.id, at });
  await recordAudit(deps.db, {
    actorId: ctx.person.id,
    action: `match.${action}`,
    details: { mentorId, teamId, ...(replacedPins.length > 0 ? { replacedMentorIds: replacedPins.map((c) => c.mentorId) } : {}) },
    at,
  });
  const lines = [t(action === 'pin' ? 'matching.pinned' : 'matching.forbidden', names)];
  if (action === 'pin') {
    if (replacedPins.length > 0) {
      const replaced = await loadMentors(deps.db, programme.id, replacedPins.map((c) => c.mentorId));
      lines.push(t('matching.pin_replaced', { mentors: replaced.map((m) => m.name).join(', ') || replacedPins.map((c) => `#${c.mentorId}`).join(', ') }));
    }
    const result = scorePair(mentor.candidate, team.candidate, programmeWeights(programme));
    if (!result.eligible) {
      lines.push(t('matching.pin_against_rules', { why: describeReasons(result.reasons.filter(isIneligibility), t) }));
    }
  }
  return lines.join('\n');
}

const CONSTRAINT_BUTTON_ACTIONS: Record<string, ConstraintAction> = { pin: 'pin', fb: 'forbid', up: 'unpin' };

matchingFeature.callbackQuery(/^ma\|(pin|fb|up)\|(\d{1,9})\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const action = CONSTRAINT_BUTTON_ACTIONS[ctx.match[1]!]!;
  const message = await changeConstraint(ctx, action, Number(ctx.match[2]), Number(ctx.match[3]));
  await ctx.answerCallbackQuery({ text: buttonText(stripTags(message), 190) });
  await retireButtons(ctx);
  await ctx.reply(message);
  await showProposal(ctx);
});

// ---------------------------------------------------------------------------
// Weights

function weightsText(t: Translate, weights: MatchingWeights, stored: boolean): string {
  return [
    `<b>${t('matching.weights.title')}</b>`,
    t(stored ? 'matching.weights.custom' : 'matching.weights.defaults'),
    '',
    ...WEIGHT_KEYS.map((key) =>
      t('matching.weights.line', { key, value: weights[key], meaning: t(`matching.weights.meaning.${key}`), default: DEFAULT_WEIGHTS[key] }),
    ),
    '',
    t('matching.weights.usage'),
  ].join('\n');
}

async function showWeights(ctx: BotContext): Promise<void> {
  const programme = await programmeOf(ctx.deps);
  await ctx.reply(weightsText(ctx.t, programmeWeights(programme), programme.matchingWeights !== null));
}

async function changeWeights(ctx: BotContext, tokens: string[]): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const before = programmeWeights(programme);
  const at = deps.clock.now();
  if (tokens.length === 1 && tokens[0]!.toLowerCase() === 'reset') {
    await saveMatchingWeights(deps.db, programme.id, null);
    await recordAudit(deps.db, { actorId: ctx.person.id, action: 'match.weights', details: { before, after: { ...DEFAULT_WEIGHTS }, reset: true }, at });
    await ctx.reply(`${t('matching.weights.reset_done')}\n\n${weightsText(t, { ...DEFAULT_WEIGHTS }, false)}`);
    return;
  }
  const partial: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const token of tokens) {
    const match = /^([^=]+)=(.*)$/.exec(token);
    if (!match) {
      problems.push(t('matching.weights.bad_token', { token }));
      continue;
    }
    const written = match[1]!.trim();
    const key = WEIGHT_KEYS.find((k) => k.toLowerCase() === written.toLowerCase()) ?? written;
    const raw = match[2]!.trim().replace(',', '.');
    const value = raw !== '' && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(raw) ? Number(raw) : match[2]!;
    partial[key] = value;
  }
  const merged = mergeWeights(partial, before);
  if (!merged.ok) {
    for (const error of merged.errors) {
      if (error.problem === 'unknown_key') problems.push(t('matching.weights.unknown_key', { key: error.key, keys: WEIGHT_KEYS.join(', ') }));
      else if (error.problem === 'negative') problems.push(t('matching.weights.negative', { key: error.key }));
      else problems.push(t('matching.weights.not_a_number', { key: error.key, value: String(partial[error.key] ?? '') }));
    }
  }
  if (problems.length > 0 || !merged.ok) {
    await ctx.reply([t('matching.weights.not_changed'), ...problems.map((p) => `• ${p}`), '', t('matching.weights.usage')].join('\n'));
    return;
  }
  await saveMatchingWeights(deps.db, programme.id, merged.weights);
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'match.weights', details: { before, after: merged.weights }, at });
  await ctx.reply(`${t('matching.weights.saved')}\n\n${weightsText(t, merged.weights, true)}`);
}

matchingFeature.callbackQuery('ma|w', coordinatorOnly, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showWeights(ctx);
});

// ---------------------------------------------------------------------------
// The command

matchingFeature.command('match', coordinatorOnly, async (ctx) => {
  const { t } = ctx;
  const [action, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
  if (!action) return overview(ctx);
  const lower = action.toLowerCase();
  if (/^\d{1,9}$/.test(action) && rest.length === 0) return showTopMentors(ctx, Number(action));
  if (lower === 'all' && rest.length === 0) return showProposal(ctx);
  if (lower === 'weights') return rest.length === 0 ? showWeights(ctx) : changeWeights(ctx, rest);
  if (lower === 'pin' || lower === 'forbid' || lower === 'unpin' || lower === 'unforbid') {
    const ids = rest.map((r) => r.replace(/^#/, ''));
    if (ids.length !== 2 || !ids.every((id) => /^\d{1,9}$/.test(id))) {
      await ctx.reply(t('matching.constraint_usage', { action: lower }));
      return;
    }
    await ctx.reply(await changeConstraint(ctx, lower, Number(ids[0]), Number(ids[1])));
    return;
  }
  await ctx.reply(t('matching.usage'));
});

matchingFeature.callbackQuery(/^ma\|t\|(\d{1,9})$/, coordinatorOnly, (ctx) => showTopMentors(ctx, Number(ctx.match[1])));

// Anything else that looks like one of these buttons was forged or comes from an older version.
matchingFeature.callbackQuery(/^ma\|/, coordinatorOnly, (ctx) =>
  ctx.answerCallbackQuery({ text: ctx.t('matching.invalid_button'), show_alert: true }),
);
