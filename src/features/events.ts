import { Composer, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { chunkMessages } from '../message-chunks.js';
import { recordAudit } from '../db/audit.js';
import { audiencePeople, audiencePersonIds } from '../db/broadcasts.js';
import type { Person, Programme } from '../db/database.js';
import {
  announceEvent,
  cancelEvent,
  cancelRegistration,
  createEventDraft,
  discardEventDraft,
  findEvent,
  isAnnounced,
  listRegistrations,
  listUpcomingEvents,
  type MessagesFor,
  type ProgrammeEvent,
  register,
  registrationCounts,
  registrationsOfPerson,
  waitlistPosition,
} from '../db/events.js';
import { programmeOf } from '../db/programmes.js';
import type { Audience } from '../domain/audiences.js';
import { formatLocalClock, parseLocalDateTime } from '../domain/time-zone.js';
import { escapeHtml, type Translate } from '../i18n.js';
import { isLocale } from '../locales.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { nudgeOutbox, type OutgoingMessageInput } from '../outbox/outbox.js';
import { localTimeText, zoneName } from '../local-time-text.js';

/**
 * Programme events people register for (forums, trainings, the ideas residence).
 * A coordinator announces one with /newevent in a single message and picks who is
 * invited; the announcement goes through the outbox with a Register button. Places
 * are given in the order people press, the rest wait in line and move up when
 * someone cancels. Registered people get the event's reminders.
 */
export const eventsFeature = new Composer<BotContext>();

/** Who can be invited to an event; labels: `events.audiences.<id>`. */
export const EVENT_AUDIENCES = ['mentors', 'teams', 'pairs', 'everyone'] as const satisfies readonly Audience[];
export type EventAudience = (typeof EVENT_AUDIENCES)[number];

export function isEventAudience(value: unknown): value is EventAudience {
  return typeof value === 'string' && (EVENT_AUDIENCES as readonly string[]).includes(value);
}

export const MAX_CAPACITY = 10_000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_PLACE_LENGTH = 200;
const BUTTON_TITLE_LENGTH = 32;

const ID = /^\d{1,9}$/;


function translatorFor(deps: AppDeps, person: Pick<Person, 'language'>): Translate {
  return deps.i18n.t(isLocale(person.language) ? person.language : deps.config.defaultLocale);
}

const localeOf = (deps: AppDeps, person: Pick<Person, 'language'>) => (isLocale(person.language) ? person.language : deps.config.defaultLocale);

function short(text: string, max = BUTTON_TITLE_LENGTH): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}


/** Minutes before the start when reminders go out, from Programme.reminderOffsets. */
export function reminderOffsets(programme: Pick<Programme, 'reminderOffsets'>): number[] {
  try {
    const parsed: unknown = JSON.parse(programme.reminderOffsets);
    if (!Array.isArray(parsed)) return [];
    return [...new Set(parsed.filter((n): n is number => Number.isInteger(n) && n > 0))].sort((a, b) => b - a);
  } catch {
    return [];
  }
}

function eventParams(deps: AppDeps, event: ProgrammeEvent, zone: string, person: Pick<Person, 'language'>) {
  const locale = localeOf(deps, person);
  return { title: event.title, when: localTimeText(deps.i18n.t(locale), event.startsAt, zone, locale), place: event.place, capacity: event.capacity };
}

/** Reminders (and, for someone who moved up, the news) queued when a person gets a place. */
function registrationMessages(deps: AppDeps, programme: Programme): MessagesFor {
  return (person, event, { registration, promoted }) => {
    const now = deps.clock.now();
    const t = translatorFor(deps, person);
    const params = eventParams(deps, event, programme.timeZone, person);
    const cancelButton = [[{ text: t('events.cancel_button'), callback_data: `ev|cancel|${event.id}` }]];
    const messages: OutgoingMessageInput[] = [];
    if (promoted) {
      messages.push({
        dedupeKey: `event-promoted:${event.id}:${person.id}:${(registration.promotedAt ?? now).getTime()}`,
        kind: 'event_promoted',
        personId: person.id,
        chatId: person.telegramId,
        template: 'events.promoted',
        params,
        buttons: cancelButton,
        dueAt: now,
        expiresAt: event.startsAt,
        eventId: event.id,
      });
    }
    for (const offset of reminderOffsets(programme)) {
      const dueAt = new Date(event.startsAt.getTime() - offset * 60_000);
      if (dueAt.getTime() <= now.getTime()) continue;
      messages.push({
        dedupeKey: `event-reminder:${event.id}:${person.id}:${offset}`,
        kind: 'event_reminder',
        personId: person.id,
        chatId: person.telegramId,
        template: 'events.reminder',
        params,
        buttons: cancelButton,
        dueAt,
        expiresAt: event.startsAt,
        eventId: event.id,
      });
    }
    return messages;
  };
}

// ---------------------------------------------------------------------------
// /newevent

export type NewEventInput =
  | { ok: true; startsAt: Date; capacity: number; place: string; title: string }
  | { ok: false; key: string; params?: Record<string, unknown> };

/** "28.04.2026 10:00 | 25 | Lviv, City Hall | Partnership forum", the time in `zone`. */
export function parseNewEvent(text: string, zone: string, now: Date, locale: string): NewEventInput {
  const parts = text.split('|').map((p) => p.trim());
  if (parts.length < 4) return { ok: false, key: 'events.usage', params: { zone } };
  const [when = '', places = '', place = ''] = parts;
  const title = parts.slice(3).join(' | ').trim();
  const startsAt = parseLocalDateTime(when, zone);
  if (!startsAt) return { ok: false, key: 'events.bad_date', params: { value: when } };
  if (startsAt.getTime() <= now.getTime()) return { ok: false, key: 'events.in_past', params: { when: formatLocalClock(startsAt, zone) } };
  const capacity = /^\d{1,6}$/.test(places) ? Number(places) : NaN;
  if (!(capacity >= 1 && capacity <= MAX_CAPACITY)) return { ok: false, key: 'events.bad_capacity', params: { value: places, max: MAX_CAPACITY } };
  if (place === '' || place.length > MAX_PLACE_LENGTH) return { ok: false, key: 'events.bad_place', params: { max: MAX_PLACE_LENGTH } };
  if (title === '' || title.length > MAX_TITLE_LENGTH) return { ok: false, key: 'events.bad_title', params: { max: MAX_TITLE_LENGTH } };
  return { ok: true, startsAt, capacity, place, title };
}

eventsFeature.command('newevent', coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const text = ctx.match.trim();
  const usage = () => t('events.usage', { zone: zoneName(t, programme.timeZone, ctx.locale) });
  if (text === '') return void (await ctx.reply(usage()));
  const parsed = parseNewEvent(text, programme.timeZone, deps.clock.now(), ctx.locale);
  if (!parsed.ok) {
    const lines = [parsed.key === 'events.usage' ? usage() : t(parsed.key, parsed.params)];
    if (parsed.key !== 'events.usage') lines.push('', usage());
    return void (await ctx.reply(lines.join('\n')));
  }
  const event = await createEventDraft(deps.db, {
    programmeId: programme.id,
    title: parsed.title,
    startsAt: parsed.startsAt,
    place: parsed.place,
    capacity: parsed.capacity,
    createdById: ctx.person.id,
    at: deps.clock.now(),
  });
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'event.create', details: { eventId: event.id }, at: deps.clock.now() });
  const keyboard = new InlineKeyboard();
  for (const audience of EVENT_AUDIENCES) {
    const count = (await audiencePersonIds(deps.db, programme.id, audience)).length;
    keyboard
      .text(t('events.audience_button', { audience: t(`events.audiences.${audience}`), number: count, interpolation: { escapeValue: false } }), `ev|aud|${event.id}|${audience}`)
      .row();
  }
  keyboard.text(t('events.discard_button'), `ev|drop|${event.id}`);
  await ctx.reply(t('events.preview', eventParams(deps, event, programme.timeZone, ctx.person)), { reply_markup: keyboard });
});

/** Replaces the message the button was on; if that is not possible, says it in a new one. */
async function respond(ctx: BotContext, text: string): Promise<void> {
  try {
    await ctx.editMessageText(text);
  } catch {
    await ctx.reply(text);
  }
}

async function announce(ctx: BotContext, eventId: number, audience: EventAudience): Promise<void> {
  const { deps, t } = ctx;
  const event = await findEvent(deps.db, eventId);
  if (!event || event.cancelledAt) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  if (isAnnounced(event)) return void (await ctx.answerCallbackQuery({ text: t('events.already_announced'), show_alert: true }));
  const programme = await programmeOf(deps);
  const now = deps.clock.now();
  if (event.startsAt.getTime() <= now.getTime()) return void (await ctx.answerCallbackQuery({ text: t('events.started'), show_alert: true }));
  const recipients = await audiencePeople(deps.db, event.programmeId, audience);
  if (recipients.length === 0) return void (await ctx.answerCallbackQuery({ text: t('events.nobody'), show_alert: true }));
  const announcements: OutgoingMessageInput[] = recipients.map((person) => ({
    dedupeKey: `event-announce:${event.id}:${person.id}`,
    kind: 'event_announcement',
    personId: person.id,
    chatId: person.telegramId,
    template: 'events.announcement',
    params: eventParams(deps, event, programme.timeZone, person),
    buttons: [[{ text: translatorFor(deps, person)('events.register_button'), callback_data: `ev|reg|${event.id}` }]],
    dueAt: now,
    expiresAt: event.startsAt,
    eventId: event.id,
    status: person.blockedAt ? 'blocked' : 'pending',
  }));
  if (!(await announceEvent(deps.db, event.id, audience, announcements))) {
    return void (await ctx.answerCallbackQuery({ text: t('events.already_announced'), show_alert: true }));
  }
  nudgeOutbox();
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'event.announce', details: { eventId: event.id, audience, recipients: recipients.length }, at: now });
  await ctx.answerCallbackQuery();
  await respond(ctx, t('events.announced', { title: event.title, number: recipients.length, audience: t(`events.audiences.${audience}`) }));
}

async function discard(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const event = await findEvent(deps.db, eventId);
  if (!event || event.cancelledAt) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  if (!(await discardEventDraft(deps.db, eventId, deps.clock.now()))) {
    return void (await ctx.answerCallbackQuery({ text: t('events.already_announced'), show_alert: true }));
  }
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'event.discard', details: { eventId }, at: deps.clock.now() });
  await ctx.answerCallbackQuery();
  await respond(ctx, t('events.discarded'));
}

async function showRegistrations(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const event = await findEvent(deps.db, eventId);
  if (!event || !isAnnounced(event)) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  const programme = await programmeOf(deps);
  const { registered, waitlisted, cancelled } = await listRegistrations(deps.db, eventId);
  const name = (p: Person) => escapeHtml([p.firstName, p.lastName].filter(Boolean).join(' ')) + (p.username ? ` @${escapeHtml(p.username)}` : '');
  const lines = [
    t('events.registrations_title', {
      title: event.title,
      when: localTimeText(t, event.startsAt, programme.timeZone, ctx.locale),
      taken: registered.length,
      capacity: event.capacity,
    }),
  ];
  if (registered.length === 0) lines.push(t('events.registrations_none'));
  for (const [i, r] of registered.entries()) lines.push(`${i + 1}. ${name(r.person)}${r.promotedAt ? ` (${t('events.promoted_mark')})` : ''}`);
  if (waitlisted.length > 0) {
    lines.push('', t('events.waitlist_title', { number: waitlisted.length }));
    for (const [i, r] of waitlisted.entries()) lines.push(`${i + 1}. ${name(r.person)}`);
  }
  if (cancelled > 0) lines.push('', t('events.cancelled_count', { number: cancelled }));
  await ctx.answerCallbackQuery();
  const messages = chunkMessages(lines);
  const keyboard = new InlineKeyboard().text(t('events.cancel_event_button'), `ev|end|${event.id}`);
  for (const [i, text] of messages.entries()) await ctx.reply(text, i === messages.length - 1 ? { reply_markup: keyboard } : {});
}

async function confirmCancel(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const event = await findEvent(deps.db, eventId);
  if (!event || !isAnnounced(event)) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  const programme = await programmeOf(deps);
  const counts = (await registrationCounts(deps.db, [eventId])).get(eventId)!;
  await ctx.answerCallbackQuery();
  await ctx.reply(
    t('events.cancel_event_confirm', {
      title: event.title,
      when: localTimeText(t, event.startsAt, programme.timeZone, ctx.locale),
      number: counts.registered + counts.waitlisted,
    }),
    { reply_markup: new InlineKeyboard().text(t('events.cancel_event_yes'), `ev|endok|${event.id}`).text(t('events.cancel_event_no'), `ev|keep|${event.id}`) },
  );
}

async function cancelWholeEvent(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const now = deps.clock.now();
  const outcome = await cancelEvent(deps.db, deps.config.database.provider, {
    eventId,
    now,
    notices: (people, event) =>
      people.map((person) => ({
        dedupeKey: `event-cancelled:${event.id}:${person.id}`,
        kind: 'event_cancelled',
        personId: person.id,
        chatId: person.telegramId,
        template: 'events.event_cancelled_notice',
        params: eventParams(deps, event, programme.timeZone, person),
        dueAt: now,
        expiresAt: event.startsAt,
        eventId: event.id,
        status: person.blockedAt ? 'blocked' : 'pending',
      })),
  });
  if (!outcome) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  nudgeOutbox();
  await recordAudit(deps.db, { actorId: ctx.person.id, action: 'event.cancel', details: { eventId, told: outcome.told }, at: now });
  await ctx.answerCallbackQuery();
  await respond(ctx, t('events.event_cancelled_done', { title: outcome.event.title, number: outcome.told }));
}

eventsFeature.callbackQuery(/^ev\|(aud|drop|list|end|endok|keep)\|/, coordinatorOnly, async (ctx) => {
  const [, action, id = '', audience] = ctx.callbackQuery.data.split('|');
  if (ID.test(id)) {
    if (action === 'aud' && isEventAudience(audience)) return announce(ctx, Number(id), audience);
    if (action === 'drop' && audience === undefined) return discard(ctx, Number(id));
    if (action === 'list' && audience === undefined) return showRegistrations(ctx, Number(id));
    if (action === 'end' && audience === undefined) return confirmCancel(ctx, Number(id));
    if (action === 'endok' && audience === undefined) return cancelWholeEvent(ctx, Number(id));
    if (action === 'keep' && audience === undefined) {
      await ctx.answerCallbackQuery();
      return respond(ctx, ctx.t('events.cancel_event_kept'));
    }
  }
  await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
});

// ---------------------------------------------------------------------------
// Registering and cancelling

/** Whether the person is among the people the event was announced to, as the programme is now. */
async function isInvited(deps: AppDeps, event: ProgrammeEvent, personId: number): Promise<boolean> {
  if (!isEventAudience(event.audience)) return false;
  return (await audiencePersonIds(deps.db, event.programmeId, event.audience)).includes(personId);
}

async function registerFor(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const event = await findEvent(deps.db, eventId);
  if (!event || !isAnnounced(event)) return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
  if (!(await isInvited(deps, event, ctx.person.id))) {
    return void (await ctx.answerCallbackQuery({ text: t('events.not_invited'), show_alert: true }));
  }
  const programme = await programmeOf(deps);
  const outcome = await register(deps.db, deps.config.database.provider, {
    eventId,
    person: ctx.person,
    now: deps.clock.now(),
    messages: registrationMessages(deps, programme),
  });
  const params = (e: ProgrammeEvent) => eventParams(deps, e, programme.timeZone, ctx.person);
  const cancelKeyboard = new InlineKeyboard().text(t('events.cancel_button'), `ev|cancel|${eventId}`);
  switch (outcome.kind) {
    case 'not_found':
      return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
    case 'started':
      return void (await ctx.answerCallbackQuery({ text: t('events.started'), show_alert: true }));
    case 'already':
      return void (await ctx.answerCallbackQuery({
        text: outcome.position ? t('events.already_waitlisted', { position: outcome.position }) : t('events.already_registered'),
        show_alert: true,
      }));
    case 'registered':
      nudgeOutbox();
      await ctx.answerCallbackQuery();
      return void (await ctx.reply(t('events.registered', params(outcome.event)), { reply_markup: cancelKeyboard }));
    case 'waitlisted':
      await ctx.answerCallbackQuery();
      return void (await ctx.reply(t('events.waitlisted', { ...params(outcome.event), position: outcome.position }), { reply_markup: cancelKeyboard }));
  }
}

async function cancelFor(ctx: BotContext, eventId: number): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const outcome = await cancelRegistration(deps.db, deps.config.database.provider, {
    eventId,
    personId: ctx.person.id,
    now: deps.clock.now(),
    messages: registrationMessages(deps, programme),
  });
  switch (outcome.kind) {
    case 'not_found':
      return void (await ctx.answerCallbackQuery({ text: t('events.not_found'), show_alert: true }));
    case 'started':
      return void (await ctx.answerCallbackQuery({ text: t('events.started'), show_alert: true }));
    case 'not_registered':
      return void (await ctx.answerCallbackQuery({ text: t('events.not_registered'), show_alert: true }));
    case 'cancelled': {
      if (outcome.promoted.length > 0) nudgeOutbox();
      deps.logger.info({ eventId, personId: ctx.person.id, promoted: outcome.promoted.map((p) => p.id) }, 'event registration cancelled');
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard().text(t('events.register_button'), `ev|reg|${eventId}`);
      return void (await ctx.reply(t('events.cancelled', eventParams(deps, outcome.event, programme.timeZone, ctx.person)), { reply_markup: keyboard }));
    }
  }
}

eventsFeature.callbackQuery(/^ev\|(reg|cancel)\|/, async (ctx) => {
  const [, action, id = '', extra] = ctx.callbackQuery.data.split('|');
  if (ID.test(id) && extra === undefined) {
    if (action === 'reg') return registerFor(ctx, Number(id));
    return cancelFor(ctx, Number(id));
  }
  await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
});

eventsFeature.callbackQuery(/^ev\|/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));

// ---------------------------------------------------------------------------
// /events

eventsFeature.command('events', async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const events = await listUpcomingEvents(deps.db, programme.id, deps.clock.now());
  const ids = events.map((e) => e.id);
  const [counts, mine] = await Promise.all([registrationCounts(deps.db, ids), registrationsOfPerson(deps.db, ctx.person.id, ids)]);
  const invitedTo = new Map<string, boolean>();
  const invited = async (audience: string) => {
    if (!invitedTo.has(audience)) {
      invitedTo.set(audience, isEventAudience(audience) && (await audiencePersonIds(deps.db, programme.id, audience)).includes(ctx.person.id));
    }
    return invitedTo.get(audience)!;
  };

  const lines: string[] = [];
  const keyboard = new InlineKeyboard();
  for (const event of events) {
    const registration = mine.get(event.id);
    const active = registration && registration.status !== 'cancelled' ? registration : undefined;
    const canRegister = !active && (await invited(event.audience));
    if (!ctx.isCoordinator && !active && !canRegister) continue;
    const count = counts.get(event.id)!;
    lines.push('', t('events.item', eventParams(deps, event, programme.timeZone, ctx.person)));
    lines.push(
      count.registered >= event.capacity
        ? t('events.places_waitlist', { capacity: event.capacity, waiting: count.waitlisted })
        : t('events.places', { taken: count.registered, capacity: event.capacity }),
    );
    if (active?.status === 'registered') lines.push(t('events.status_registered'));
    if (active?.status === 'waitlisted') lines.push(t('events.status_waitlisted', { position: await waitlistPosition(deps.db, active) }));
    const title = short(event.title);
    if (active) keyboard.text(t('events.cancel_item_button', { title, interpolation: { escapeValue: false } }), `ev|cancel|${event.id}`).row();
    else if (canRegister) keyboard.text(t('events.register_item_button', { title, interpolation: { escapeValue: false } }), `ev|reg|${event.id}`).row();
    if (ctx.isCoordinator) keyboard.text(t('events.list_item_button', { title, interpolation: { escapeValue: false } }), `ev|list|${event.id}`).row();
  }
  if (lines.length === 0) return void (await ctx.reply(t(ctx.isCoordinator ? 'events.none_coordinator' : 'events.none')));
  const messages = chunkMessages([t('events.list_title'), ...lines]);
  for (const [i, text] of messages.entries()) {
    const last = i === messages.length - 1;
    await ctx.reply(text, last && keyboard.inline_keyboard.length > 0 ? { reply_markup: keyboard } : {});
  }
});
