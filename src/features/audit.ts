import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { type AuditSubjects, auditSubjects, recentAudit } from '../db/audit.js';
import type { Person } from '../db/database.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { isDecision } from '../domain/application-status.js';
import { DateTime } from 'luxon';
import { isAudience } from '../domain/audiences.js';
import { formatLocalClock } from '../domain/time-zone.js';
import { localTimeText, zoneName } from '../local-time-text.js';
import { describeEndReason } from '../matching/describe-reasons.js';
import { formatOffset } from '../sessions/notices.js';
import { escapeHtml } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';

/**
 * /audit: the latest coordinator actions, newest first, twenty to a page, with who did
 * what and when (in the programme's time zone, named once in the header). An action is
 * described by the text `audit.actions.<action>` (dots as underscores) if there is one,
 * with the teams, mentors, pairs, sessions and events it names looked up by id;
 * otherwise by its name and plain details.
 */
export const auditFeature = new Composer<BotContext>();

const PAGE_SIZE = 20;
/** Cuts that keep twenty lines within one Telegram message. */
const NAME_LENGTH = 32;
const DETAILS_LENGTH = 50;
const APPLICATIONS_SHOWN = 3;

type Details = Record<string, unknown>;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function personName(person: Person | undefined): string | undefined {
  return person ? shorten([person.firstName, person.lastName].filter(Boolean).join(' '), NAME_LENGTH) : undefined;
}

function parseDetails(text: string): Details {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Details) : {};
  } catch {
    return {};
  }
}

function applicationsOf(details: Details): string {
  const ids = Array.isArray(details.applications) ? details.applications.filter((id): id is number => Number.isInteger(id)) : [];
  if (ids.length === 0) return '—';
  const shown = ids.slice(0, APPLICATIONS_SHOWN).map((id) => `/application_${id}`);
  return ids.length > APPLICATIONS_SHOWN ? `${shown.join(', ')} +${ids.length - APPLICATIONS_SHOWN}` : shown.join(', ');
}

const ids = (details: Details, ...keys: string[]) =>
  keys.flatMap((key) => {
    const value = details[key];
    const list = Array.isArray(value) ? value : [value];
    return list.flatMap((v) => (Number.isInteger(v) ? [v as number] : v && typeof v === 'object' && Number.isInteger((v as Details)[key.replace(/s$/, 'Id')]) ? [(v as Details)[key.replace(/s$/, 'Id')] as number] : []));
  });

const isoDate = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-').reverse().join('.') : '—');

/** The entry's action in words: `audit.actions.<action>` (dots become underscores), with the ids it names resolved to names. */
function describe(ctx: BotContext, action: string, details: Details, people: Map<number, Person>, subjects: AuditSubjects, timeZone: string): string {
  const { t } = ctx;
  const clock = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? formatLocalClock(new Date(value), timeZone) : '—');
  const number = (value: unknown) => (typeof value === 'number' ? value : '—');
  const nameOf = (personId: number | undefined) => (personId === undefined ? undefined : personName(people.get(personId)));
  const mentorName = (mentorId: unknown) => (typeof mentorId === 'number' && nameOf(subjects.mentors.get(mentorId))) || '—';
  const teamName = (teamId: unknown) => (typeof teamId === 'number' && subjects.teams.get(teamId)) || '—';
  const pairName = (pairId: unknown) => {
    const pair = typeof pairId === 'number' ? subjects.pairs.get(pairId) : undefined;
    return pair ? `${mentorName(pair.mentorId)} – ${teamName(pair.teamId)}` : '—';
  };
  const session = typeof details.sessionId === 'number' ? subjects.sessions.get(details.sessionId) : undefined;
  const pairs = Array.isArray(details.pairs) ? details.pairs : [];
  const month = typeof details.month === 'string' && /^\d{4}-\d{2}$/.test(details.month) ? DateTime.fromISO(`${details.month}-01`).setLocale(ctx.locale).toFormat('LLLL yyyy') : '—';
  const params = {
    applications: applicationsOf(details),
    decision: isDecision(details.decision) ? t(`review.status.${details.decision}`) : '—',
    deadline:
      typeof details.deadline === 'string' && !Number.isNaN(Date.parse(details.deadline))
        ? localTimeText(t, new Date(details.deadline), typeof details.zone === 'string' ? details.zone : timeZone, ctx.locale)
        : '—',
    person: (typeof details.personId === 'number' && nameOf(details.personId)) || (typeof details.personId === 'number' ? `#${details.personId}` : '—'),
    capacity: number(details.capacity),
    name: typeof details.name === 'string' ? details.name : '—',
    team: teamName(details.teamId ?? (typeof details.pairId === 'number' ? subjects.pairs.get(details.pairId)?.teamId : undefined)),
    mentor: mentorName(details.mentorId ?? details.fromMentorId),
    toMentor: mentorName(details.toMentorId),
    pair: session ? pairName(session.pairId) : pairName(details.pairId),
    when: session ? formatLocalClock(session.startsAt, timeZone) : '—',
    from: clock(details.from),
    to: clock(details.to),
    event: (typeof details.eventId === 'number' && subjects.events.get(details.eventId)) || '—',
    audience: isAudience(details.audience) ? t(`broadcast.audiences.${details.audience}`) : '—',
    recipients: number(details.recipients),
    told: number(details.told),
    rows: number(details.rows),
    number: number(details.number),
    format: typeof details.format === 'string' ? details.format.toUpperCase() : '—',
    month,
    date: isoDate(details.plannedFor ?? details.doneOn),
    reason: typeof details.reason === 'string' ? describeEndReason(details.reason, t) : '—',
    offsets: Array.isArray(details.offsets) ? details.offsets.filter((o): o is number => typeof o === 'number').map((o) => formatOffset(t, o)).join(', ') : '—',
    pairs: pairs.map((p) => (p && typeof p === 'object' ? pairName((p as Details).pairId) : '—')).join('; ') || '—',
    interpolation: { escapeValue: false },
  };
  const key = action.replaceAll('.', '_') + (action === 'match.weights' && details.reset === true ? '_reset' : '');
  const known = /^[a-z][a-z_]*$/.test(key) && key !== 'other' ? t(`audit.actions.${key}`, { ...params, defaultValue: '' }) : '';
  if (known) return escapeHtml(known);
  // An action with no text of its own (yet): its name and plain details, never raw JSON.
  const summary = Object.entries(details)
    .filter(([, value]) => value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((v) => typeof v !== 'object')))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
  return escapeHtml(t('audit.actions.other', { action: shorten(action, DETAILS_LENGTH), details: shorten(summary, DETAILS_LENGTH), interpolation: { escapeValue: false } }));
}

async function auditView(ctx: BotContext, requestedPage: number): Promise<{ text: string; keyboard: InlineKeyboard }> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const entries = await recentAudit(deps.db, { take: (requestedPage + 1) * PAGE_SIZE + 1 });
  // A page that no longer exists shows the last one.
  const page = Math.min(requestedPage, Math.max(0, Math.ceil(entries.length / PAGE_SIZE) - 1));
  const shown = entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const keyboard = new InlineKeyboard();
  if (shown.length === 0) return { text: `<b>${t('audit.title')}</b>\n\n${t('audit.empty')}`, keyboard };

  const people = new Map<number, Person>();
  const parsed = shown.map((entry) => ({ entry, details: parseDetails(entry.details) }));
  const all = parsed.map((p) => p.details);
  const subjects = await auditSubjects(deps.db, {
    teams: all.flatMap((d) => ids(d, 'teamId')),
    mentors: all.flatMap((d) => ids(d, 'mentorId', 'fromMentorId', 'toMentorId')),
    pairs: all.flatMap((d) => [...ids(d, 'pairId'), ...ids(d, 'pairs')]),
    sessions: all.flatMap((d) => ids(d, 'sessionId')),
    events: all.flatMap((d) => ids(d, 'eventId')),
  });
  const personIds = new Set([
    ...parsed.flatMap(({ entry, details }) => [entry.actorId, ...(typeof details.personId === 'number' ? [details.personId] : [])]),
    ...subjects.mentors.values(),
  ]);
  for (const id of personIds) {
    const person = await findPersonById(deps.db, id);
    if (person) people.set(id, person);
  }
  const lines = parsed.map(({ entry, details }) =>
    t('audit.line', {
      date: escapeHtml(formatLocalClock(entry.createdAt, programme.timeZone)),
      name: escapeHtml(personName(people.get(entry.actorId)) ?? t('audit.someone')),
      action: describe(ctx, entry.action, details, people, subjects, programme.timeZone),
      interpolation: { escapeValue: false },
    }),
  );
  if (page > 0) keyboard.text(t('audit.newer_button'), `au|${page - 1}`);
  if (entries.length > (page + 1) * PAGE_SIZE) keyboard.text(t('audit.older_button'), `au|${page + 1}`);
  // The zone is said once: every line shows the programme's clock.
  const head = [`<b>${t('audit.title')}</b>`, t('audit.page', { page: page + 1 }), t('audit.times', { zone: zoneName(t, programme.timeZone, ctx.locale) })];
  return { text: [...head, '', ...lines].join('\n'), keyboard };
}

/** Without empty rows, and none at all on a single page. */
function markup(keyboard: InlineKeyboard) {
  return { inline_keyboard: keyboard.inline_keyboard.filter((row) => row.length > 0) };
}

auditFeature.command('audit', coordinatorOnly, async (ctx) => {
  const view = await auditView(ctx, 0);
  const reply_markup = markup(view.keyboard);
  await ctx.reply(view.text, reply_markup.inline_keyboard.length > 0 ? { reply_markup } : {});
});

auditFeature.callbackQuery(/^au\|(\d{1,4})$/, coordinatorOnly, async (ctx) => {
  const view = await auditView(ctx, Number(ctx.match[1]));
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageText(view.text, { reply_markup: markup(view.keyboard) });
  } catch (error) {
    if (error instanceof GrammyError && /not modified/.test(error.description)) return;
    if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
    await ctx.reply(view.text, { reply_markup: markup(view.keyboard) });
  }
});

auditFeature.callbackQuery(/^au\|/, coordinatorOnly, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
