import type { Actor } from '../../actor.js';
import { recordAudit } from '../../db/audit.js';
import { programmeOf } from '../../db/programmes.js';
import { addMonths, formatLocalDate, isMonthKey, type MonthKey, monthKey } from '../../domain/time-zone.js';
import { deliverExport } from '../../features/export.js';
import { buildMonthlyReport, type MonthlyReport, monthLabel, reportChart } from '../../features/report.js';
import { plainText } from '../form-view.js';
import { bodyOf, type ConsoleRoute, ok, refused } from './route.js';

/** Months shown side by side: the programme's length, at most a year. */
const MAX_MONTHS = 12;

function monthOf(query: URLSearchParams, current: MonthKey): MonthKey | undefined {
  const month = query.get('month') ?? current;
  return isMonthKey(month) && month <= current ? month : undefined;
}

/**
 * The programme's pairs: days logged month by month against the target, visits and
 * the trip, the last activity and the pairs gone quiet. Each month is the monthly
 * report's own reading (buildMonthlyReport), so /report and the console agree.
 */
async function dashboardRoute(actor: Actor, query: URLSearchParams) {
  const { deps, t, locale } = actor;
  const programme = await programmeOf(deps);
  const current = monthKey(deps.clock.now(), programme.timeZone);
  const month = monthOf(query, current);
  if (!month) return refused(422, 'bad_month', t('report.usage'));
  const count = Math.min(MAX_MONTHS, Math.max(1, programme.durationMonths));
  const months = Array.from({ length: count }, (_, i) => addMonths(month, i - count + 1));
  const reports: MonthlyReport[] = [];
  for (const m of months) reports.push(await buildMonthlyReport(deps, programme, m));
  const report = reports.at(-1)!;
  await recordAudit(deps.db, { actorId: actor.person.id, action: 'report.view', details: { month, via: 'console' }, at: deps.clock.now() });
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const rows = report.pairs.map((p) => ({
    pairId: p.pairId,
    team: p.teamName,
    mentor: p.mentorName,
    months: reports.map((r) => {
      const row = r.pairs.find((x) => x.pairId === p.pairId);
      return row ? { days: days.format(row.days), target: days.format(row.target), met: row.met } : null;
    }),
    sessions: p.sessionsHeld,
    visits: p.visitsDone,
    tripDone: p.tripDone,
    lastActivity: formatLocalDate(p.lastActivityAt, programme.timeZone),
    quietDays: p.quietDays ?? null,
    endedOn: p.endedOn ?? null,
  }));
  return ok({
    month,
    monthLabel: monthLabel(month, locale),
    previous: addMonths(month, -1),
    next: addMonths(month, 1) <= current ? addMonths(month, 1) : null,
    months: months.map((m) => ({ key: m, label: monthLabel(m, locale) })),
    target: days.format(report.target),
    inactivityDays: report.inactivityDays,
    pairs: rows,
    quiet: rows.filter((r) => r.quietDays !== null),
  });
}

/** The chart /report sends, as a picture for the page. */
async function chartRoute(actor: Actor, query: URLSearchParams) {
  const { deps, t, locale } = actor;
  const programme = await programmeOf(deps);
  const month = monthOf(query, monthKey(deps.clock.now(), programme.timeZone));
  if (!month) return refused(422, 'bad_month', t('report.usage'));
  const chart = await reportChart(t, locale, await buildMonthlyReport(deps, programme, month));
  if (!chart) return refused(404, 'no_pairs', t('report.no_pairs', { month: monthLabel(month, locale) }));
  await recordAudit(deps.db, { actorId: actor.person.id, action: 'report.chart', details: { month, via: 'console' }, at: deps.clock.now() });
  return ok({ png: chart.png.toString('base64'), caption: plainText(chart.caption) });
}

/** The /export file, delivered into the coordinator's chat. */
async function exportRoute(actor: Actor, body: unknown) {
  const format = bodyOf(body).format;
  if (format !== 'xlsx' && format !== 'csv') return refused(422, 'bad_format', actor.t('export.usage'));
  await deliverExport(actor, format);
  return ok({ message: plainText(actor.t('console.export_sent')) });
}

export const dashboardRoutes: ConsoleRoute[] = [
  { method: 'GET', pattern: /^\/console\/dashboard$/, example: '/console/dashboard', handle: (actor, { query }) => dashboardRoute(actor, query) },
  { method: 'GET', pattern: /^\/console\/dashboard\/chart$/, example: '/console/dashboard/chart', handle: (actor, { query }) => chartRoute(actor, query) },
  { method: 'POST', pattern: /^\/console\/export$/, example: '/console/export', handle: (actor, { body }) => exportRoute(actor, body) },
];
