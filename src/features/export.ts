import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Composer, InputFile } from 'grammy';
import { DateTime } from 'luxon';
import type { Actor } from '../actor.js';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Programme } from '../db/database.js';
import {
  type AnswerMap,
  applicationsPage,
  mentoringLogsPage,
  pairIdsOf,
  pairParties,
  pairsPage,
  programmeNames,
  sessionsPage,
  type TeamRecord,
  teamsPage,
} from '../db/programme-overview.js';
import { programmeOf } from '../db/programmes.js';
import { applicationStatus } from '../domain/application-status.js';
import { teamStatus } from '../domain/team-status.js';
import { type ExportColumn, type ExportSheet, type ExportValue, paginate, writeCsv, writeXlsx } from '../exports/workbook.js';
import { mentorApplicationForm } from '../forms/mentor-application.js';
import { needsAnalysisForm } from '../forms/needs-analysis.js';
import { type FormDefinition, type Question, textKeys } from '../forms/types.js';
import type { Translate } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { zoneName } from '../local-time-text.js';
import { programmeName } from '../domain/programme-name.js';

/**
 * /export: the programme's data as one XLSX workbook (or `/export csv`: one CSV file
 * per sheet) for the coordinators' own reporting. Headers and labels are in the
 * coordinator's language, times in the programme's time zone. Mentoring notes are
 * confidential and are never exported.
 */
export const exportFeature = new Composer<BotContext>();

const PAGE = 500;

/** Labels are plain text in a spreadsheet: no tags, no HTML entities. */
function plain(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

/** A label for a stored code, or the code itself when there is no label for it. */
const label = (t: Translate, key: string, code: string) => plain(t(key, { defaultValue: code }));

/** An answer as a cell: choices by their labels, numbers as numbers. */
export function answerCell(form: FormDefinition, question: Question, value: unknown, t: Translate): ExportValue {
  if (value === null || value === undefined) return null;
  switch (question.type) {
    case 'yes_no':
      return plain(t(value ? 'form.buttons.yes' : 'form.buttons.no'));
    case 'consent':
      return plain(t('form.consent_given'));
    case 'single_choice':
      return plain(t(textKeys.option(form.id, question.id, String(value))));
    case 'multiple_choice': {
      const given = value as string[] | { choices?: string[]; other?: string };
      const choices = Array.isArray(given) ? given : (given.choices ?? []);
      const labels = choices.map((c) => plain(t(textKeys.option(form.id, question.id, c))));
      if (!Array.isArray(given) && given.other) labels.push(`${plain(t('form.buttons.other')).replace(/:$/, '')}: ${given.other}`);
      return labels.join(', ');
    }
    case 'document': {
      const file = value as { kind?: string; url?: string; fileName?: string };
      return file.kind === 'url' ? (file.url ?? null) : (file.fileName ?? plain(t('form.file', { name: '' })));
    }
    case 'number':
    case 'scale':
      return typeof value === 'number' ? value : Number(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function question(form: FormDefinition, id: string): Question {
  const found = form.sections.flatMap((s) => s.questions).find((q) => q.id === id);
  if (!found) throw new Error(`No question ${id} in ${form.id}`);
  return found;
}

const applicationAnswer = (answers: AnswerMap, id: string, t: Translate) =>
  answerCell(mentorApplicationForm, question(mentorApplicationForm, id), answers[id], t);

function teamStatusCode(team: TeamRecord): string {
  if (team.activeMentorId !== undefined) return 'paired';
  const analysis = team.needsAnalysis;
  return teamStatus({
    members: team.members,
    answers: analysis ? Object.keys(analysis.answers).length : 0,
    needsAnalysis: (analysis?.status as 'draft' | 'submitted' | 'withdrawn' | undefined) ?? 'none',
  });
}

/** The six sheets, each reading its rows page by page when written. */
async function buildSheets(deps: AppDeps, programme: Programme, t: Translate): Promise<Array<ExportSheet<any> & { slug: string }>> {
  const { db } = deps;
  const id = programme.id;
  const names = await programmeNames(db, id);
  const pairIds = await pairIdsOf(db, id);
  const col = (key: string) => plain(t(`export.columns.${key}`));
  const mentorName = (mentorId: number | undefined) => (mentorId === undefined ? null : (names.mentors.get(mentorId) ?? `#${mentorId}`));
  const teamName = (teamId: number | undefined) => (teamId === undefined ? null : (names.teams.get(teamId) ?? `#${teamId}`));

  type Application = Awaited<ReturnType<typeof applicationsPage>>[number];
  const applications: ExportSheet<Application> & { slug: string } = {
    slug: 'applications',
    name: plain(t('export.sheets.applications')),
    columns: [
      { header: col('id'), value: (a) => a.id, kind: 'number', width: 8 },
      { header: col('name'), value: (a) => applicationAnswer(a.answers, 'full_name', t), width: 28 },
      { header: col('email'), value: (a) => applicationAnswer(a.answers, 'email', t), width: 28 },
      { header: col('country'), value: (a) => applicationAnswer(a.answers, 'country', t) },
      { header: col('city'), value: (a) => applicationAnswer(a.answers, 'city', t) },
      { header: col('organisation'), value: (a) => applicationAnswer(a.answers, 'organisation', t), width: 28 },
      { header: col('expertise'), value: (a) => applicationAnswer(a.answers, 'expertise_areas', t), width: 40 },
      { header: col('languages'), value: (a) => applicationAnswer(a.answers, 'working_languages', t), width: 24 },
      { header: col('english_level'), value: (a) => applicationAnswer(a.answers, 'english_level', t), width: 22 },
      { header: col('status'), value: (a) => label(t, `export.application_status.${applicationStatus(a.status, a.decisions)}`, a.status) },
      { header: col('submitted_at'), value: (a) => a.submittedAt, kind: 'datetime' },
    ],
    rows: paginate((cursor, take) => applicationsPage(db, id, cursor, take), (a) => a.id, PAGE),
  };

  const teams: ExportSheet<TeamRecord> & { slug: string } = {
    slug: 'teams',
    name: plain(t('export.sheets.teams')),
    columns: [
      { header: col('id'), value: (team) => team.id, kind: 'number', width: 8 },
      { header: col('team'), value: (team) => team.name, width: 28 },
      { header: col('team_kind'), value: (team) => label(t, `export.team_kind.${team.kind}`, team.kind) },
      { header: col('country'), value: (team) => team.country },
      { header: col('region'), value: (team) => team.region },
      { header: col('city'), value: (team) => team.city },
      { header: col('population'), value: (team) => team.population, kind: 'number' },
      { header: col('contact_name'), value: (team) => team.contactName, width: 24 },
      { header: col('contact_email'), value: (team) => team.contactEmail, width: 28 },
      { header: col('members'), value: (team) => team.members, kind: 'number' },
      { header: col('status'), value: (team) => label(t, `export.team_status.${teamStatusCode(team)}`, teamStatusCode(team)), width: 24 },
      { header: col('mentor'), value: (team) => mentorName(team.activeMentorId), width: 28 },
      { header: col('created_at'), value: (team) => team.createdAt, kind: 'datetime' },
    ],
    rows: paginate((cursor, take) => teamsPage(db, id, cursor, take), (team) => team.id, PAGE),
  };

  const analysisQuestions = needsAnalysisForm.sections.flatMap((s) => s.questions);
  const analyses: ExportSheet<TeamRecord> & { slug: string } = {
    slug: 'needs-analyses',
    name: plain(t('export.sheets.needs_analyses')),
    columns: [
      { header: col('team_id'), value: (team) => team.id, kind: 'number', width: 8 },
      { header: col('team'), value: (team) => team.name, width: 28 },
      {
        header: col('status'),
        value: (team) => label(t, `export.analysis_status.${team.needsAnalysis?.status ?? 'not_started'}`, team.needsAnalysis?.status ?? ''),
      },
      { header: col('submitted_at'), value: (team) => team.needsAnalysis?.submittedAt ?? null, kind: 'datetime' },
      ...analysisQuestions.map(
        (q): ExportColumn<TeamRecord> => ({
          header: plain(t(textKeys.question(needsAnalysisForm.id, q.id))).slice(0, 120),
          value: (team) => answerCell(needsAnalysisForm, q, team.needsAnalysis?.answers[q.id], t),
          kind: q.type === 'number' ? 'number' : 'text',
          width: q.type === 'long_text' ? 50 : 20,
        }),
      ),
    ],
    rows: paginate((cursor, take) => teamsPage(db, id, cursor, take), (team) => team.id, PAGE),
  };

  type PairRow = Awaited<ReturnType<typeof pairsPage>>[number];
  const pairs: ExportSheet<PairRow> & { slug: string } = {
    slug: 'pairs',
    name: plain(t('export.sheets.pairs')),
    columns: [
      { header: col('id'), value: (p) => p.id, kind: 'number', width: 8 },
      { header: col('mentor'), value: (p) => mentorName(p.mentorId), width: 28 },
      { header: col('team'), value: (p) => teamName(p.teamId), width: 28 },
      { header: col('status'), value: (p) => label(t, `export.pair_status.${p.status}`, p.status) },
      { header: col('score'), value: (p) => (p.score === null ? null : Math.round(p.score * 100) / 100), kind: 'number' },
      { header: col('paired_at'), value: (p) => p.publishedAt, kind: 'datetime' },
      { header: col('ended_at'), value: (p) => p.endedAt, kind: 'datetime' },
      { header: col('end_reason'), value: (p) => p.endReason, width: 30 },
    ],
    rows: paginate((cursor, take) => pairsPage(db, id, cursor, take), (p) => p.id, PAGE),
  };

  type SessionRow = Awaited<ReturnType<typeof sessionsPage>>[number] & { mentorId?: number; teamId?: number };
  const sessions: ExportSheet<SessionRow> & { slug: string } = {
    slug: 'sessions',
    name: plain(t('export.sheets.sessions')),
    columns: [
      { header: col('id'), value: (s) => s.id, kind: 'number', width: 8 },
      { header: col('pair_id'), value: (s) => s.pairId, kind: 'number', width: 8 },
      { header: col('mentor'), value: (s) => mentorName(s.mentorId), width: 28 },
      { header: col('team'), value: (s) => teamName(s.teamId), width: 28 },
      { header: col('session_kind'), value: (s) => label(t, `export.session_kind.${s.kind}`, s.kind) },
      { header: col('starts_at'), value: (s) => s.startsAt, kind: 'datetime' },
      { header: col('duration_minutes'), value: (s) => s.durationMinutes, kind: 'number' },
      { header: col('place'), value: (s) => s.place, width: 30 },
      { header: col('status'), value: (s) => label(t, `export.session_status.${s.status}`, s.status) },
    ],
    rows: withPairs(db, paginate((cursor, take) => sessionsPage(db, id, cursor, take), (s) => s.id, PAGE)),
  };

  type LogRow = Awaited<ReturnType<typeof mentoringLogsPage>>[number] & { mentorId?: number; teamId?: number };
  const logs: ExportSheet<LogRow> & { slug: string } = {
    slug: 'mentoring-time',
    name: plain(t('export.sheets.mentoring_logs')),
    columns: [
      { header: col('id'), value: (l) => l.id, kind: 'number', width: 8 },
      { header: col('date'), value: (l) => l.date, kind: 'date' },
      { header: col('pair_id'), value: (l) => l.pairId, kind: 'number', width: 8 },
      { header: col('mentor'), value: (l) => mentorName(l.mentorId), width: 28 },
      { header: col('team'), value: (l) => teamName(l.teamId), width: 28 },
      { header: col('days'), value: (l) => l.amount, kind: 'number' },
      { header: col('activity'), value: (l) => label(t, `export.activity.${l.activity}`, l.activity), width: 24 },
      { header: col('logged_at'), value: (l) => l.createdAt, kind: 'datetime' },
    ],
    rows: withPairs(db, paginate((cursor, take) => mentoringLogsPage(db, pairIds, cursor, take), (l) => l.id, PAGE)),
  };

  return [applications, teams, analyses, pairs, sessions, logs];
}

/** Adds the mentor and team of each row's pair, looked up a page at a time. */
async function* withPairs<Row extends { pairId: number | null }>(
  db: AppDeps['db'],
  rows: AsyncIterable<Row>,
): AsyncGenerator<Row & { mentorId?: number; teamId?: number }> {
  let page: Row[] = [];
  const flush = async function* () {
    const parties = await pairParties(db, [...new Set(page.map((r) => r.pairId).filter((p): p is number => p !== null))]);
    for (const row of page) yield { ...row, ...(row.pairId !== null ? parties.get(row.pairId) : {}) };
    page = [];
  };
  for await (const row of rows) {
    page.push(row);
    if (page.length >= PAGE) yield* flush();
  }
  yield* flush();
}

export type ExportFormat = 'xlsx' | 'csv';

/**
 * Writes the programme's data and sends the file(s) into the coordinator's own chat,
 * with an audit entry: for /export and for the console's export buttons.
 */
export async function deliverExport(actor: Actor, format: ExportFormat): Promise<void> {
  const { deps, t, api } = actor;
  const chatId = Number(actor.person.telegramId);
  const programme = await programmeOf(deps);
  const day = DateTime.fromJSDate(deps.clock.now(), { zone: programme.timeZone }).toFormat('yyyy-MM-dd');
  await api.sendChatAction(chatId, 'upload_document');
  const dir = await mkdtemp(path.join(tmpdir(), 'citymentor-export-'));
  const rows: Record<string, number> = {};
  try {
    if (format === 'csv') {
      for (const sheet of await buildSheets(deps, programme, t)) {
        const name = `citymentor-${sheet.slug}-${day}.csv`;
        const output = path.join(dir, name);
        const result = await writeCsv(sheet, { timeZone: programme.timeZone, output });
        rows[sheet.slug] = result.rows;
        await api.sendDocument(chatId, new InputFile(output, name), { caption: t('export.sheet_rows', { sheet: sheet.name, rows: result.rows }) });
      }
    } else {
      const sheets = await buildSheets(deps, programme, t);
      const name = `citymentor-${day}.xlsx`;
      const output = path.join(dir, name);
      const result = await writeXlsx(sheets, { timeZone: programme.timeZone, output });
      sheets.forEach((sheet, i) => (rows[sheet.slug] = result.rows[i] ?? 0));
      const counts = result.sheetNames.map((sheet, i) => t('export.sheet_rows', { sheet, rows: result.rows[i] ?? 0 }));
      await api.sendDocument(chatId, new InputFile(output, name), {
        caption: [t('export.caption', { programme: programmeName(programme, actor.locale), zone: zoneName(t, programme.timeZone, actor.locale) }), ...counts].join('\n'),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await recordAudit(deps.db, { actorId: actor.person.id, action: 'export', details: { format, rows }, at: deps.clock.now() });
}

exportFeature.command('export', coordinatorOnly, async (ctx) => {
  const format = ctx.match.trim().toLowerCase();
  if (format !== '' && format !== 'xlsx' && format !== 'csv') {
    await ctx.reply(ctx.t('export.usage'));
    return;
  }
  await deliverExport(ctx, format === 'csv' ? 'csv' : 'xlsx');
});
