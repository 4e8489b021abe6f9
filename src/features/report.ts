import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { DateTime } from 'luxon';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Programme } from '../db/database.js';
import { programmeOf } from '../db/programmes.js';
import { addConsoleButton } from '../web/open-button.js';
import {
  lastLogDates,
  lastSessionStarts,
  logsBetween,
  pairParties,
  pairsOverlapping,
  sessionHeld,
  sessionsBetween,
  visitsOf,
} from '../db/report-data.js';
import { inactivity, type MentoringLog, monthlyProgress, type Visit, visitSummary } from '../domain/progress.js';
import { addMonths, formatLocalDate, isMonthKey, type MonthKey, monthKey, parseLocalDate } from '../domain/time-zone.js';
import { escapeHtml, type Translate } from '../i18n.js';
import type { Locale } from '../locales.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { showEvaluations } from './evaluation.js';
import { programmeName } from '../domain/programme-name.js';

/**
 * The programme's monthly progress for coordinators: days logged per pair against the
 * target, sessions held, visits done and quiet pairs, as a table and as a chart.
 * Sent on the 1st of each month for the month before (src/jobs/progress-jobs.ts) and
 * on demand with /report [YYYY-MM]; /report evaluations shows the end-of-programme
 * evaluations. What pairs wrote in their logs is never part of it.
 *
 * Buttons (coordinators only): rp|m|<YYYY-MM> another month, rp|c|<YYYY-MM> its chart.
 */
export const reportFeature = new Composer<BotContext>();


const DAY_MS = 24 * 60 * 60 * 1000;
const MESSAGE_LIMIT = 3800;
/** Table rows per <pre> block, so that a long table splits cleanly between messages. */
const TABLE_ROWS_PER_BLOCK = 40;
/** Telegram shows tall photos poorly: more pairs than this and the chart comes as a file. */
const MAX_PHOTO_PAIRS = 80;


export interface PairMonth {
  pairId: number;
  teamName: string;
  mentorName: string;
  days: number;
  target: number;
  met: boolean;
  sessionsHeld: number;
  /** Of the handbook's three visits, done by the end of the month. */
  visitsDone: number;
  visitsDoneInMonth: number;
  /** Ended on this date ('dd.MM.yyyy'), if the pair ended by the end of the month. */
  endedOn?: string;
  /** Days without a session or a log, for pairs that were quiet at the end of the month (or now). */
  quietDays?: number;
  /** The latest session or logged day by the end of the month (or now); the pair's start if none. */
  lastActivityAt: Date;
  /** The handbook's trip to the team's municipality is done. */
  tripDone: boolean;
}

export interface MonthlyReport {
  month: MonthKey;
  /** The programme's names (main and per language), for the header. */
  programme: { name: string; localizedNames: string | null };
  target: number;
  inactivityDays: number;
  pairs: PairMonth[];
}

/** "березень 2026", "March 2026": a month as people say it in their language. */
export function monthLabel(month: MonthKey, locale: Locale | string): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).setLocale(locale).toFormat('LLLL yyyy');
}

function formatDays(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** Reads everything the report says about `month` ('YYYY-MM' in the programme's zone). */
export async function buildMonthlyReport(deps: AppDeps, programme: Programme, month: MonthKey): Promise<MonthlyReport> {
  const { db, clock } = deps;
  const zone = programme.timeZone;
  const start = DateTime.fromISO(`${month}-01`, { zone }).startOf('month');
  const end = start.plus({ months: 1 });
  const now = clock.now();
  const asOf = new Date(Math.min(now.getTime(), end.toMillis()));
  const firstDay = start.toFormat('yyyy-MM-dd');
  const lastDay = end.minus({ days: 1 }).toFormat('yyyy-MM-dd');

  const pairs = await pairsOverlapping(db, programme.id, start.toJSDate(), end.toJSDate());
  const ids = pairs.map((p) => p.id);
  const [parties, logs, sessions, visits, lastLogs, lastSessions] = await Promise.all([
    pairParties(db, pairs),
    logsBetween(db, ids, firstDay, lastDay),
    sessionsBetween(db, ids, start.toJSDate(), end.toJSDate()),
    visitsOf(db, ids),
    lastLogDates(db, ids, lastDay),
    lastSessionStarts(db, ids, end.toJSDate()),
  ]);

  const rows: PairMonth[] = [];
  for (const pair of pairs) {
    const who = parties.get(pair.id);
    if (!who) continue;
    const pairLogs = logs
      .filter((l) => l.pairId === pair.id && parseLocalDate(l.date) === l.date)
      .map((l): MentoringLog => ({ date: l.date, amount: (l.amount >= 1 ? 1 : 0.5) as 0.5 | 1, activity: l.activity as MentoringLog['activity'] }));
    const progress = monthlyProgress(pairLogs, { start: firstDay, months: 1, targetDaysPerMonth: programme.targetDaysPerMonth }).months[0]!;
    const pairVisits = visits
      .filter((v) => v.pairId === pair.id && [1, 2, 3].includes(v.number))
      .map(
        (v): Visit => ({
          number: v.number as 1 | 2 | 3,
          kind: v.kind === 'mentor_city' ? 'mentor_city' : 'mentee_city',
          city: v.city,
          ...(v.plannedFor ? { plannedFor: v.plannedFor } : {}),
          // A visit done after this month is not done yet in this month's report.
          ...(v.doneOn && v.doneOn <= lastDay ? { doneOn: v.doneOn } : {}),
        }),
      );
    const endedBy = pair.endedAt && pair.endedAt.getTime() <= asOf.getTime();
    let quietDays: number | undefined;
    const lastLog = lastLogs.get(pair.id);
    const lastLogAt = lastLog ? DateTime.fromISO(lastLog, { zone }).plus({ days: 1 }).toJSDate() : null;
    const lastSessionAt = lastSessions.get(pair.id) ?? null;
    const last = Math.max(pair.publishedAt.getTime(), lastSessionAt?.getTime() ?? 0, lastLogAt?.getTime() ?? 0);
    if (!endedBy) {
      const state = inactivity({ lastSessionAt, lastLogAt, pairStartedAt: pair.publishedAt, now: asOf, nudgeAfterDays: programme.inactivityDays });
      if (state !== 'active') quietDays = Math.floor((asOf.getTime() - last) / DAY_MS);
    }
    const summary = visitSummary(pairVisits);
    rows.push({
      pairId: pair.id,
      teamName: who.team.name,
      mentorName: who.mentor.name,
      days: progress.days,
      target: progress.target,
      met: progress.met,
      sessionsHeld: sessions.filter((s) => s.pairId === pair.id && sessionHeld(s, now)).length,
      visitsDone: summary.done,
      tripDone: summary.tripToTeamDone,
      // The logged day itself, not the end of it that the inactivity rule counts from.
      lastActivityAt: new Date(Math.max(pair.publishedAt.getTime(), lastSessionAt?.getTime() ?? 0, lastLog ? DateTime.fromISO(lastLog, { zone }).toMillis() : 0)),
      visitsDoneInMonth: pairVisits.filter((v) => v.doneOn && v.doneOn >= firstDay).length,
      ...(endedBy ? { endedOn: formatLocalDate(pair.endedAt!, zone) } : {}),
      ...(quietDays !== undefined ? { quietDays } : {}),
    });
  }
  return { month, programme: { name: programme.name, localizedNames: programme.localizedNames }, target: programme.targetDaysPerMonth, inactivityDays: programme.inactivityDays, pairs: rows };
}

/** Names in the report are shortened so that forty lines always fit a message. */
function short(text: string, max = 60): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : text;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const length = Array.from(text).length;
  const space = ' '.repeat(Math.max(0, width - length));
  return align === 'left' ? text + space : space + text;
}

/** The report as messages in one coordinator's language (HTML, ready to send). */
export function reportMessages(t: Translate, locale: Locale, report: MonthlyReport): string[] {
  const month = monthLabel(report.month, locale);
  const blocks = [
    [
      `📊 <b>${t('report.title', { month })}</b>`,
      t('report.programme_line', { programme: programmeName(report.programme, locale), target: formatDays(report.target, locale) }),
    ].join('\n'),
  ];
  if (report.pairs.length === 0) {
    blocks.push(t('report.no_pairs', { month }));
    return pack(blocks);
  }

  // A narrow table that fits a phone: numbers only; who is who is listed under it.
  const header = ['#', t('report.columns.days'), t('report.columns.sessions'), t('report.columns.visits')];
  const cells = report.pairs.map((p, i) => [
    String(i + 1),
    `${formatDays(p.days, locale)}/${formatDays(p.target, locale)}${p.met ? ' ✓' : ''}`,
    String(p.sessionsHeld),
    `${p.visitsDone}/3`,
  ]);
  const widths = header.map((h, c) => Math.max(Array.from(h).length, ...cells.map((row) => Array.from(row[c]!).length)));
  const line = (row: string[]) => row.map((cell, c) => pad(cell, widths[c]!, c === 0 || c === 1 ? 'left' : 'right')).join('  ');
  for (let i = 0; i < cells.length; i += TABLE_ROWS_PER_BLOCK) {
    const part = cells.slice(i, i + TABLE_ROWS_PER_BLOCK);
    blocks.push(`<pre>${escapeHtml([line(header), ...part.map(line)].join('\n'))}</pre>`);
  }
  const names = report.pairs.map((p, i) => {
    const ended = p.endedOn ? ` <i>${t('report.ended', { date: p.endedOn })}</i>` : '';
    return `${i + 1} — ${escapeHtml(short(p.teamName))} · ${escapeHtml(short(p.mentorName))}${ended}`;
  });
  for (let i = 0; i < names.length; i += TABLE_ROWS_PER_BLOCK) blocks.push(names.slice(i, i + TABLE_ROWS_PER_BLOCK).join('\n'));
  blocks.push(`<i>${t('report.legend')}</i>`);

  const days = report.pairs.reduce((sum, p) => sum + p.days, 0);
  const target = report.pairs.reduce((sum, p) => sum + p.target, 0);
  blocks.push(
    t('report.totals', {
      pairs: report.pairs.length,
      met: report.pairs.filter((p) => p.met).length,
      days: formatDays(days, locale),
      target: formatDays(target, locale),
      sessions: report.pairs.reduce((sum, p) => sum + p.sessionsHeld, 0),
      visits: report.pairs.reduce((sum, p) => sum + p.visitsDoneInMonth, 0),
    }),
  );

  const quiet = report.pairs.filter((p) => p.quietDays !== undefined);
  if (quiet.length === 0) blocks.push(t('report.no_quiet'));
  else {
    const lines = quiet.map((p) => t('report.quiet_line', { team: short(p.teamName), mentor: short(p.mentorName), days: p.quietDays }));
    for (let i = 0; i < lines.length; i += TABLE_ROWS_PER_BLOCK) {
      const part = lines.slice(i, i + TABLE_ROWS_PER_BLOCK);
      blocks.push((i === 0 ? [`⚠️ ${t('report.quiet_title', { days: report.inactivityDays })}`, ...part] : part).join('\n'));
    }
  }
  return pack(blocks);
}

function pack(blocks: readonly string[]): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks) {
    if (current !== '' && current.length + block.length + 2 > MESSAGE_LIMIT) {
      messages.push(current);
      current = block;
    } else current = current === '' ? block : `${current}\n\n${block}`;
  }
  if (current !== '') messages.push(current);
  return messages;
}

export interface ReportChart {
  png: Buffer;
  fileName: string;
  caption: string;
  /** Too many pairs for a photo: send it as a file. */
  asDocument: boolean;
}

/** The chart of days per pair against the target; undefined when there were no pairs. */
export async function reportChart(t: Translate, locale: Locale, report: MonthlyReport): Promise<ReportChart | undefined> {
  if (report.pairs.length === 0) return undefined;
  const month = monthLabel(report.month, locale);
  // The chart draws text itself: nothing in it is HTML.
  const raw = { interpolation: { escapeValue: false } };
  // The chart libraries (Vega, resvg) are large: loaded with the first chart.
  const { renderProgressChart } = await import('../reports/progress-chart.js');
  const png = await renderProgressChart({
    title: t('report.chart.title', { month, ...raw }),
    targetLabel: t('report.chart.target'),
    daysLabel: t('report.chart.days'),
    pairs: report.pairs.map((p, i) => ({ label: `${i + 1}. ${p.teamName} – ${p.mentorName}`, days: p.days, target: p.target })),
  });
  return {
    png,
    fileName: `progress-${report.month}.png`,
    caption: t('report.chart.caption', { month }),
    asDocument: report.pairs.length > MAX_PHOTO_PAIRS,
  };
}

/** Buttons under a report: the months around it, the chart, the evaluations. */
export function reportKeyboard(t: Translate, locale: Locale, month: MonthKey, current: MonthKey, options: { chart?: boolean } = {}): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const previous = addMonths(month, -1);
  const next = addMonths(month, 1);
  keyboard.text(`◀ ${monthLabel(previous, locale)}`, `rp|m|${previous}`);
  if (next <= current) keyboard.text(`${monthLabel(next, locale)} ▶`, `rp|m|${next}`);
  keyboard.row();
  if (options.chart) keyboard.text(t('report.buttons.chart'), `rp|c|${month}`);
  keyboard.text(t('report.buttons.evaluations'), 'ev8|all');
  return keyboard;
}

async function sendChart(ctx: BotContext, chart: ReportChart): Promise<void> {
  const file = new InputFile(chart.png, chart.fileName);
  if (chart.asDocument) await ctx.replyWithDocument(file, { caption: chart.caption });
  else await ctx.replyWithPhoto(file, { caption: chart.caption });
}

async function showReport(ctx: BotContext, month: MonthKey): Promise<void> {
  const { deps, t, locale } = ctx;
  const programme = await programmeOf(deps);
  const current = monthKey(deps.clock.now(), programme.timeZone);
  if (month > current) return void (await ctx.reply(t('report.future_month', { month: monthLabel(month, locale) })));
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'report.view', details: { month }, at: deps.clock.now() });
  const report = await buildMonthlyReport(deps, programme, month);
  const messages = reportMessages(t, locale, report);
  const keyboard = addConsoleButton(reportKeyboard(t, locale, month, current), deps.config, t, 'dashboard');
  for (const [i, text] of messages.entries()) await ctx.reply(text, i === messages.length - 1 ? { reply_markup: keyboard } : {});
  const chart = await reportChart(t, locale, report);
  if (chart) await sendChart(ctx, chart);
}

/** "2026-03" or "03.2026" → "2026-03"; undefined otherwise. */
export function parseMonth(text: string): MonthKey | undefined {
  const trimmed = text.trim();
  if (isMonthKey(trimmed)) return trimmed;
  const match = /^(\d{1,2})[./](\d{4})$/.exec(trimmed);
  if (!match) return undefined;
  const key = `${match[2]}-${match[1]!.padStart(2, '0')}`;
  return isMonthKey(key) ? key : undefined;
}

reportFeature.command('report', coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const argument = (typeof ctx.match === 'string' ? ctx.match : '').trim();
  if (/^evaluations?$/i.test(argument)) return showEvaluations(ctx);
  const programme = await programmeOf(deps);
  const month = argument === '' ? monthKey(deps.clock.now(), programme.timeZone) : parseMonth(argument);
  if (!month) return void (await ctx.reply(t('report.usage')));
  await showReport(ctx, month);
});

reportFeature.callbackQuery(/^rp\|m\|(\d{4}-\d{2})$/, coordinatorOnly, async (ctx) => {
  const month = ctx.match[1]!;
  if (!isMonthKey(month)) return void (await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await showReport(ctx, month);
});

reportFeature.callbackQuery(/^rp\|c\|(\d{4}-\d{2})$/, coordinatorOnly, async (ctx) => {
  const { deps, t, locale } = ctx;
  const month = ctx.match[1]!;
  const programme = await programmeOf(deps);
  if (!isMonthKey(month) || month > monthKey(deps.clock.now(), programme.timeZone)) {
    return void (await ctx.answerCallbackQuery({ text: t('errors.stale_button'), show_alert: true }));
  }
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'report.chart', details: { month }, at: deps.clock.now() });
  const chart = await reportChart(t, locale, await buildMonthlyReport(deps, programme, month));
  if (!chart) return void (await ctx.answerCallbackQuery({ text: t('report.no_pairs', { month: monthLabel(month, locale) }), show_alert: true }));
  await ctx.answerCallbackQuery();
  await sendChart(ctx, chart);
});

reportFeature.callbackQuery(/^rp\|/, coordinatorOnly, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
