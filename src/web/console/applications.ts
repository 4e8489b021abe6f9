import type { Actor } from '../../actor.js';
import { type ApplicationDecision, type ApplicationRow, findApplication, findDecision, listApplications, setUnsentMessage } from '../../db/applications.js';
import { loadResponse } from '../../db/form-responses.js';
import { findPersonById } from '../../db/people.js';
import { programmeOf } from '../../db/programmes.js';
import { type ApplicationStatus, APPLICATION_STATUSES, applicationStatus, checkDecision, currentDecision, DECISIONS, isDecision } from '../../domain/application-status.js';
import { localTimeText } from '../../local-time-text.js';
import { applicantName } from '../../features/application.js';
import {
  applicantLocale,
  applicationName,
  auditReview,
  decide,
  isWaiting,
  MAX_OWN_TEXT,
  sendDecisions,
  sendReport,
  undoDecisions,
} from '../../features/review-actions.js';
import { mentorApplicationForm } from '../../forms/mentor-application.js';
import { escapeHtml } from '../../i18n.js';
import { formView, plainText } from '../form-view.js';
import { bodyOf, type ConsoleRoute, idList, ok, refused } from './route.js';

/** Applications a coordinator may decide on at once from the console. */
export const MAX_BULK = 100;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const SORTS = ['submitted', 'name', 'status', 'country'] as const;
type Sort = (typeof SORTS)[number];

const statusOf = (row: ApplicationRow): ApplicationStatus => applicationStatus(row.status, row.decisions);
const norm = (text: string | undefined) => (text ?? '').normalize('NFKC').trim().toLowerCase();

export interface ApplicationFilter {
  status?: ApplicationStatus;
  theme?: string;
  language?: string;
  country?: string;
}

/** Reads the list's filter from the address; unknown values are refused rather than ignored. */
function filterOf(query: URLSearchParams): ApplicationFilter | 'bad' {
  const status = query.get('status') || undefined;
  if (status && status !== 'all' && !(APPLICATION_STATUSES as readonly string[]).includes(status)) return 'bad';
  const text = (name: string) => {
    const value = query.get(name)?.trim();
    return value ? value.slice(0, 100) : undefined;
  };
  return { status: status === 'all' ? undefined : (status as ApplicationStatus | undefined), theme: text('theme'), language: text('language'), country: text('country') };
}

export function filterApplications(rows: readonly ApplicationRow[], filter: ApplicationFilter): ApplicationRow[] {
  const country = norm(filter.country);
  return rows.filter(
    (row) =>
      (!filter.status || statusOf(row) === filter.status) &&
      (!filter.theme || row.expertise.includes(filter.theme)) &&
      (!filter.language || row.languages.includes(filter.language)) &&
      (!country || norm(row.country) === country),
  );
}

function sortApplications(rows: ApplicationRow[], sort: Sort, descending: boolean): ApplicationRow[] {
  const key = (row: ApplicationRow): string | number => {
    switch (sort) {
      case 'submitted':
        return row.submittedAt?.getTime() ?? 0;
      case 'name':
        return norm(row.name);
      case 'status':
        return APPLICATION_STATUSES.indexOf(statusOf(row));
      case 'country':
        return `${norm(row.country)}|${norm(row.city)}`;
    }
  };
  const sign = descending ? -1 : 1;
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.id - b.id;
  });
}

async function listRoute(actor: Actor, query: URLSearchParams) {
  const { t } = actor;
  const filter = filterOf(query);
  const sortParam = query.get('sort') ?? 'submitted';
  const page = Number(query.get('page') ?? '0');
  const size = Number(query.get('size') ?? DEFAULT_PAGE_SIZE);
  if (filter === 'bad' || !(SORTS as readonly string[]).includes(sortParam) || !Number.isSafeInteger(page) || page < 0 || !Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    return refused(422, 'bad_query', t('console.errors.bad_query'));
  }
  const programme = await programmeOf(actor.deps);
  const all = await listApplications(actor.deps.db, programme.id);
  const matching = sortApplications(filterApplications(all, filter), sortParam as Sort, query.get('dir') === 'desc');
  const pages = Math.max(1, Math.ceil(matching.length / size));
  const shown = Math.min(page, pages - 1);
  const when = (date: Date | null) => (date ? localTimeText(t, date, programme.timeZone, actor.locale) : '—');
  const countries = [...new Map(all.filter((r) => r.country).map((r) => [norm(r.country), r.country!])).values()].sort((a, b) => a.localeCompare(b));
  return ok({
    total: matching.length,
    all: all.length,
    page: shown,
    pages,
    size,
    unsent: all.flatMap((r) => r.decisions).filter(isWaiting).length,
    countries,
    rows: matching.slice(shown * size, (shown + 1) * size).map((row) => ({
      id: row.id,
      name: applicationName(row),
      country: row.country ?? null,
      city: row.city ?? null,
      themes: row.expertise,
      languages: row.languages,
      englishLevel: row.englishLevel ?? null,
      status: statusOf(row),
      waiting: row.status === 'submitted' && row.decisions.some(isWaiting),
      selectable: DECISIONS.some((d) => checkDecision(row.status, row.decisions, d) === 'ok'),
      submitted: when(row.submittedAt),
    })),
  });
}

/** A decision as the console shows it: the message as plain text, to read and edit. */
async function decisionView(actor: Actor, d: ApplicationDecision, row?: ApplicationRow) {
  const application = row ?? (await findApplication(actor.deps.db, d.responseId));
  const person = application?.personId ? await findPersonById(actor.deps.db, application.personId) : null;
  const language = actor.deps.i18n.t(applicantLocale(actor, person))('language_name');
  const state = d.undoneAt ? 'undone' : d.sentAt ? 'sent' : 'waiting';
  return {
    id: d.id,
    applicationId: d.responseId,
    name: application ? applicationName(application) : `#${d.responseId}`,
    decision: d.decision,
    language: plainText(language),
    message: plainText(d.message),
    state,
  };
}

async function detailRoute(actor: Actor, id: number) {
  const { deps, t } = actor;
  const response = await loadResponse(deps.db, id);
  const row = response ? await findApplication(deps.db, id) : undefined;
  if (!response || !row) return refused(404, 'not_found', t('application.admin_not_found', { id }));
  const programme = await programmeOf(deps);
  const when = (date: Date) => localTimeText(t, date, programme.timeZone, actor.locale);
  const view = formView(mentorApplicationForm, response, undefined, t, actor.locale, programme.consentText ?? null);
  const cv = response.answers.cv;
  const current = currentDecision(row.decisions);
  const history = [];
  for (const d of [...row.decisions].reverse()) {
    const decider = await findPersonById(deps.db, d.decidedById);
    history.push({
      decision: isDecision(d.decision) ? d.decision : 'new',
      by: decider ? [decider.firstName, decider.lastName].filter(Boolean).join(' ') : '—',
      at: when(d.decidedAt),
      state: d.undoneAt ? 'undone' : d.sentAt ? 'sent' : 'waiting',
    });
  }
  return ok({
    id: row.id,
    name: applicantName(response),
    status: statusOf(row),
    submitted: response.submittedAt ? when(new Date(response.submittedAt)) : null,
    sections: view.sections.map((s) => ({
      title: s.title,
      answers: s.questions.filter((q) => q.type !== 'consent' || q.answer !== undefined).map((q) => ({ id: q.id, question: q.text, answer: q.answer === undefined ? null : (q.answerText ?? '') })),
    })),
    cv:
      cv && typeof cv === 'object' && 'kind' in cv
        ? cv.kind === 'file'
          ? { kind: 'file', fileName: cv.fileName ?? null }
          : cv.kind === 'url'
            ? { kind: 'url', url: /^https?:\/\//i.test(cv.url) ? cv.url : null }
            : null
        : null,
    history,
    pending: current && isWaiting(current) ? await decisionView(actor, current, row) : null,
    allowed: DECISIONS.filter((d) => checkDecision(row.status, row.decisions, d) === 'ok'),
  });
}

async function decideRoute(actor: Actor, body: unknown) {
  const { deps, t } = actor;
  const input = bodyOf(body);
  const ids = idList(input.applications, MAX_BULK);
  if (!ids) return refused(422, 'bad_selection', t('console.errors.bad_selection', { max: MAX_BULK }));
  if (!isDecision(input.decision)) return refused(422, 'bad_decision', t('console.errors.bad_decision'));
  const decision = input.decision;
  const eligible: ApplicationRow[] = [];
  const skipped: Array<{ id: number; name: string; reason: string }> = [];
  for (const id of ids) {
    const row = await findApplication(deps.db, id);
    if (!row) {
      skipped.push({ id, name: `#${id}`, reason: plainText(t('application.admin_not_found', { id })) });
      continue;
    }
    const check = checkDecision(row.status, row.decisions, decision);
    if (check === 'ok') eligible.push(row);
    else skipped.push({ id, name: applicationName(row), reason: plainText(t(`review.refused.${check}`)) });
  }
  if (eligible.length === 0) return { status: 409, body: { error: 'nothing_to_change', message: plainText(t('review.nothing_to_change')), skipped } };
  const created = await decide(actor, eligible, decision);
  const decisions = [];
  for (const d of created) decisions.push(await decisionView(actor, d, eligible.find((r) => r.id === d.responseId)));
  return ok({ decisions, skipped });
}

/** Decisions by id that still wait to be sent (the rest were sent, undone or replaced meanwhile). */
async function waitingDecisions(actor: Actor, ids: number[]): Promise<ApplicationDecision[]> {
  const found: ApplicationDecision[] = [];
  for (const id of ids) {
    const d = await findDecision(actor.deps.db, id);
    if (d && isWaiting(d)) found.push(d);
  }
  return found;
}

async function messageRoute(actor: Actor, decisionId: number, body: unknown) {
  const { t, deps } = actor;
  const raw = bodyOf(body).message;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return refused(422, 'text_needed', t('review.own_text_needed'));
  if (text.length > MAX_OWN_TEXT) return refused(422, 'too_long', t('review.own_text_too_long', { length: text.length, max: MAX_OWN_TEXT }));
  const [waiting] = await waitingDecisions(actor, [decisionId]);
  if (!waiting) return refused(409, 'nothing_waiting', t('review.nothing_waiting'));
  // As in chat: the coordinator's own words are sent as they are, never read as HTML.
  await setUnsentMessage(deps.db, [waiting.id], escapeHtml(text));
  await auditReview(actor, 'application_message', { applications: [waiting.responseId], decisions: [waiting.id] });
  return ok({ decision: await decisionView(actor, (await findDecision(deps.db, waiting.id))!) });
}

async function sendOrUndoRoute(actor: Actor, verb: 'send' | 'undo', body: unknown) {
  const { t } = actor;
  const ids = idList(bodyOf(body).decisions, MAX_BULK);
  if (!ids) return refused(422, 'bad_selection', t('console.errors.bad_selection', { max: MAX_BULK }));
  const waiting = await waitingDecisions(actor, ids);
  if (waiting.length === 0) return refused(409, 'nothing_waiting', t('review.nothing_waiting'));
  if (verb === 'undo') {
    const undone = await undoDecisions(actor, waiting);
    return ok({ undone, message: plainText(t('review.undone')) });
  }
  const outcomes = await sendDecisions(actor, waiting);
  return ok({
    message: plainText(sendReport(t, outcomes)),
    outcomes: outcomes.map((o) => ({ decision: o.decision.id, applicationId: o.decision.responseId, kind: o.kind })),
  });
}

/** The CV file comes into the coordinator's chat: Telegram keeps it, the page cannot show it. */
async function cvRoute(actor: Actor, id: number) {
  const { deps, t, api } = actor;
  const response = await loadResponse(deps.db, id);
  const row = response ? await findApplication(deps.db, id) : undefined;
  const cv = response?.answers.cv;
  if (!response || !row) return refused(404, 'not_found', t('application.admin_not_found', { id }));
  if (!cv || typeof cv !== 'object' || !('kind' in cv) || cv.kind !== 'file') return refused(404, 'no_file', t('console.errors.no_cv_file'));
  await api.sendDocument(Number(actor.person.telegramId), cv.fileId, { caption: t('application.admin_cv', { name: applicantName(response) }) });
  return ok({ message: plainText(t('console.cv_sent')) });
}

/** The decisions of one earlier action, to show again after a reload. */
async function unsentRoute(actor: Actor) {
  const programme = await programmeOf(actor.deps);
  const all = await listApplications(actor.deps.db, programme.id);
  const waiting = all.flatMap((r) => r.decisions.filter((d) => r.status === 'submitted' && isWaiting(d)).map((d) => ({ d, r })));
  const decisions = [];
  for (const { d, r } of waiting.slice(0, MAX_BULK)) decisions.push(await decisionView(actor, d, r));
  return ok({ decisions });
}

const positive = (text: string) => Number(text);

export const applicationRoutes: ConsoleRoute[] = [
  { method: 'GET', pattern: /^\/console\/applications$/, example: '/console/applications', handle: (actor, { query }) => listRoute(actor, query) },
  { method: 'GET', pattern: /^\/console\/applications\/(\d{1,9})$/, example: '/console/applications/1', handle: (actor, { params }) => detailRoute(actor, positive(params[0]!)) },
  { method: 'POST', pattern: /^\/console\/applications\/(\d{1,9})\/cv$/, example: '/console/applications/1/cv', handle: (actor, { params }) => cvRoute(actor, positive(params[0]!)) },
  { method: 'POST', pattern: /^\/console\/decisions$/, example: '/console/decisions', handle: (actor, { body }) => decideRoute(actor, body) },
  { method: 'GET', pattern: /^\/console\/decisions\/waiting$/, example: '/console/decisions/waiting', handle: (actor) => unsentRoute(actor) },
  { method: 'PUT', pattern: /^\/console\/decisions\/(\d{1,9})\/message$/, example: '/console/decisions/1/message', handle: (actor, { params, body }) => messageRoute(actor, positive(params[0]!), body) },
  { method: 'POST', pattern: /^\/console\/decisions\/send$/, example: '/console/decisions/send', handle: (actor, { body }) => sendOrUndoRoute(actor, 'send', body) },
  { method: 'POST', pattern: /^\/console\/decisions\/undo$/, example: '/console/decisions/undo', handle: (actor, { body }) => sendOrUndoRoute(actor, 'undo', body) },
];

