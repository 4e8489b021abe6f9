import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const COORDINATOR = 900;
const adminEnv = { ADMIN_IDS: String(COORDINATOR) };
// 1 April 2026, 12:00 in Kyiv; the forum is on 28 April at 10:00 Kyiv time (07:00 UTC).
const NOW = '2026-04-01T09:00:00Z';
const STARTS_AT = new Date('2026-04-28T07:00:00Z');
const FORUM = '/newevent 28.04.2026 10:00 | 2 | Lviv, City Hall | Partnership forum';

/** Accepted mentors (as the review leaves them) and a mentee team with an active pair. Returns Telegram ids. */
async function seedPeople(db: Database, options: { mentors: number; firstMentorId?: number }) {
  const programme = await db.programme.findFirstOrThrow();
  const mentors: number[] = [];
  for (let i = 0; i < options.mentors; i++) {
    const telegramId = (options.firstMentorId ?? 1001) + i;
    const person = await db.person.create({ data: { telegramId: BigInt(telegramId), firstName: `Mentor${telegramId}`, language: 'en' } });
    const application = await db.formResponse.create({
      data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${person.id}`, status: 'submitted', submittedAt: new Date(NOW) },
    });
    await db.mentor.create({ data: { programmeId: programme.id, personId: person.id, applicationId: application.id, acceptedAt: new Date(NOW) } });
    mentors.push(telegramId);
  }
  const team = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', createdById: 1 } });
  const member = await db.person.create({ data: { telegramId: 2001n, firstName: 'Olena', language: 'uk' } });
  await db.teamMember.create({ data: { teamId: team.id, personId: member.id } });
  return { mentors, teamMember: 2001 };
}

const sentTo = (bot: TestBot, chatId: number) =>
  bot.api.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId && !c.error);
const textOf = (call: ApiCall) => (call.result as { text?: string } | undefined)?.text ?? '';

async function waitForMessage(bot: TestBot, chatId: number, pattern: RegExp): Promise<string> {
  const call = await bot.api.waitFor(() => sentTo(bot, chatId).find((c) => pattern.test(textOf(c))), 20_000);
  return textOf(call);
}

/** The coordinator announces the forum to the mentors; returns the event id once everyone has the invitation. */
async function announceToMentors(bot: TestBot, mentors: number[], command = FORUM): Promise<{ coordinator: TelegramUser; eventId: number }> {
  const coordinator = bot.user({ id: COORDINATOR });
  await coordinator.send('/start');
  const preview = await coordinator.send(command);
  expect(preview.text).toContain('Who is invited?');
  await coordinator.press(/^Accepted mentors/);
  const event = await bot.app.deps.db.programmeEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
  for (const id of mentors) await waitForMessage(bot, id, /Press Register/);
  return { coordinator, eventId: event.id };
}

describe('programme events', () => {
  it('are announced by a coordinator in one message, with a choice of who is invited', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const people = await seedPeople(bot.app.deps.db, { mentors: 3 });
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');

    const usage = await coordinator.send('/newevent');
    expect(usage.text).toContain('/newevent 28.04.2026 10:00 | 25 | Lviv, City Hall | Partnership forum');
    expect(usage.text).toContain("The time is in the programme's time zone (Kyiv time).");
    expect((await coordinator.send('/newevent 31.04.2026 10:00 | 25 | Lviv | Forum')).text).toContain('I could not read the date and time “31.04.2026 10:00”');
    expect((await coordinator.send('/newevent 01.03.2026 10:00 | 25 | Lviv | Forum')).text).toContain('has already passed');
    expect((await coordinator.send('/newevent 28.04.2026 10:00 | many | Lviv | Forum')).text).toContain(
      'The number of places must be a whole number from 1 to 10000, but I got “many”.',
    );
    expect((await coordinator.send('/newevent 28.04.2026 10:00 | 25 | Lviv')).text).toContain('<b>New programme event</b>');
    expect(await bot.app.deps.db.programmeEvent.count()).toBe(0);

    const preview = await coordinator.send('/newevent 28.04.2026 10:00 | 25 | Lviv, City Hall | Partnership <forum> & lunch');
    expect(preview.text).toContain('Partnership &lt;forum&gt; &amp; lunch');
    expect(preview.text).toContain('28.04.2026 10:00');
    expect(coordinator.buttons()).toEqual([
      'Accepted mentors (3)',
      'Mentee teams (1)',
      'Active pairs (0)',
      'Everyone in the programme (4)',
      "Don't announce",
    ]);
    expect((await coordinator.press('Active pairs (0)')).callbackAnswer).toBe('There is nobody in this group yet.');

    const announced = await coordinator.press('Accepted mentors (3)');
    expect(announced.text).toContain('The invitation is going to 3 people (Accepted mentors).');
    for (const id of people.mentors) {
      const invitation = await waitForMessage(bot, id, /Partnership <forum> & lunch/);
      expect(invitation).toContain('Places: 25');
      expect(bot.user({ id }).buttons()).toEqual(['Register']);
    }
    expect(sentTo(bot, people.teamMember).filter((c) => /Partnership/.test(textOf(c)))).toHaveLength(0);

    // Pressing another audience on the old preview announces nothing more.
    const again = await coordinator.pressData(`ev|aud|${(await bot.app.deps.db.programmeEvent.findFirstOrThrow()).id}|everyone`);
    expect(again.callbackAnswer).toBe('This event has already been announced.');
    expect(await bot.app.deps.db.outgoingMessage.count({ where: { kind: 'event_announcement' } })).toBe(3);
    expect(await bot.app.deps.db.auditEntry.count({ where: { action: { in: ['event.create', 'event.announce'] } } })).toBe(2);

    // A draft that is not announced goes nowhere.
    await coordinator.send('/newevent 29.04.2026 10:00 | 10 | Lviv | Ideas residence');
    expect((await coordinator.press("Don't announce")).text).toBe('The event was not announced.');
    expect((await coordinator.send('/events')).text).not.toContain('Ideas residence');
  });

  it('gives places in order, keeps a waitlist, moves the first waiting person up on a cancellation, and reminds registered people only', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { mentors } = await seedPeople(bot.app.deps.db, { mentors: 4 });
    const { coordinator, eventId } = await announceToMentors(bot, mentors);
    const [anna, bohdan, chrystia, dmytro] = mentors.map((id) => bot.user({ id }));

    expect((await anna!.press('Register')).text).toContain('✅ You are registered for <b>Partnership forum</b>, 28.04.2026 10:00 (Kyiv time), Lviv, City Hall.');
    expect((await anna!.press('Register')).callbackAnswer).toBe('You are already registered for this event.');
    expect((await bohdan!.press('Register')).text).toContain('You are registered');
    expect((await chrystia!.press('Register')).text).toContain('you are on the waitlist: number 1');
    expect((await dmytro!.press('Register')).text).toContain('you are on the waitlist: number 2');

    const annasList = await anna!.send('/events');
    expect(annasList.text).toContain('Partnership forum');
    expect(annasList.text).toContain('All 2 places are taken; waitlist: 2');
    expect(annasList.text).toContain('✅ You are registered.');
    expect(anna!.buttons()).toEqual(['Cancel: Partnership forum']);
    expect((await dmytro!.send('/events')).text).toContain('⏳ You are on the waitlist: number 2.');

    // Reminders are queued for the two people with a place, at 24 hours and 1 hour before.
    const { db } = bot.app.deps;
    const reminders = async () =>
      (await db.outgoingMessage.findMany({ where: { kind: 'event_reminder', eventId }, orderBy: { id: 'asc' } })).map((r) => ({
        chat: Number(r.chatId),
        key: r.dedupeKey,
        status: r.status,
        dueAt: r.dueAt.toISOString(),
      }));
    const annaPerson = await db.person.findUniqueOrThrow({ where: { telegramId: BigInt(mentors[0]!) } });
    expect(await reminders()).toEqual([
      { chat: mentors[0], key: `event-reminder:${eventId}:${annaPerson.id}:1440`, status: 'pending', dueAt: '2026-04-27T07:00:00.000Z' },
      { chat: mentors[0], key: `event-reminder:${eventId}:${annaPerson.id}:60`, status: 'pending', dueAt: '2026-04-28T06:00:00.000Z' },
      expect.objectContaining({ chat: mentors[1], status: 'pending' }),
      expect.objectContaining({ chat: mentors[1], status: 'pending' }),
    ]);

    // The coordinator sees who has a place and who waits.
    await coordinator.send('/events');
    const list = await coordinator.press('👥 Registrations: Partnership forum');
    expect(list.text).toContain('Registered: 2 of 2\n1. Person 1001\n2. Person 1002');
    expect(list.text).toContain('Waitlist (2):\n1. Person 1003\n2. Person 1004');

    // Anna cancels: Chrystia, first on the waitlist, gets the place and is told; Dmytro moves to number 1.
    const cancelled = await anna!.press('Cancel: Partnership forum');
    expect(cancelled.text).toContain('Your registration for <b>Partnership forum</b> is cancelled.');
    const promoted = await waitForMessage(bot, mentors[2]!, /A place has opened up/);
    expect(promoted).toContain('you are now registered for Partnership forum, 28.04.2026 10:00 (Kyiv time), Lviv, City Hall.');
    expect((await dmytro!.send('/events')).text).toContain('⏳ You are on the waitlist: number 1.');
    expect(sentTo(bot, mentors[3]!).filter((c) => /A place has opened up/.test(textOf(c)))).toHaveLength(0);
    expect((await anna!.pressData(`ev|cancel|${eventId}`)).callbackAnswer).toBe('You are not registered for this event.');

    const after = await reminders();
    expect(after.filter((r) => r.chat === mentors[0]).map((r) => r.status)).toEqual(['dropped', 'dropped']);
    expect(after.filter((r) => r.chat === mentors[2]).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(after.filter((r) => r.chat === mentors[3])).toEqual([]);

    const listAfter = await coordinator.pressCallback(`ev|list|${eventId}`);
    expect(listAfter.text).toContain('1. Person 1002\n2. Person 1003 (moved up from the waitlist)');
    expect(listAfter.text).toContain('Waitlist (1):\n1. Person 1004');
    expect(listAfter.text).toContain('Cancelled: 1');

    // A day before, the reminder reaches the people with a place, and nobody else.
    clock.set('2026-04-27T07:00:30Z');
    for (const id of [mentors[1]!, mentors[2]!]) expect(await waitForMessage(bot, id, /Reminder/)).toContain('Partnership forum starts 28.04.2026 10:00');
    await bot.api.settle(600);
    for (const id of [mentors[0]!, mentors[3]!]) expect(sentTo(bot, id).filter((c) => /Reminder/.test(textOf(c)))).toHaveLength(0);

    // Once it has started, nobody registers or cancels any more.
    clock.set(STARTS_AT);
    expect((await dmytro!.pressData(`ev|reg|${eventId}`)).callbackAnswer).toBe('This event has already started.');
    expect((await bohdan!.pressData(`ev|cancel|${eventId}`)).callbackAnswer).toBe('This event has already started.');
  });

  it('can be cancelled by a coordinator: everyone with a place or waiting is told once, and nothing more goes out about it', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { mentors } = await seedPeople(bot.app.deps.db, { mentors: 3 });
    const { coordinator, eventId } = await announceToMentors(bot, mentors);
    const [anna, bohdan, chrystia] = mentors.map((id) => bot.user({ id }));
    for (const person of [anna!, bohdan!, chrystia!]) await person.press('Register');
    const { db } = bot.app.deps;
    expect(await db.outgoingMessage.count({ where: { kind: 'event_reminder', eventId, status: 'pending' } })).toBe(4);

    // Only a coordinator can, and only after saying yes.
    expect((await anna!.pressData(`ev|endok|${eventId}`)).callbackAnswer).toBe("This is for the programme's coordinators only.");
    await coordinator.send('/events');
    await coordinator.press('👥 Registrations: Partnership forum');
    const asked = await coordinator.press('Cancel the event');
    expect(asked.text).toContain('Cancel <b>Partnership forum</b>, 28.04.2026 10:00 (Kyiv time)? The 3 people registered or waiting will be told');
    expect((await coordinator.press('No, keep it')).text).toBe('The event stays as it is.');
    expect((await db.programmeEvent.findUniqueOrThrow({ where: { id: eventId } })).cancelledAt).toBeNull();

    await coordinator.pressCallback(`ev|end|${eventId}`);
    const done = await coordinator.press('Yes, cancel it');
    expect(done.text).toBe('<b>Partnership forum</b> is cancelled. People told: 3.');
    for (const id of mentors) expect(await waitForMessage(bot, id, /is cancelled/)).toContain('Partnership forum, 28.04.2026 10:00 (Kyiv time), Lviv, City Hall, is cancelled');
    expect(await db.outgoingMessage.count({ where: { eventId, status: 'pending' } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: 'event.cancel' } })).toBe(1);

    // The old buttons say so; a second yes tells nobody again; no reminder comes on the day.
    expect((await anna!.pressData(`ev|reg|${eventId}`)).callbackAnswer).toBe('This event no longer exists.');
    expect((await coordinator.pressData(`ev|endok|${eventId}`)).callbackAnswer).toBe('This event no longer exists.');
    expect((await coordinator.send('/events')).text).toBe('There are no upcoming events. Announce one with /newevent.');
    clock.set('2026-04-27T07:00:30Z');
    await bot.api.settle(600);
    for (const id of mentors) {
      expect(sentTo(bot, id).filter((c) => /is cancelled/.test(textOf(c)))).toHaveLength(1);
      expect(sentTo(bot, id).filter((c) => /Reminder/.test(textOf(c)))).toHaveLength(0);
    }
  });

  it('brings a cancelled person’s reminders back when they register again and get a place', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { mentors } = await seedPeople(bot.app.deps.db, { mentors: 1 });
    const { eventId } = await announceToMentors(bot, mentors);
    const anna = bot.user({ id: mentors[0]! });
    await anna.press('Register');
    await anna.press('Cancel my registration');
    const back = await anna.press('Register');
    expect(back.text).toContain('You are registered');
    const rows = await bot.app.deps.db.outgoingMessage.findMany({ where: { kind: 'event_reminder', eventId } });
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending']);
  });

  it('answers people who are not invited, forged and stale buttons clearly, and refuses coordinator actions to others', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { mentors, teamMember } = await seedPeople(bot.app.deps.db, { mentors: 2 });
    const { eventId } = await announceToMentors(bot, mentors);
    const { db } = bot.app.deps;

    const olena = bot.user({ id: teamMember, language_code: 'en' });
    expect((await olena.send('/events')).text).toBe('There are no upcoming events for you right now.');
    expect((await olena.pressData(`ev|reg|${eventId}`)).callbackAnswer).toBe('This event is not open to you.');
    expect((await olena.pressData('ev|reg|99999')).callbackAnswer).toBe('This event no longer exists.');
    expect((await olena.pressData('ev|reg|abc')).callbackAnswer).toBe('This button is no longer active.');
    expect((await olena.pressData(`ev|reg|${eventId}|extra`)).callbackAnswer).toBe('This button is no longer active.');
    expect((await olena.pressData('ev|nonsense')).callbackAnswer).toBe('This button is no longer active.');

    // Every coordinator command and button is refused to a mentor, and nothing changes.
    const mentor = bot.user({ id: mentors[0]!, language_code: 'en' });
    const refused = "This is for the programme's coordinators only.";
    expect((await mentor.send(FORUM)).text).toBe(refused);
    await mentor.send('/newevent 28.04.2026 10:00 | 5 | Lviv | Mine');
    expect(await db.programmeEvent.count()).toBe(1);
    const draft = await db.programmeEvent.create({
      data: { programmeId: (await db.programme.findFirstOrThrow()).id, title: 'Draft', startsAt: STARTS_AT, place: 'Lviv', capacity: 5, audience: '', createdById: 1 },
    });
    for (const data of [`ev|aud|${draft.id}|everyone`, `ev|drop|${draft.id}`, `ev|list|${eventId}`, 'ev|aud|x|y']) {
      expect((await mentor.pressData(data)).callbackAnswer, data).toBe(refused);
    }
    expect(await db.programmeEvent.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ audience: '', cancelledAt: null });
    expect(await db.outgoingMessage.count({ where: { eventId: draft.id } })).toBe(0);

    // A coordinator's own forged or stale presses get a clear answer too.
    const coordinator = bot.user({ id: COORDINATOR });
    expect((await coordinator.pressData(`ev|aud|${draft.id}|applicants`)).callbackAnswer).toBe('This button is no longer active.');
    expect((await coordinator.pressData('ev|list|99999')).callbackAnswer).toBe('This event no longer exists.');
    expect((await coordinator.pressData(`ev|drop|${eventId}`)).callbackAnswer).toBe('This event has already been announced.');
    expect((await mentor.pressData(`ev|reg|${draft.id}`)).callbackAnswer).toBe('This event no longer exists.');
  });
});

const databases: Array<[string, () => Promise<string | undefined>]> = [
  ['SQLite', async () => undefined],
  ...(testDatabaseUrl ? ([['PostgreSQL', () => createTestDatabase()]] as Array<[string, () => Promise<string | undefined>]>) : []),
];

describe.each(databases)('registration under load (%s)', (_name, database) => {
  it('gives exactly 10 places to 30 people pressing Register at once and puts the other 20 on the waitlist in order', async () => {
    const clock = new TestClock(new Date(NOW));
    const databaseUrl = await database();
    const bot = await startTestBot({ env: adminEnv, clock, ...(databaseUrl ? { databaseUrl } : {}) });
    const { mentors } = await seedPeople(bot.app.deps.db, { mentors: 30 });
    const { eventId } = await announceToMentors(bot, mentors, '/newevent 28.04.2026 10:00 | 10 | Gdańsk | Leadership training');
    const users = mentors.map((id) => bot.user({ id }));

    const replies = await Promise.all(users.map((user) => user.press('Register')));

    const { db } = bot.app.deps;
    const rows = await db.eventRegistration.findMany({ where: { eventId }, orderBy: [{ registeredAt: 'asc' }, { id: 'asc' }] });
    expect(rows.filter((r) => r.status === 'registered')).toHaveLength(10);
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    expect(waiting).toHaveLength(20);
    // Places went to the first ten to be handled, and the line is in the order people came.
    expect(rows.slice(0, 10).every((r) => r.status === 'registered')).toBe(true);

    // Each person was told where they stand, and the waitlist numbers are 1 to 20 in the waitlist's order.
    const byPerson = new Map((await db.person.findMany()).map((p) => [p.id, Number(p.telegramId)]));
    const told = new Map(users.map((u, i) => [u.id, replies[i]!.text]));
    for (const row of rows.filter((r) => r.status === 'registered')) expect(told.get(byPerson.get(row.personId)!)).toContain('You are registered');
    waiting.forEach((row, i) => expect(told.get(byPerson.get(row.personId)!)).toContain(`you are on the waitlist: number ${i + 1}.`));

    const reminderChats = (await db.outgoingMessage.findMany({ where: { kind: 'event_reminder', eventId } })).map((r) => r.personId);
    expect(reminderChats).toHaveLength(20);
    expect(new Set(reminderChats)).toEqual(new Set(rows.filter((r) => r.status === 'registered').map((r) => r.personId)));

    // Two people with a place cancel at once: the first two on the waitlist move up, in order.
    const holders = rows.filter((r) => r.status === 'registered').slice(0, 2).map((r) => bot.user({ id: byPerson.get(r.personId)! }));
    await Promise.all(holders.map((h) => h.pressData(`ev|cancel|${eventId}`)));
    const next = await db.eventRegistration.findMany({ where: { eventId, status: 'registered' } });
    expect(next).toHaveLength(10);
    expect(new Set(next.map((r) => r.id))).toEqual(
      new Set([...rows.filter((r) => r.status === 'registered').slice(2), ...waiting.slice(0, 2)].map((r) => r.id)),
    );
    for (const row of waiting.slice(0, 2)) await waitForMessage(bot, byPerson.get(row.personId)!, /A place has opened up/);
  });
});
