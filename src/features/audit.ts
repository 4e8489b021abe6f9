import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { recentAudit } from '../db/audit.js';
import type { Person } from '../db/database.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { isDecision } from '../domain/application-status.js';
import { formatLocalDateTime } from '../domain/time-zone.js';
import { escapeHtml } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';

/**
 * /audit: the latest coordinator actions, newest first, twenty to a page, with who did
 * what and when (in the programme's time zone). An action is described by the text
 * `audit.actions.<action>` if there is one (features may add theirs in their own locale
 * files), otherwise by its name and details.
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

function describe(ctx: BotContext, action: string, details: Details, people: Map<number, Person>, timeZone: string): string {
  const { t } = ctx;
  const deadline =
    typeof details.deadline === 'string' && !Number.isNaN(Date.parse(details.deadline))
      ? `${formatLocalDateTime(new Date(details.deadline), typeof details.zone === 'string' ? details.zone : timeZone, ctx.locale)}`
      : '—';
  const params = {
    applications: applicationsOf(details),
    decision: isDecision(details.decision) ? t(`review.status.${details.decision}`) : '—',
    deadline,
    person: (typeof details.personId === 'number' && personName(people.get(details.personId))) || (typeof details.personId === 'number' ? `#${details.personId}` : '—'),
    capacity: typeof details.capacity === 'number' ? details.capacity : '—',
    name: typeof details.name === 'string' ? details.name : '—',
  };
  const known = /^[a-z][a-z_]*$/.test(action) && action !== 'other' ? t(`audit.actions.${action}`, { ...params, defaultValue: '' }) : '';
  if (known) return known;
  const summary = Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('; ');
  return t('audit.actions.other', { action: shorten(action, DETAILS_LENGTH), details: shorten(summary, DETAILS_LENGTH) });
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
  const ids = new Set(parsed.flatMap(({ entry, details }) => [entry.actorId, ...(typeof details.personId === 'number' ? [details.personId] : [])]));
  for (const id of ids) {
    const person = await findPersonById(deps.db, id);
    if (person) people.set(id, person);
  }
  const lines = parsed.map(({ entry, details }) =>
    t('audit.line', {
      date: escapeHtml(formatLocalDateTime(entry.createdAt, programme.timeZone, ctx.locale)),
      name: escapeHtml(personName(people.get(entry.actorId)) ?? t('audit.someone')),
      action: describe(ctx, entry.action, details, people, programme.timeZone),
      interpolation: { escapeValue: false },
    }),
  );
  if (page > 0) keyboard.text(t('audit.newer_button'), `au|${page - 1}`);
  if (entries.length > (page + 1) * PAGE_SIZE) keyboard.text(t('audit.older_button'), `au|${page + 1}`);
  return { text: [`<b>${t('audit.title')}</b>`, t('audit.page', { page: page + 1 }), '', ...lines].join('\n'), keyboard };
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
