/// <reference lib="dom" />
import { call } from './api.js';
import { type ConsoleContext, messageOf } from './context.js';
import { button, el, fill, select } from './dom.js';

interface Row {
  id: number;
  name: string;
  country: string | null;
  city: string | null;
  themes: string[];
  languages: string[];
  englishLevel: string | null;
  status: string;
  waiting: boolean;
  selectable: boolean;
  submitted: string;
}

interface Decision {
  id: number;
  applicationId: number;
  name: string;
  decision: string;
  language: string;
  message: string;
  state: string;
}

const DECISIONS = ['shortlisted', 'accepted', 'rejected'] as const;

/** The applications tab: the table (filtered, sorted and paged by the server), one application beside it, and decisions waiting to be sent. */
export function applicationsTab(ctx: ConsoleContext, root: HTMLElement): { show(): Promise<void> } {
  const { texts: T, labels } = ctx;
  const query = { status: 'all', theme: '', language: '', country: '', sort: 'submitted', dir: 'desc', page: 0 };
  const selected = new Set<number>();
  let waiting: Decision[] = [];
  let openId: number | undefined;

  const filters = el('div', { class: 'filters', role: 'search' });
  const table = el('div', { class: 'table-wrap' });
  const pager = el('div', { class: 'pager' });
  const bulk = el('div', { class: 'bulk', role: 'toolbar', 'aria-label': T.bulk_label });
  const detail = el('aside', { id: 'detail', class: 'panel', 'aria-live': 'polite', hidden: true });
  const review = el('section', { id: 'review', class: 'panel review', hidden: true, 'aria-labelledby': 'review-title' });
  root.append(el('div', { class: 'split' }, el('div', { class: 'main-col' }, filters, bulk, table, pager), el('div', { class: 'side-col' }, review, detail)));

  let countries: string[] = [];
  const drawFilters = () => {
    const change = (key: keyof typeof query) => (value: string) => {
      (query as Record<string, string | number>)[key] = value;
      query.page = 0;
      void load();
    };
    filters.replaceChildren(
      select('filter-status', T.filter_status!, Object.entries(labels.filters), query.status, change('status')),
      select('filter-theme', T.filter_theme!, [['', T.any!], ...Object.entries(labels.themes)], query.theme, change('theme')),
      select('filter-language', T.filter_language!, [['', T.any!], ...Object.entries(labels.languages)], query.language, change('language')),
      select('filter-country', T.filter_country!, [['', T.any!], ...countries.map((c): [string, string] => [c, c])], query.country, change('country')),
      select('sort', T.sort!, [['submitted', T.sort_submitted!], ['name', T.sort_name!], ['status', T.sort_status!], ['country', T.sort_country!]], query.sort, change('sort')),
      select('dir', T.order!, [['desc', T.order_desc!], ['asc', T.order_asc!]], query.dir, change('dir')),
    );
  };

  const drawBulk = () => {
    bulk.replaceChildren(el('span', { id: 'selected-count' }, fill(T.selected, { count: selected.size })));
    for (const d of DECISIONS) {
      bulk.append(button(`${labels.decisions[d]} (${selected.size})`, () => void decide([...selected], d), { id: `bulk-${d}`, disabled: selected.size === 0 }));
    }
  };

  const load = async () => {
    const params = new URLSearchParams({ status: query.status, sort: query.sort, dir: query.dir, page: String(query.page), size: '50' });
    for (const key of ['theme', 'language', 'country'] as const) if (query[key]) params.set(key, query[key]);
    table.setAttribute('aria-busy', 'true');
    const result = await call('GET', `/applications?${params}`);
    table.removeAttribute('aria-busy');
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const body = result.body as { rows: Row[]; total: number; page: number; pages: number; countries: string[] };
    if (countries.join() !== body.countries.join()) {
      countries = body.countries;
      drawFilters();
    }
    query.page = body.page;
    const head = el('tr', {}, el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, T.select_column)));
    for (const h of [T.col_name, T.col_place, T.col_themes, T.col_languages, T.col_english, T.col_status, T.col_submitted]) head.append(el('th', { scope: 'col' }, h));
    const tbody = el('tbody');
    for (const row of body.rows) {
      const box = el('input', { type: 'checkbox', 'aria-label': fill(T.select_one, { name: row.name }), disabled: !row.selectable });
      box.checked = selected.has(row.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(row.id);
        else selected.delete(row.id);
        drawBulk();
      });
      const open = button(row.name, () => void openApplication(row.id), { class: 'link' });
      const status = labels.statuses[row.status] ?? row.status;
      tbody.append(
        el(
          'tr',
          { 'data-id': String(row.id), class: row.id === openId ? 'open' : undefined },
          el('td', { class: 'select' }, box),
          el('td', { 'data-label': T.col_name }, open),
          el('td', { 'data-label': T.col_place }, [row.city, row.country].filter(Boolean).join(', ') || '—'),
          el('td', { 'data-label': T.col_themes }, row.themes.map((x) => labels.themes[x] ?? x).join(', ') || '—'),
          el('td', { 'data-label': T.col_languages }, row.languages.map((x) => labels.languages[x] ?? x).join(', ') || '—'),
          el('td', { 'data-label': T.col_english }, row.englishLevel ?? '—'),
          el('td', { 'data-label': T.col_status, class: 'status' }, row.waiting ? `${status} (${T.not_sent})` : status),
          el('td', { 'data-label': T.col_submitted }, row.submitted),
        ),
      );
    }
    table.replaceChildren(
      el('p', { id: 'total', role: 'status' }, fill(T.total, { count: body.total })),
      body.rows.length > 0 ? el('table', { class: 'data' }, el('caption', { class: 'visually-hidden' }, T.tab_applications), el('thead', {}, head), tbody) : el('p', {}, T.empty),
    );
    pager.replaceChildren(
      button(T.prev!, () => { query.page--; void load(); }, { disabled: body.page === 0, id: 'page-prev' }),
      el('span', {}, fill(T.page, { page: body.page + 1, pages: body.pages })),
      button(T.next!, () => { query.page++; void load(); }, { disabled: body.page >= body.pages - 1, id: 'page-next' }),
    );
    drawBulk();
  };

  const openApplication = async (id: number) => {
    openId = id;
    const result = await call('GET', `/applications/${id}`);
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const a = result.body;
    table.querySelectorAll('tr[data-id]').forEach((tr) => tr.classList.toggle('open', tr.getAttribute('data-id') === String(id)));
    const sections = a.sections.map((s: { title: string; answers: Array<{ id: string; question: string; answer: string | null }> }) =>
      el('section', {}, el('h3', {}, s.title), el('dl', {}, ...s.answers.flatMap((q) => [el('dt', {}, q.question), el('dd', { 'data-question': q.id }, q.answer ?? T.not_answered!)]))),
    );
    const cv = a.cv?.kind === 'url' && a.cv.url
      ? el('a', { href: a.cv.url, target: '_blank', rel: 'noopener noreferrer', id: 'cv-link' }, T.cv_link)
      : a.cv?.kind === 'file'
        ? button(fill(T.cv_send, { file: a.cv.fileName ?? 'CV' }), async () => {
            const sent = await call('POST', `/applications/${id}/cv`);
            ctx.say(messageOf(ctx, sent), sent.status === 200 ? 'ok' : 'error');
          }, { id: 'cv-send' })
        : el('p', {}, T.cv_none);
    const actions = el('div', { class: 'actions' }, ...a.allowed.map((d: string) => button(labels.decisions[d] ?? d, () => void decide([id], d), { id: `decide-${d}` })));
    const history = a.history.length > 0 ? el('ul', { class: 'history' }, ...a.history.map((h: { decision: string; by: string; at: string; state: string }) => el('li', {}, `${labels.statuses[h.decision] ?? h.decision} — ${h.by}, ${h.at} (${T[`state_${h.state}`] ?? h.state})`))) : null;
    detail.hidden = false;
    detail.replaceChildren(
      el('div', { class: 'panel-head' }, el('h2', { id: 'detail-title', tabindex: '-1' }, `#${a.id} ${a.name}`), button(T.close!, () => { detail.hidden = true; openId = undefined; }, { class: 'secondary', id: 'detail-close' })),
      el('p', {}, `${labels.statuses[a.status] ?? a.status}${a.submitted ? ` · ${a.submitted}` : ''}`),
      actions,
      el('h3', {}, T.cv), cv,
      history ?? '',
      ...sections,
    );
    (detail.querySelector('#detail-title') as HTMLElement).focus();
  };

  /** Decisions are recorded, not sent: the review panel shows each message to check, edit, send or undo. */
  const decide = async (ids: number[], decision: string) => {
    const result = await call('POST', '/decisions', { applications: ids, decision });
    if (result.status !== 200) return ctx.say(messageOf(ctx, result), 'error');
    const skipped = result.body.skipped as Array<{ name: string; reason: string }>;
    ctx.say([T.recorded, ...skipped.map((s) => `${s.name}: ${s.reason}`)].join(' '), 'ok');
    waiting = [...waiting.filter((w) => !ids.includes(w.applicationId)), ...(result.body.decisions as Decision[])];
    selected.clear();
    drawReview();
    await load();
    if (openId !== undefined && ids.includes(openId)) await openApplication(openId);
  };

  const drawReview = () => {
    review.hidden = waiting.length === 0;
    if (waiting.length === 0) return review.replaceChildren();
    const items = waiting.map((d) => {
      const area = el('textarea', { id: `message-${d.id}`, rows: '6', maxlength: '2500' });
      area.value = d.message;
      const note = el('p', { class: 'hint', id: `message-${d.id}-state`, 'aria-live': 'polite' });
      const save = button(T.save_text!, async () => {
        const saved = await call('PUT', `/decisions/${d.id}/message`, { message: area.value });
        note.textContent = saved.status === 200 ? T.text_saved! : messageOf(ctx, saved);
        if (saved.status === 200) d.message = saved.body.decision.message;
      }, { class: 'secondary', id: `save-${d.id}` });
      return el('li', { 'data-decision': String(d.id) },
        el('label', { for: area.id }, `${labels.statuses[d.decision] ?? d.decision}: #${d.applicationId} ${d.name} (${d.language})`),
        area, save, note);
    });
    const ids = () => waiting.map((d) => d.id);
    review.replaceChildren(
      el('h2', { id: 'review-title' }, fill(T.review_title, { count: waiting.length })),
      el('p', { class: 'hint' }, T.review_hint),
      el('ul', { class: 'review-list' }, ...items),
      el('div', { class: 'actions' },
        button(fill(T.send_all, { count: waiting.length }), async () => {
          const sent = await call('POST', '/decisions/send', { decisions: ids() });
          ctx.say(messageOf(ctx, sent), sent.status === 200 ? 'ok' : 'error');
          if (sent.status === 200 || sent.status === 409) {
            const failed = new Set((sent.body.outcomes ?? []).filter((o: { kind: string }) => o.kind === 'failed').map((o: { decision: number }) => o.decision));
            waiting = waiting.filter((d) => failed.has(d.id));
            drawReview();
            await load();
          }
        }, { id: 'review-send' }),
        button(T.undo!, async () => {
          const undone = await call('POST', '/decisions/undo', { decisions: ids() });
          ctx.say(messageOf(ctx, undone), undone.status === 200 ? 'ok' : 'error');
          waiting = [];
          drawReview();
          await load();
        }, { id: 'review-undo', class: 'secondary' }),
      ),
    );
  };

  return {
    async show() {
      drawFilters();
      const pending = await call('GET', '/decisions/waiting');
      if (pending.status === 200) waiting = pending.body.decisions;
      drawReview();
      await load();
    },
  };
}
