import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Person, Programme } from '../db/database.js';
import { loadResponse, setResponseStatus } from '../db/form-responses.js';
import { findPair } from '../db/pairs.js';
import { programmeOf } from '../db/programmes.js';
import {
  evaluationRecords,
  findEvaluation,
  offerEvaluation,
  pairParties,
  type PairParties,
  personName,
  programmePeriodEnd,
  roleInPair,
} from '../db/report-data.js';
import { formatLocalDate } from '../domain/time-zone.js';
import { writeXlsx, type ExportColumn } from '../exports/workbook.js';
import { enterForm } from '../forms/engine/enter-form.js';
import { openAsPageKeyboard } from '../web/open-button.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { isComplete } from '../forms/engine/navigation.js';
import { programmeEvaluationForm } from '../forms/programme-evaluation.js';
import { textKeys, type Question } from '../forms/types.js';
import { escapeHtml, type Translate } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';

/**
 * The end-of-programme evaluation. When a pair's programme period ends, the mentor
 * and every team member are invited (src/jobs/progress-jobs.ts) with a button that
 * opens the form; coordinators read the answers and download them.
 *
 * Buttons: ev8|open|<pair> (the person's own evaluation), ev8|all and ev8|x (coordinators).
 */
export const evaluationFeature = new Composer<BotContext>();

const FORM = programmeEvaluationForm;

/** The pair's programme period is over: its time ran out, or a coordinator ended it as finished. */
export function evaluationDue(
  pair: { status: string; publishedAt: Date; endedAt: Date | null; endReason: string | null },
  programme: Pick<Programme, 'durationMonths' | 'timeZone'>,
  now: Date,
): boolean {
  if (pair.status === 'ended') return pair.endReason === 'finished';
  return now.getTime() >= programmePeriodEnd(pair, programme.durationMonths, programme.timeZone).getTime();
}

/** The button under the invitation and the reminders. */
export function evaluationButton(t: Translate, pairId: number) {
  return [[{ text: t('evaluation.open_button'), callback_data: `ev8|open|${pairId}` }]];
}

evaluationFeature.callbackQuery(/^ev8\|open\|(\d{1,9})$/, async (ctx) => {
  const { t, deps } = ctx;
  const programme = await programmeOf(deps);
  const pair = await findPair(deps.db, Number(ctx.match[1]));
  const role = pair && pair.programmeId === programme.id ? await roleInPair(deps.db, pair, ctx.person.id) : undefined;
  if (!pair || !role) return void (await ctx.answerCallbackQuery({ text: t('evaluation.not_available'), show_alert: true }));
  const existing = await findEvaluation(deps.db, programme.id, pair.id, ctx.person.id);
  if (!existing && !evaluationDue(pair, programme, deps.clock.now())) {
    return void (await ctx.answerCallbackQuery({ text: t('evaluation.not_yet'), show_alert: true }));
  }
  if (existing?.status === 'submitted') return void (await ctx.answerCallbackQuery({ text: t('evaluation.already_submitted'), show_alert: true }));
  const offer = existing ?? (await offerEvaluation(deps.db, { programmeId: programme.id, pairId: pair.id, personId: ctx.person.id, at: deps.clock.now() }));
  await ctx.answerCallbackQuery();
  const response = await loadResponse(deps.db, offer.id);
  const started = response !== undefined && Object.keys(response.answers).length > 0;
  const page = openAsPageKeyboard(ctx.deps.config, t, offer.id);
  if (!started) await ctx.reply(t('evaluation.intro'), page ? { reply_markup: page } : {});
  // Coming back to it: the page is offered again on the first message.
  else if (page) await ctx.reply(t('web.open_hint'), { reply_markup: page });
  await enterForm(ctx, { responseId: offer.id, ...(response && isComplete(FORM, response.answers) ? { start: 'review' as const } : {}) });
});

/** How the evaluation is submitted: once, and then it is kept as it is. */
export const programmeEvaluationBehaviour: FormBehaviour = {
  resumeHintKey: 'evaluation.resume_hint',
  submitLabelKey: 'evaluation.submit_button',
  reviewTitleKey: 'evaluation.review_title',
  lockedWhenSubmitted: true,
  lockedMessageKey: 'evaluation.already_submitted',
  async submit({ deps, response, locale }) {
    const t = deps.i18n.t(locale);
    if (!isComplete(FORM, response.answers)) return { ok: false, leave: false, message: t('evaluation.incomplete') };
    await setResponseStatus(deps.db, response.id, 'submitted', deps.clock.now());
    return { ok: true, messages: [t('evaluation.thanks')] };
  },
};

// ---------------------------------------------------------------------------
// What coordinators see

interface Answered {
  personId: number;
  person?: Person;
  role: 'mentor' | 'team';
  parties: PairParties;
  submittedAt: Date | null;
  status: string;
  answers: Record<string, unknown>;
}

async function loadEvaluations(deps: AppDeps, programme: Programme): Promise<Answered[]> {
  const records = await evaluationRecords(deps.db, programme.id);
  if (records.length === 0) return [];
  const pairs = await deps.db.pair.findMany({ where: { id: { in: [...new Set(records.map((r) => r.pairId))] } } });
  const parties = await pairParties(deps.db, pairs);
  const people = await deps.db.person.findMany({ where: { id: { in: [...new Set(records.map((r) => r.personId))] } } });
  const personById = new Map(people.map((p) => [p.id, p]));
  return records.flatMap((record) => {
    const p = parties.get(record.pairId);
    if (!p) return [];
    return [
      {
        personId: record.personId,
        person: personById.get(record.personId),
        role: p.mentor.personId === record.personId ? ('mentor' as const) : ('team' as const),
        parties: p,
        submittedAt: record.submittedAt,
        status: record.status,
        answers: record.answers,
      },
    ];
  });
}

/** An answer as plain text, in the reader's language. */
function plainAnswer(t: Translate, question: Question, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (question.type) {
    case 'yes_no':
      return t(value ? 'form.buttons.yes' : 'form.buttons.no');
    case 'single_choice':
      return t(textKeys.option(FORM.id, question.id, String(value)));
    default:
      return String(value);
  }
}

const QUESTIONS = FORM.sections.flatMap((s) => s.questions);
const question = (id: string) => QUESTIONS.find((q) => q.id === id)!;

function average(values: number[]): string {
  if (values.length === 0) return '—';
  return (Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10).toString();
}

function respondentName(answered: Answered): string {
  if (answered.role === 'mentor') return answered.parties.mentor.name;
  return answered.person ? personName(answered.person) : `#${answered.personId}`;
}

/** The overview and every submitted evaluation, as messages. */
export async function evaluationMessages(deps: AppDeps, programme: Programme, t: Translate): Promise<string[]> {
  const all = await loadEvaluations(deps, programme);
  const submitted = all.filter((a) => a.status === 'submitted');
  const lines = [`📝 <b>${t('evaluation.overview.title')}</b>`, t('evaluation.overview.counts', { offered: all.length, submitted: submitted.length })];
  if (submitted.length === 0) return [[...lines, '', t('evaluation.overview.none')].join('\n')];

  const numbers = (id: string) => submitted.map((a) => a.answers[id]).filter((v): v is number => typeof v === 'number');
  const recommend = submitted.filter((a) => a.answers.would_recommend === true).length;
  lines.push(
    t('evaluation.overview.averages', { satisfaction: average(numbers('satisfaction')), usefulness: average(numbers('usefulness')) }),
    t('evaluation.overview.recommend', { yes: recommend, total: submitted.length }),
  );
  const planQuestion = question('action_plan_status');
  if (planQuestion.type === 'single_choice') {
    const counts = planQuestion.options
      .map((option) => ({ option, count: submitted.filter((a) => a.answers.action_plan_status === option).length }))
      .filter((c) => c.count > 0)
      .map((c) => `${escapeHtml(t(textKeys.option(FORM.id, planQuestion.id, c.option)))}: ${c.count}`);
    lines.push(t('evaluation.overview.plan_status', { list: counts.join(', '), interpolation: { escapeValue: false } }));
  }

  const blocks = [lines.join('\n')];
  for (const answered of submitted) {
    const role = t(answered.role === 'mentor' ? 'evaluation.overview.role_mentor' : 'evaluation.overview.role_team');
    const head = t('evaluation.overview.response_head', {
      name: respondentName(answered),
      role,
      team: answered.parties.team.name,
      mentor: answered.parties.mentor.name,
      date: answered.submittedAt ? formatLocalDate(answered.submittedAt, programme.timeZone) : '—',
    });
    const body = QUESTIONS.filter((q) => answered.answers[q.id] !== undefined && answered.answers[q.id] !== null).map(
      (q) => `<i>${escapeHtml(t(textKeys.question(FORM.id, q.id)))}</i>\n${escapeHtml(clip(plainAnswer(t, q, answered.answers[q.id]), ANSWER_CHARS))}`,
    );
    blocks.push([head, ...body].join('\n'));
  }
  return pack(blocks);
}

/** Long answers are shortened in chat so that one evaluation fits a message; the spreadsheet has them whole. */
const ANSWER_CHARS = 1000;
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : text;
}

function pack(blocks: readonly string[], limit = 3800): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks) {
    if (current !== '' && current.length + block.length + 2 > limit) {
      messages.push(current);
      current = block;
    } else current = current === '' ? block : `${current}\n\n${block}`;
  }
  if (current !== '') messages.push(current);
  return messages;
}

/** Coordinators: the answers (also reached with /report evaluations). */
export async function showEvaluations(ctx: BotContext): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'evaluation.view', at: deps.clock.now() });
  const messages = await evaluationMessages(deps, programme, t);
  const keyboard = new InlineKeyboard().text(t('evaluation.overview.download'), 'ev8|x');
  for (const [i, text] of messages.entries()) await ctx.reply(text, i === messages.length - 1 ? { reply_markup: keyboard } : {});
}

evaluationFeature.callbackQuery('ev8|all', coordinatorOnly, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showEvaluations(ctx);
});

evaluationFeature.callbackQuery('ev8|x', coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const all = await loadEvaluations(deps, programme);
  await ctx.answerCallbackQuery();
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'evaluation.export', details: { rows: all.length }, at: deps.clock.now() });
  const columns: ExportColumn<Answered>[] = [
    { header: t('evaluation.xlsx.team'), value: (a) => a.parties.team.name, width: 28 },
    { header: t('evaluation.xlsx.mentor'), value: (a) => a.parties.mentor.name, width: 24 },
    { header: t('evaluation.xlsx.respondent'), value: respondentName, width: 24 },
    { header: t('evaluation.xlsx.role'), value: (a) => t(a.role === 'mentor' ? 'evaluation.overview.role_mentor' : 'evaluation.overview.role_team') },
    { header: t('evaluation.xlsx.status'), value: (a) => t(a.status === 'submitted' ? 'evaluation.xlsx.submitted' : 'evaluation.xlsx.not_submitted') },
    { header: t('evaluation.xlsx.submitted_at'), value: (a) => a.submittedAt, kind: 'datetime' },
    ...QUESTIONS.map(
      (q): ExportColumn<Answered> => ({
        header: t(textKeys.question(FORM.id, q.id)),
        value: (a) => (q.type === 'scale' && typeof a.answers[q.id] === 'number' ? (a.answers[q.id] as number) : plainAnswer(t, q, a.answers[q.id])),
        kind: q.type === 'scale' ? 'number' : 'text',
        width: q.type === 'long_text' ? 50 : 20,
      }),
    ),
  ];
  const dir = await mkdtemp(path.join(tmpdir(), 'citymentor-evaluation-'));
  const output = path.join(dir, 'programme-evaluation.xlsx');
  try {
    await writeXlsx([{ name: t('evaluation.xlsx.sheet'), columns, rows: all }], { output, timeZone: programme.timeZone });
    await ctx.replyWithDocument(new InputFile(output, 'programme-evaluation.xlsx'), { caption: t('evaluation.xlsx.caption', { invited: all.length }) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

evaluationFeature.callbackQuery(/^ev8\|/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
