import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { ApiCall } from './support/fake-bot-api.js';
import type { Replies } from './support/telegram-user.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const MENTOR = 1001;
const OTHER_MENTOR = 1002;
const OLENA = 2001; // Ukrainian-speaking team member
const PIOTR = 2002; // Polish-speaking team member
const OUTSIDER = 3001;
const env = { ADMIN_IDS: String(COORDINATOR) };
const COORDINATORS_ONLY = "This is for the programme's coordinators only.";

/** Mentors, teams and pairs as the matching feature leaves them. */
async function seedPairs(db: Database) {
  const programme = await db.programme.findFirstOrThrow();
  const person = (telegramId: number, firstName: string, language: string) =>
    db.person.create({ data: { telegramId: BigInt(telegramId), firstName, lastName: 'K.', language } });
  const mentor = async (telegramId: number, name: string) => {
    const p = await person(telegramId, name, 'en');
    const application = await db.formResponse.create({
      data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${p.id}`, status: 'submitted', submittedAt: new Date() },
    });
    return db.mentor.create({ data: { programmeId: programme.id, personId: p.id, applicationId: application.id, acceptedAt: new Date() } });
  };
  const anna = await mentor(MENTOR, 'Anna');
  const borys = await mentor(OTHER_MENTOR, 'Borys');
  const bucha = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
  const irpin = await db.team.create({ data: { programmeId: programme.id, name: 'Irpin', country: 'Ukraine', createdById: 1 } });
  for (const [id, name, language] of [
    [OLENA, 'Olena', 'uk'],
    [PIOTR, 'Piotr', 'pl'],
  ] as const) {
    const p = await person(id, name, language);
    await db.teamMember.create({ data: { teamId: bucha.id, personId: p.id } });
  }
  const pair = await db.pair.create({ data: { programmeId: programme.id, mentorId: anna.id, teamId: bucha.id, createdById: 1, publishedAt: new Date() } });
  await db.pair.create({ data: { programmeId: programme.id, mentorId: borys.id, teamId: irpin.id, createdById: 1, publishedAt: new Date() } });
  return { pair };
}

function users(bot: TestBot) {
  return {
    coordinator: bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' }),
    mentor: bot.user({ id: MENTOR, first_name: 'Anna', last_name: 'K.', language_code: 'en' }),
    otherMentor: bot.user({ id: OTHER_MENTOR, first_name: 'Borys', last_name: 'K.', language_code: 'en' }),
    olena: bot.user({ id: OLENA, first_name: 'Olena', last_name: 'K.', language_code: 'uk' }),
    piotr: bot.user({ id: PIOTR, first_name: 'Piotr', last_name: 'K.', language_code: 'pl' }),
    outsider: bot.user({ id: OUTSIDER, first_name: 'Oleh', language_code: 'en' }),
  };
}

const documentsTo = (bot: TestBot, chatId: number) =>
  bot.api.calls.filter((c) => c.method === 'sendDocument' && !c.error && Number(c.payload.chat_id) === chatId);
const messagesTo = (bot: TestBot, chatId: number) =>
  bot.api.calls.filter((c) => c.method === 'sendMessage' && !c.error && Number(c.payload.chat_id) === chatId);
/** What a person sees in the chat: texts and captions as Telegram shows them, without markup. */
const shown = (replies: Replies) =>
  replies.calls
    .filter((c) => /^(sendMessage|editMessageText|sendDocument)$/.test(c.method) && !c.error)
    .map(textOf)
    .join('\n---\n');
const textOf = (call: ApiCall) => {
  const result = call.result as { text?: string; caption?: string } | undefined;
  return result?.text ?? result?.caption ?? '';
};

/** The calendar file of a sendDocument call, unfolded, as "NAME:value" lines. */
function calendarLines(call: ApiCall): string[] {
  const file = call.files.document;
  expect(file?.name).toMatch(/^session-\d+\.ics$/);
  return file!.content.toString('utf8').replace(/\r\n[ \t]/g, '').split('\r\n');
}

async function waitForDocuments(bot: TestBot, chats: number[], count = 1) {
  await bot.api.waitFor(() => chats.every((id) => documentsTo(bot, id).length >= count), 15_000);
}

/** The mentor schedules an online session for their only pair, answering every step. */
async function scheduleOnline(bot: TestBot, time = '05.03.2026 14:00') {
  const { mentor } = users(bot);
  const asked = await mentor.send('/schedule');
  expect(shown(asked)).toContain('Session for Anna K. — Bucha. What kind of session is it?');
  await mentor.press('Online meeting');
  await mentor.send(time);
  await mentor.press('90 min');
  await mentor.send('https://meet.example.org/bucha');
  const summary = await mentor.send('Partnership strategy <first draft>');
  expect(shown(summary)).toContain('Please check the session');
  const done = await mentor.press('Send invitations');
  expect(shown(done)).toContain('Scheduled. Invitations with a calendar file are on their way to 3 people');
  return (await bot.app.deps.db.session.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
}

describe('scheduling a session', () => {
  it('sends everyone an invitation with a calendar file in UTC and in their own language', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const id = await scheduleOnline(bot);

    const session = await bot.app.deps.db.session.findUniqueOrThrow({ where: { id } });
    // 14:00 in Kyiv in early March (UTC+2) is 12:00 UTC.
    expect(session).toMatchObject({
      kind: 'online',
      startsAt: new Date('2026-03-05T12:00:00Z'),
      durationMinutes: 90,
      place: 'https://meet.example.org/bucha',
      agenda: 'Partnership strategy <first draft>',
      status: 'scheduled',
      sequence: 0,
    });

    await waitForDocuments(bot, [MENTOR, OLENA, PIOTR]);
    const english = calendarLines(documentsTo(bot, MENTOR)[0]!);
    expect(english).toContain('DTSTART:20260305T120000Z');
    expect(english).toContain('DURATION:PT90M');
    expect(english).toContain('SUMMARY:Online meeting: Anna K. — Bucha');
    expect(english).toContain('LOCATION:https://meet.example.org/bucha');
    expect(english).toContain(`UID:session-${id}@citymentor`);
    expect(english).toContain('SEQUENCE:0');
    expect(english).toContain('METHOD:PUBLISH');
    // The agenda stays out of calendar files, which get forwarded.
    expect(english.join('\n')).not.toContain('Partnership strategy');

    const ukrainian = calendarLines(documentsTo(bot, OLENA)[0]!);
    expect(ukrainian).toContain('SUMMARY:Онлайн-зустріч: Anna K. — Bucha');
    expect(ukrainian).toContain(`UID:session-${id}@citymentor`);

    expect(textOf(documentsTo(bot, MENTOR)[0]!)).toContain('Invitation to a session');
    expect(textOf(documentsTo(bot, MENTOR)[0]!)).toContain('05.03.2026 14:00 (Kyiv time) · 90 min');
    expect(textOf(documentsTo(bot, MENTOR)[0]!)).toContain('Agenda: Partnership strategy <first draft>');
    expect(textOf(documentsTo(bot, OLENA)[0]!)).toContain('Запрошення на зустріч');
    expect(textOf(documentsTo(bot, PIOTR)[0]!)).toContain('Zaproszenie na spotkanie');
    expect(textOf(documentsTo(bot, PIOTR)[0]!)).toContain('05.03.2026 14:00 (czasu kijowskiego; 13:00 czasu warszawskiego)');
    const { olena } = users(bot);
    expect(olena.buttons()).toEqual(['Так, буду', 'Ні, не зможу', 'Запропонувати інший час']);
    // Nobody outside the pair hears of it.
    expect(documentsTo(bot, OTHER_MENTOR)).toHaveLength(0);
  });

  it('refuses unreadable and past times clearly and keeps every answer across a restart', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const { mentor } = users(bot);
    await mentor.send('/schedule');
    await mentor.press('Visit');

    const unreadable = await mentor.send('next Friday afternoon');
    expect(shown(unreadable)).toContain('I could not read that as a date and time. Please send it like 02.03.2026 14:00 (Kyiv time).');
    const impossible = await mentor.send('31.02.2026 10:00');
    expect(shown(impossible)).toContain('I could not read that as a date and time');
    const past = await mentor.send('28.02.2026 10:00');
    expect(shown(past)).toBe('28.02.2026 10:00 (Kyiv time) has already passed. Please send a time in the future.');
    const accepted = await mentor.send('2026-03-10 09:30');
    expect(shown(accepted)).toContain('How long will it last?');

    const restarted = await bot.restart();
    const again = users(restarted).mentor;
    // The duration typed rather than chosen; the dialogue goes on where it was.
    const tooShort = await again.send('2');
    expect(shown(tooShort)).toBe('Please send the duration in minutes: a whole number from 5 to 720.');
    const place = await again.send('45 min');
    expect(shown(place)).toContain('Where will it take place? Send the address or the place.');
    await again.send('Bucha city council, Energetykiv 12');
    await again.press('Skip');
    const done = await again.press('Send invitations');
    expect(shown(done)).toContain('Scheduled.');

    const session = await restarted.app.deps.db.session.findFirstOrThrow();
    expect(session).toMatchObject({
      kind: 'visit',
      startsAt: new Date('2026-03-10T07:30:00Z'),
      durationMinutes: 45,
      place: 'Bucha city council, Energetykiv 12',
      agenda: null,
    });
    await waitForDocuments(restarted, [MENTOR, OLENA, PIOTR]);
    const lines = calendarLines(documentsTo(restarted, OLENA)[0]!);
    expect(lines).toContain('DTSTART:20260310T073000Z');
    expect(lines).toContain('LOCATION:Bucha city council\\, Energetykiv 12');
    // The scheduling dialogue is finished: an ordinary message is not taken as an answer.
    expect(shown(await again.send('hello'))).not.toContain('Where will it take place');
  });

  it('lets a coordinator choose the pair, and refuses team members and outsiders', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const { coordinator, olena, outsider, mentor } = users(bot);
    await coordinator.send('/start');

    const choose = await coordinator.send('/schedule');
    expect(shown(choose)).toContain('Which pair is the session for?');
    expect(coordinator.buttons()).toEqual(['Anna K. — Bucha', 'Borys K. — Irpin', 'Stop scheduling']);
    const kind = await coordinator.press('Borys K. — Irpin');
    expect(shown(kind)).toContain('Session for Borys K. — Irpin.');
    await coordinator.press('Programme event');
    await coordinator.send('12.03.2026 10:00');
    await coordinator.press('120 min');
    await coordinator.send('Lviv, partnership forum');
    await coordinator.send('Forum day');
    await coordinator.press('Send invitations');
    const session = await bot.app.deps.db.session.findFirstOrThrow();
    expect(session).toMatchObject({ kind: 'programme_event', organiserId: (await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: 900n } })).id });
    await waitForDocuments(bot, [OTHER_MENTOR, COORDINATOR]);
    expect(documentsTo(bot, MENTOR)).toHaveLength(0);
    expect(await bot.app.deps.db.auditEntry.count({ where: { action: 'sessions.schedule' } })).toBe(1);

    expect(shown(await olena.send('/schedule'))).toBe(
      'Зустрічі планує ментор пари або координатор. Якщо ви в команді громади, попросіть свого ментора запланувати зустріч.',
    );
    expect(shown(await outsider.send('/schedule'))).toContain('Sessions are scheduled by a pair’s mentor or by a coordinator.');

    // Buttons of someone else's dialogue, or made up, do nothing.
    const forged = await mentor.pressData(`ss|p|${session.id + 50}|1`);
    expect(forged.callbackAnswer).toBe('This button is no longer active.');
  });
});

describe('answers to an invitation', () => {
  it('records yes, no and another time; the organiser hears each and sees them in /sessions', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const id = await scheduleOnline(bot);
    await waitForDocuments(bot, [MENTOR, OLENA, PIOTR]);
    const { mentor, olena, piotr, outsider } = users(bot);

    const yes = await olena.press('Так, буду');
    expect(yes.callbackAnswer).toBe('Дякуємо! Ви берете участь.');
    expect(olena.buttons()).toEqual(['✓ Так, буду', 'Ні, не зможу', 'Запропонувати інший час']);
    await bot.api.waitFor(() => messagesTo(bot, MENTOR).some((c) => textOf(c) === 'Olena K. will take part in the session on 05.03.2026 14:00 (Kyiv time) (Bucha).'));

    const no = await piotr.press('Nie, nie mogę');
    expect(no.callbackAnswer).toBe('Przyjęte: nie możesz wziąć udziału. Organizator został powiadomiony.');
    await bot.api.waitFor(() => messagesTo(bot, MENTOR).some((c) => textOf(c).startsWith('Piotr K. cannot take part')));

    // Changing one's mind: another time, with a proposal in the next message.
    const other = await piotr.press('Zaproponuj inny termin');
    expect(shown(other)).toContain('Jaki termin Ci odpowiada?');
    const sent = await piotr.send('Piątek 6.03 o 10:00 <lub> 12:00');
    expect(shown(sent)).toBe('Wysłano do organizatora: Anna K..');
    await bot.api.waitFor(() => messagesTo(bot, MENTOR).some((c) => textOf(c).includes('“Piątek 6.03 o 10:00 <lub> 12:00”')));
    const proposal = messagesTo(bot, MENTOR).find((c) => textOf(c).includes('Piątek'))!;
    expect(textOf(proposal)).toBe('Piotr K. proposes another time for the session on 05.03.2026 14:00 (Kyiv time) (Bucha):\n\n“Piątek 6.03 o 10:00 <lub> 12:00”');

    const rsvps = await bot.app.deps.db.sessionRsvp.findMany({ where: { sessionId: id }, orderBy: { personId: 'asc' } });
    expect(rsvps.map((r) => [r.answer, r.note])).toEqual([
      ['yes', null],
      ['other_time', 'Piątek 6.03 o 10:00 <lub> 12:00'],
    ]);

    const list = await mentor.send('/sessions');
    expect(shown(list)).toContain('Upcoming sessions (1)');
    expect(shown(list)).toContain('Online meeting · 05.03.2026 14:00 (Kyiv time) · 90 min');
    expect(shown(list)).toContain('✅ Coming: Olena K.');
    expect(shown(list)).toContain('🕒 Another time: Piotr K.');
    expect(shown(list)).toContain('Piotr K.: “Piątek 6.03 o 10:00 <lub> 12:00”');
    expect(mentor.buttons()).toEqual(['Reschedule', 'Cancel the session']);

    // Team members see the session too, without the buttons to change it.
    const theirs = await olena.send('/sessions');
    expect(shown(theirs)).toContain('Найближчі зустрічі (1)');
    expect(theirs.calls.find((c) => c.method === 'sendMessage' && String(c.payload.text).includes('Онлайн-зустріч'))?.payload.reply_markup).toBeUndefined();
    expect(shown(await outsider.send('/sessions'))).toBe('There are no upcoming sessions. Mentors and coordinators schedule them with /schedule.');

    // Someone who was not invited cannot answer, even with the right button data.
    const forged = await outsider.pressData(`ss|rsvp|${id}|0|yes`);
    expect(forged.callbackAnswer).toBe('This invitation is not addressed to you.');
    expect(await bot.app.deps.db.sessionRsvp.count()).toBe(2);
  });
});

describe('changing a session', () => {
  it('lets only the organiser, the pair’s mentor or a coordinator reschedule or cancel, and answers forged buttons clearly', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const id = await scheduleOnline(bot);
    await waitForDocuments(bot, [MENTOR, OLENA, PIOTR]);
    const { olena, otherMentor, outsider, coordinator, mentor } = users(bot);
    const before = await bot.app.deps.db.session.findUniqueOrThrow({ where: { id } });

    for (const user of [olena, otherMentor, outsider]) {
      for (const data of [`ss|mv|${id}`, `ss|cx|${id}`, `ss|cxy|${id}|0`]) {
        const refused = await user.pressData(data);
        expect(refused.callbackAnswer, `${user.id} ${data}`).toMatch(
          /^(Only the organiser, the pair’s mentor or a coordinator can change this session\.|Змінити цю зустріч може лише організатор, ментор пари або координатор\.)$/,
        );
      }
      // Nothing typed afterwards is taken as a new time.
      await user.send('06.03.2026 10:00');
    }
    expect(await bot.app.deps.db.session.findUniqueOrThrow({ where: { id } })).toEqual(before);

    for (const data of ['ss|nonsense', 'ss|rsvp|abc|0|yes', `ss|rsvp|${id}|0|maybe`, `ss|mv|${id}|extra`, `ss|log|${id}|x`, 'ss|cxy|1']) {
      expect((await mentor.pressData(data)).callbackAnswer, data).toBe('This button is no longer active.');
    }
    expect((await mentor.pressData('ss|mv|99999')).callbackAnswer).toBe('This session no longer exists.');
    expect((await mentor.pressData('ss|rsvp|99999|0|yes')).callbackAnswer).toBe('This session no longer exists.');

    expect(shown(await olena.send('/reminders'))).toBe('Це доступно лише координаторам програми.');
    expect(shown(await outsider.send('/reminders 30'))).toBe(COORDINATORS_ONLY);
    expect((await bot.app.deps.db.programme.findFirstOrThrow()).reminderOffsets).toBe('[1440,60]');

    // A coordinator may cancel a session the mentor organised; everyone is told, with a cancelling calendar file.
    await coordinator.send('/start');
    const list = await coordinator.send('/sessions');
    expect(shown(list)).toContain('All upcoming sessions of the programme (1)');
    const confirm = await coordinator.press('Cancel the session');
    expect(shown(confirm)).toContain('Cancel this session?');
    const cancelled = await coordinator.press('Yes, cancel it');
    expect(shown(cancelled)).toBe('Cancelled. Everyone is notified.');
    expect(await bot.app.deps.db.session.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'cancelled', sequence: 1 });
    expect(await bot.app.deps.db.auditEntry.count({ where: { action: 'sessions.cancel' } })).toBe(1);

    await waitForDocuments(bot, [MENTOR, OLENA, PIOTR], 2);
    const lines = calendarLines(documentsTo(bot, PIOTR)[1]!);
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('SEQUENCE:1');
    expect(lines).toContain(`UID:session-${id}@citymentor`);
    expect(textOf(documentsTo(bot, PIOTR)[1]!)).toContain('Spotkanie zostało odwołane');
    expect(textOf(documentsTo(bot, MENTOR)[1]!)).toContain('Cancelled by Iryna.');
    // No reminder of a cancelled session is left to go out.
    expect(await bot.app.deps.db.outgoingMessage.count({ where: { sessionId: id, kind: 'session_reminder', status: 'pending' } })).toBe(0);

    // Old buttons re-check the session.
    expect((await olena.pressData(`ss|rsvp|${id}|0|yes`)).callbackAnswer).toBe('Цю зустріч скасовано.');
    expect((await mentor.pressData(`ss|mv|${id}`)).callbackAnswer).toBe('This session has been cancelled.');
  });
});

describe('/reminders', () => {
  it('shows the reminder times, checks new ones and applies them to upcoming sessions', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPairs(bot.app.deps.db);
    const id = await scheduleOnline(bot);
    const { coordinator } = users(bot);
    await coordinator.send('/start');

    const current = await coordinator.send('/reminders');
    expect(shown(current)).toContain('Session reminders go out 1 d, 1 h before the start.');
    expect(shown(current)).toContain('/reminders 1440 60');

    for (const bad of ['/reminders 0', '/reminders abc', '/reminders -5', '/reminders 1 2 3 4 5', '/reminders 50000']) {
      expect(shown(await coordinator.send(bad)), bad).toContain('Please send whole numbers of minutes greater than zero');
    }
    expect((await bot.app.deps.db.programme.findFirstOrThrow()).reminderOffsets).toBe('[1440,60]');

    const changed = await coordinator.send('/reminders 60 2880 15');
    expect(shown(changed)).toBe('Done: reminders now go out 2 d, 1 h, 15 min before the start. Upcoming sessions follow the new times.');
    expect((await bot.app.deps.db.programme.findFirstOrThrow()).reminderOffsets).toBe('[2880,60,15]');
    expect(await bot.app.deps.db.auditEntry.count({ where: { action: 'sessions.reminders' } })).toBe(1);

    const pending = await bot.app.deps.db.outgoingMessage.findMany({ where: { sessionId: id, kind: 'session_reminder', status: 'pending' } });
    const offsets = [...new Set(pending.map((m) => Number(m.dedupeKey.split(':').at(-1))))].sort((a, b) => a - b);
    expect(offsets).toEqual([15, 60, 2880]);
    expect(pending).toHaveLength(9);
    const dropped = await bot.app.deps.db.outgoingMessage.count({ where: { sessionId: id, kind: 'session_reminder', status: 'dropped' } });
    expect(dropped).toBe(3);
  });
});
