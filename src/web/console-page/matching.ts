/// <reference lib="dom" />
import { call } from './api.js';
import { type ConsoleContext, messageOf } from './context.js';
import { button, el, fill } from './dom.js';

interface Criterion {
  key: string;
  label: string;
  points: string | null;
  detail: string;
}

function criteriaTable(ctx: ConsoleContext, criteria: Criterion[]): HTMLElement {
  return el(
    'table',
    { class: 'criteria' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ctx.texts.criterion), el('th', { scope: 'col' }, ctx.texts.points), el('th', { scope: 'col' }, ctx.texts.why))),
    el('tbody', {}, ...criteria.map((c) => el('tr', { 'data-criterion': c.key }, el('th', { scope: 'row' }, c.label), el('td', { class: 'num' }, c.points ?? '—'), el('td', {}, c.detail)))),
  );
}

/** The matching board: teams down the side, the best mentors of the chosen one with why, pin and forbid, and the whole-pool proposal to publish. */
export function matchingTab(ctx: ConsoleContext, root: HTMLElement): { show(): Promise<void> } {
  const T = ctx.texts;
  const teamsList = el('nav', { class: 'teams', 'aria-label': T.teams });
  const candidates = el('section', { id: 'candidates', class: 'panel', 'aria-live': 'polite', hidden: true });
  const proposal = el('section', { id: 'proposal', class: 'panel', 'aria-live': 'polite', hidden: true });
  const counts = el('p', { id: 'matching-counts' });
  const run = button(T.run_assignment!, () => void showProposal(), { id: 'run-assignment' });
  root.append(counts, el('div', { class: 'actions' }, run), proposal, el('div', { class: 'split' }, el('div', { class: 'side-col narrow' }, teamsList), el('div', { class: 'main-col' }, candidates)));
  let openTeam: number | undefined;

  const loadBoard = async () => {
    const result = await call('GET', '/matching');
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const b = result.body;
    counts.textContent = fill(T.matching_counts, b.counts);
    const list = el('ul');
    for (const team of b.teams) {
      const state = T[`team_${team.state}`] ?? team.state;
      const extra = team.mentor ? ` · ${team.mentor.name}` : team.pinned ? ` · 📌 ${team.pinned.name}` : '';
      const item = team.matchable && !team.mentor
        ? button(`${team.name}`, () => void showTeam(team.id), { 'data-team': String(team.id), class: team.id === openTeam ? 'team open' : 'team', 'aria-current': team.id === openTeam ? 'true' : undefined })
        : el('span', { class: 'team', 'data-team': String(team.id) }, team.name);
      list.append(el('li', {}, item, el('span', { class: 'hint' }, ` ${state}${extra}`)));
    }
    teamsList.replaceChildren(el('h2', {}, T.teams), list);
  };

  const constraint = async (action: string, mentorId: number, teamId: number) => {
    const result = await call('POST', '/matching/constraints', { action, mentorId, teamId });
    ctx.say(messageOf(ctx, result), result.status === 200 ? 'ok' : 'error');
    await loadBoard();
    await showTeam(teamId);
    if (!proposal.hidden) await showProposal();
  };

  const showTeam = async (teamId: number) => {
    openTeam = teamId;
    teamsList.querySelectorAll('[data-team]').forEach((b) => b.classList.toggle('open', b.getAttribute('data-team') === String(teamId)));
    const result = await call('GET', `/matching/teams/${teamId}`);
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const { team, candidates: ranked, forbidden } = result.body;
    candidates.hidden = false;
    const cards = ranked.map((c: { rank: number; mentorId: number; name: string; place: string; score: string; criteria: Criterion[]; pinned: boolean }) =>
      el('article', { class: 'candidate', 'data-mentor': String(c.mentorId) },
        el('h3', {}, `${c.rank}. ${c.name}`, el('span', { class: 'score' }, fill(T.score, { score: c.score }))),
        c.place ? el('p', { class: 'hint' }, c.place) : null,
        criteriaTable(ctx, c.criteria),
        el('div', { class: 'actions' },
          c.pinned
            ? button(T.unpin!, () => void constraint('unpin', c.mentorId, teamId), { class: 'secondary unpin' })
            : button(T.pin!, () => void constraint('pin', c.mentorId, teamId), { class: 'pin' }),
          button(T.forbid!, () => void constraint('forbid', c.mentorId, teamId), { class: 'secondary forbid' }),
        ),
      ),
    );
    const forbids = forbidden.length > 0
      ? el('div', {}, el('h3', {}, T.forbidden_title), el('ul', {}, ...forbidden.map((m: { mentorId: number; name: string }) => el('li', {}, `${m.name} `, button(T.unforbid!, () => void constraint('unforbid', m.mentorId, teamId), { class: 'secondary' })))))
      : null;
    candidates.replaceChildren(
      el('h2', { id: 'candidates-title' }, fill(T.candidates_title, { team: team.name })),
      el('p', { class: 'hint' }, [team.place, team.themes, team.languages, team.population].filter(Boolean).join(' · ')),
      ...(cards.length > 0 ? cards : [el('p', {}, T.no_candidates)]),
      forbids ?? '',
    );
  };

  const showProposal = async () => {
    const result = await call('GET', '/matching/proposal');
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const p = result.body;
    proposal.hidden = false;
    const rows = p.proposed.map((x: { team: string; mentor: string; score: string; pinned: boolean; warning: string | null }) =>
      el('tr', {}, el('td', { 'data-label': T.col_team }, x.team), el('td', { 'data-label': T.col_mentor }, `${x.pinned ? '📌 ' : ''}${x.mentor}`), el('td', { class: 'num', 'data-label': T.points }, x.score), el('td', { 'data-label': T.why }, x.warning ? `⚠️ ${x.warning}` : '')),
    );
    const current = p.current.map((x: { team: string; mentor: string; score: string }) => el('tr', {}, el('td', { 'data-label': T.col_team }, x.team), el('td', { 'data-label': T.col_mentor }, x.mentor), el('td', { class: 'num', 'data-label': T.points }, x.score)));
    const confirm = el('div', { class: 'confirm', hidden: true, role: 'alertdialog', 'aria-labelledby': 'publish-question' },
      el('p', { id: 'publish-question' }, fill(T.publish_question, { count: p.proposed.length })),
      button(T.publish_confirm!, async () => {
        const published = await call('POST', '/matching/publish', { fingerprint: p.fingerprint });
        ctx.say([messageOf(ctx, published), ...(published.body.published ?? []).map((x: { team: string; mentor: string; notice: string }) => `${x.team} – ${x.mentor}: ${x.notice}`)].join(' '), published.status === 200 ? 'ok' : 'error');
        await loadBoard();
        await showProposal();
      }, { id: 'publish-confirm' }),
      button(T.cancel!, () => { confirm.hidden = true; }, { class: 'secondary' }),
    );
    const publish = button(fill(T.publish, { count: p.proposed.length }), () => { confirm.hidden = false; }, { id: 'publish', disabled: p.proposed.length === 0 });
    const head = (cols: string[]) => el('thead', {}, el('tr', {}, ...cols.map((c) => el('th', { scope: 'col' }, c))));
    proposal.replaceChildren(
      el('h2', {}, T.proposal_title),
      el('p', { class: 'hint' }, fill(T.proposal_hint, { pairs: p.proposed.length, teams: p.teams, mentors: p.mentors, total: p.total })),
      el('div', { class: 'side-by-side' },
        el('div', {}, el('h3', {}, T.proposed), rows.length > 0 ? el('table', { class: 'data', id: 'proposed' }, head([T.col_team!, T.col_mentor!, T.points!, '']), el('tbody', {}, ...rows)) : el('p', {}, T.nothing_proposed),
          p.unmatched.length > 0 ? el('p', { class: 'hint' }, fill(T.unmatched, { teams: p.unmatched.map((u: { team: string }) => u.team).join(', ') })) : null),
        el('div', {}, el('h3', {}, T.current), current.length > 0 ? el('table', { class: 'data', id: 'current' }, head([T.col_team!, T.col_mentor!, T.points!]), el('tbody', {}, ...current)) : el('p', {}, T.no_pairs)),
      ),
      el('div', { class: 'actions' }, publish),
      confirm,
    );
  };

  return {
    async show() {
      await loadBoard();
    },
  };
}
