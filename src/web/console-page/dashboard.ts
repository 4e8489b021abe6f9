/// <reference lib="dom" />
import { call } from './api.js';
import { type ConsoleContext, messageOf } from './context.js';
import { button, el, fill } from './dom.js';

/** The programme dashboard: every pair's days per month against the target, visits, last activity, the pairs going quiet, the chart and the exports. */
export function dashboardTab(ctx: ConsoleContext, root: HTMLElement): { show(): Promise<void> } {
  const T = ctx.texts;
  const body = el('div', { 'aria-live': 'polite' });
  const chart = el('figure', { id: 'chart', hidden: true });
  const exports = el('div', { class: 'actions' },
    el('span', {}, T.export_label),
    ...(['xlsx', 'csv'] as const).map((format) => button(format.toUpperCase(), async () => {
      ctx.say(T.exporting!, 'ok');
      const result = await call('POST', '/export', { format });
      ctx.say(messageOf(ctx, result), result.status === 200 ? 'ok' : 'error');
    }, { id: `export-${format}`, class: 'secondary' })),
  );
  root.append(body, exports, chart);
  let month: string | undefined;

  const load = async () => {
    const result = await call('GET', `/dashboard${month ? `?month=${month}` : ''}`);
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const d = result.body;
    month = d.month;
    const head = el('tr', {}, el('th', { scope: 'col' }, T.col_pair), ...d.months.map((m: { label: string }) => el('th', { scope: 'col' }, m.label)),
      el('th', { scope: 'col' }, T.col_sessions), el('th', { scope: 'col' }, T.col_visits), el('th', { scope: 'col' }, T.col_trip), el('th', { scope: 'col' }, T.col_last));
    const rows = d.pairs.map((p: any) => el('tr', { 'data-pair': String(p.pairId), class: p.quietDays !== null ? 'quiet' : undefined },
      el('th', { scope: 'row', 'data-label': T.col_pair }, `${p.team} – ${p.mentor}`, p.endedOn ? el('span', { class: 'hint' }, ` ${fill(T.ended, { date: p.endedOn })}`) : null),
      ...p.months.map((m: { days: string; target: string; met: boolean } | null, i: number) => el('td', { class: 'num', 'data-label': d.months[i].label }, m ? `${m.days}/${m.target}${m.met ? ' ✓' : ''}` : '—')),
      el('td', { class: 'num', 'data-label': T.col_sessions }, String(p.sessions)),
      el('td', { class: 'num', 'data-label': T.col_visits }, `${p.visits}/3`),
      el('td', { 'data-label': T.col_trip }, p.tripDone ? T.yes : T.no),
      el('td', { 'data-label': T.col_last }, p.lastActivity),
    ));
    const quiet = d.quiet.length > 0
      ? el('ul', { id: 'quiet-list' }, ...d.quiet.map((p: any) => el('li', {}, fill(T.quiet_line, { team: p.team, mentor: p.mentor, days: p.quietDays }))))
      : el('p', { id: 'quiet-none' }, T.quiet_none);
    body.replaceChildren(
      el('div', { class: 'month-nav' },
        button(`◀ ${T.previous_month}`, () => { month = d.previous; void load(); }, { class: 'secondary', id: 'month-prev' }),
        el('h2', { id: 'month-title' }, fill(T.dashboard_title, { month: d.monthLabel, target: d.target })),
        d.next ? button(`${T.next_month} ▶`, () => { month = d.next; void load(); }, { class: 'secondary', id: 'month-next' }) : null),
      el('section', { class: 'quiet-box', 'aria-labelledby': 'quiet-title' }, el('h3', { id: 'quiet-title' }, fill(T.quiet_title, { days: d.inactivityDays })), quiet),
      d.pairs.length > 0 ? el('div', { class: 'table-wrap' }, el('table', { class: 'data', id: 'pairs' }, el('thead', {}, head), el('tbody', {}, ...rows))) : el('p', {}, T.no_pairs),
    );
    chart.hidden = true;
    if (d.pairs.length > 0) {
      const picture = await call('GET', `/dashboard/chart?month=${d.month}`);
      if (picture.status === 200) {
        chart.hidden = false;
        chart.replaceChildren(el('img', { src: `data:image/png;base64,${picture.body.png}`, alt: picture.body.caption }), el('figcaption', {}, picture.body.caption));
      }
    }
  };

  return { show: load };
}
