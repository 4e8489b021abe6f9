import { DateTime } from 'luxon';
import type { InlineKeyboardButton } from 'grammy/types';
import type { AppDeps } from '../context.js';
import type { Person, Programme } from '../db/database.js';
import type { Session } from '../db/sessions.js';
import { DEFAULT_REMINDER_OFFSETS, planReminders } from '../domain/reminders.js';
import type { Translate } from '../i18n.js';
import { isLocale, type Locale } from '../locales.js';
import type { OutgoingMessageInput } from '../outbox/outbox.js';
import { data } from './callback-data.js';
import { personName, recipientsOf, type SessionParty } from './participants.js';
import { formatLocalClock } from '../domain/time-zone.js';
import { localTimeText } from '../local-time-text.js';

/**
 * What the bot sends on its own about sessions, as outbox rows. Templates are rendered
 * in each person's language when sent; the few words that cannot wait until then (the
 * kind of session, the time with its zone, button labels) are put in the person's
 * language now.
 */

export const REMINDER_KIND = 'session_reminder';
export const MAX_REMINDER_OFFSETS = 4;
/** 30 days: a reminder further ahead would be forgotten by the time of the session. */
export const MAX_REMINDER_OFFSET = 43_200;

export function localeOf(deps: AppDeps, person: Pick<Person, 'language'>): Locale {
  return isLocale(person.language) ? person.language : deps.config.defaultLocale;
}

/** Programme.reminderOffsets, or the default when it is unreadable. */
export function reminderOffsets(programme: Pick<Programme, 'reminderOffsets'>): number[] {
  try {
    const parsed: unknown = JSON.parse(programme.reminderOffsets);
    if (Array.isArray(parsed) && parsed.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_REMINDER_OFFSET)) return parsed as number[];
  } catch {
    // The default below.
  }
  return [...DEFAULT_REMINDER_OFFSETS];
}

/** "2026-03-05": the session's date in the programme's zone, as mentoring logs keep it. */
export function localDate(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM-dd');
}

/** "1 d", "2 h", "15 min" for reminder offsets. */
export function formatOffset(t: Translate, minutes: number): string {
  if (minutes % 1440 === 0) return t('sessions.units.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('sessions.units.hours', { n: minutes / 60 });
  return t('sessions.units.minutes', { n: minutes });
}

/** A place written as a link is the meeting's URL in the calendar file. */
function isLink(place: string | null): boolean {
  return !!place && /^https?:\/\/\S+$/i.test(place.trim());
}

/** The session's facts as template parameters, in one language. */
export function sessionParams(t: Translate, locale: Locale, programme: Programme, session: Session, party: SessionParty) {
  return {
    kind: t(`sessions.kinds.${session.kind}`),
    when: localTimeText(t, session.startsAt, programme.timeZone, locale),
    duration: session.durationMinutes,
    place: session.place ?? t('sessions.none_given'),
    agenda: session.agenda ?? t('sessions.none_given'),
    mentor: personName(party.mentor),
    team: party.team?.name ?? '—',
    organiser: personName(party.organiser),
  };
}

/** The .ics for one person: the title in their language. The agenda stays out (calendar files get forwarded). */
export async function calendarFile(
  deps: AppDeps,
  locale: Locale,
  session: Session,
  party: SessionParty,
  options: { cancelled?: boolean } = {},
) {
  const t = deps.i18n.t(locale);
  const title = t('sessions.calendar_title', {
    kind: t(`sessions.kinds.${session.kind}`),
    mentor: personName(party.mentor),
    team: party.team?.name ?? '—',
    interpolation: { escapeValue: false },
  });
  const place = session.place?.trim() || undefined;
  // The calendar library is loaded with the first session invitation, not at start.
  const { buildSessionIcs, sessionIcsFileName } = await import('../domain/calendar-file.js');
  const content = buildSessionIcs({
    id: session.id,
    title,
    startsAt: session.startsAt,
    durationMinutes: session.durationMinutes,
    ...(place ? (isLink(place) ? { url: place } : { location: place }) : {}),
    organizer: { name: personName(party.organiser) },
    sequence: session.sequence,
    cancelled: options.cancelled ?? false,
    now: deps.clock.now(),
  });
  return { kind: 'ics' as const, name: sessionIcsFileName(session.id), content };
}

export function rsvpButtons(t: Translate, session: Pick<Session, 'id' | 'sequence'>): InlineKeyboardButton[][] {
  return [
    [
      { text: t('sessions.rsvp.yes'), callback_data: data.rsvp(session.id, session.sequence, 'yes') },
      { text: t('sessions.rsvp.no'), callback_data: data.rsvp(session.id, session.sequence, 'no') },
    ],
    [{ text: t('sessions.rsvp.other'), callback_data: data.rsvp(session.id, session.sequence, 'other') }],
  ];
}

function base(person: Person) {
  return { personId: person.id, chatId: person.telegramId };
}

/** Invitations (or, after a move, notices of the new time) with a calendar file and answer buttons. */
export function invitations(
  deps: AppDeps,
  programme: Programme,
  session: Session,
  party: SessionParty,
  moved?: { previousStart: Date; changedBy: Person },
): Promise<OutgoingMessageInput[]> {
  const now = deps.clock.now();
  return Promise.all(recipientsOf(party).map(async (person) => {
    const locale = localeOf(deps, person);
    const t = deps.i18n.t(locale);
    const params = sessionParams(t, locale, programme, session, party);
    return {
      ...base(person),
      dedupeKey: `${moved ? 'moved' : 'invite'}:${session.id}:${session.sequence}:${person.id}`,
      kind: moved ? 'session_moved' : 'session_invitation',
      template: moved ? 'sessions.notice.moved' : 'sessions.notice.invitation',
      params: moved
        ? { ...params, previous: formatLocalClock(moved.previousStart, programme.timeZone), changedBy: personName(moved.changedBy) }
        : params,
      attachment: await calendarFile(deps, locale, session, party),
      buttons: rsvpButtons(t, session),
      dueAt: now,
      expiresAt: session.startsAt,
      sessionId: session.id,
    };
  }));
}

export function cancellations(deps: AppDeps, programme: Programme, session: Session, party: SessionParty, changedBy: Person): Promise<OutgoingMessageInput[]> {
  const now = deps.clock.now();
  return Promise.all(recipientsOf(party).map(async (person) => {
    const locale = localeOf(deps, person);
    const t = deps.i18n.t(locale);
    return {
      ...base(person),
      dedupeKey: `cancelled:${session.id}:${person.id}`,
      kind: 'session_cancelled',
      template: 'sessions.notice.cancelled',
      params: { ...sessionParams(t, locale, programme, session, party), changedBy: personName(changedBy) },
      attachment: await calendarFile(deps, locale, session, party, { cancelled: true }),
      dueAt: now,
      sessionId: session.id,
    };
  }));
}

export function reminderKey(sessionId: number, sequence: number, personId: number, offset: number): string {
  return `reminder:${sessionId}:${sequence}:${personId}:${offset}`;
}

/** The offset (minutes) a reminder row was planned for, from its key. */
export function offsetOfReminderKey(dedupeKey: string): number | undefined {
  const match = /^reminder:\d+:\d+:\d+:(\d+)$/.exec(dedupeKey);
  return match ? Number(match[1]) : undefined;
}

/**
 * Reminders before the start, one per offset and person. Due at start − offset; they
 * expire at the start, so one missed while the bot was down still goes out late, but
 * never after the session has begun.
 */
export function reminders(deps: AppDeps, programme: Programme, session: Session, party: SessionParty, offsets = reminderOffsets(programme)): OutgoingMessageInput[] {
  const planned = planReminders(session.startsAt, offsets, deps.clock.now());
  return recipientsOf(party).flatMap((person) => {
    const locale = localeOf(deps, person);
    const t = deps.i18n.t(locale);
    const params = sessionParams(t, locale, programme, session, party);
    return planned.map((reminder) => ({
      ...base(person),
      dedupeKey: reminderKey(session.id, session.sequence, person.id, reminder.offsetMinutes),
      kind: REMINDER_KIND,
      template: 'sessions.notice.reminder',
      params,
      dueAt: reminder.dueAt,
      expiresAt: session.startsAt,
      sessionId: session.id,
    }));
  });
}

/** The organiser hears of each answer. */
export function rsvpNotice(
  deps: AppDeps,
  programme: Programme,
  session: Session,
  party: SessionParty,
  from: Person,
  answer: 'yes' | 'no' | 'other_time',
  at: Date,
): OutgoingMessageInput | undefined {
  const organiser = party.organiser;
  if (!organiser || organiser.id === from.id) return undefined;
  const locale = localeOf(deps, organiser);
  return {
    ...base(organiser),
    dedupeKey: `rsvp:${session.id}:${session.sequence}:${from.id}:${at.getTime()}`,
    kind: 'session_rsvp',
    template: `sessions.notice.rsvp_${answer}`,
    params: { name: personName(from), when: localTimeText(deps.i18n.t(locale), session.startsAt, programme.timeZone, locale), team: party.team?.name ?? '—' },
    dueAt: at,
  };
}

/** A participant's proposal of another time, with a button for the organiser to reschedule. */
export function proposalNotice(
  deps: AppDeps,
  programme: Programme,
  session: Session,
  party: SessionParty,
  from: Person,
  proposal: string,
  at: Date,
): OutgoingMessageInput | undefined {
  const organiser = party.organiser;
  if (!organiser || organiser.id === from.id) return undefined;
  const locale = localeOf(deps, organiser);
  const t = deps.i18n.t(locale);
  return {
    ...base(organiser),
    dedupeKey: `proposal:${session.id}:${session.sequence}:${from.id}:${at.getTime()}`,
    kind: 'session_proposal',
    template: 'sessions.notice.proposal',
    params: { name: personName(from), when: localTimeText(t, session.startsAt, programme.timeZone, locale), team: party.team?.name ?? '—', proposal },
    buttons: [[{ text: t('sessions.manage.reschedule'), callback_data: data.move(session.id) }]],
    dueAt: at,
  };
}

/** After the end, the mentor is asked whether the session took place; once per version of the session. */
export function followUp(deps: AppDeps, programme: Programme, session: Session, party: SessionParty): OutgoingMessageInput | undefined {
  const mentor = party.mentor;
  if (!mentor) return undefined;
  const locale = localeOf(deps, mentor);
  const t = deps.i18n.t(locale);
  return {
    ...base(mentor),
    dedupeKey: `followup:${session.id}:${session.sequence}`,
    kind: 'session_followup',
    template: 'sessions.notice.followup',
    params: sessionParams(t, locale, programme, session, party),
    buttons: [
      [
        { text: t('sessions.followup.half_day'), callback_data: data.log(session.id, 'h') },
        { text: t('sessions.followup.whole_day'), callback_data: data.log(session.id, 'd') },
      ],
      [{ text: t('sessions.followup.not_held'), callback_data: data.notHeld(session.id) }],
    ],
    dueAt: deps.clock.now(),
    sessionId: session.id,
  };
}
