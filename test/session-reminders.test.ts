import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { sessionJobs } from '../src/jobs/session-jobs.js';
import { sendDueMessages } from '../src/outbox/sender.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const MENTOR = 1001;
const OLENA = 2001; // speaks Ukrainian
const PIOTR = 2002; // speaks Polish
const EVERYONE = [MENTOR, OLENA, PIOTR];
const env = { ADMIN_IDS: '900' };

// The session: 05.03.2026 14:00 in Kyiv (UTC+2) is 12:00 UTC.
const START = new Date('2026-03-05T12:00:00Z');
const DAY_BEFORE = new Date('2026-03-04T12:00:00Z');
const HOUR_BEFORE = new Date('2026-03-05T11:00:00Z');
const MINUTE = 60_000;

async function seedPair(db: Database) {
  const programme = await db.programme.findFirstOrThrow();
  const person = (telegramId: number, firstName: string, language: string) =>
    db.person.create({ data: { telegramId: BigInt(telegramId), firstName, language } });
  const anna = await person(MENTOR, 'Anna', 'en');
  const application = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${anna.id}`, status: 'submitted', submittedAt: new Date() },
  });
  const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: anna.id, applicationId: application.id, acceptedAt: new Date() } });
  const team = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
  for (const [id, name, language] of [
    [OLENA, 'Olena', 'uk'],
    [PIOTR, 'Piotr', 'pl'],
  ] as const) {
    const p = await person(id, name, language);
    await db.teamMember.create({ data: { teamId: team.id, personId: p.id } });
  }
  await db.pair.create({ data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, createdById: 1, publishedAt: new Date() } });
}

const mentorOf = (bot: TestBot) => bot.user({ id: MENTOR, first_name: 'Anna', language_code: 'en' });

async function schedule(bot: TestBot, options: { kind?: string; time?: string } = {}): Promise<number> {
  const mentor = mentorOf(bot);
  await mentor.send('/schedule');
  await mentor.press(options.kind ?? 'Online meeting');
  await mentor.send(options.time ?? '05.03.2026 14:00');
  await mentor.press('60 min');
  await mentor.send('https://meet.example.org/bucha');
  await mentor.press('Skip');
  await mentor.press('Send invitations');
  const id = (await bot.app.deps.db.session.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
  // The invitations go out at once.
  await bot.api.waitFor(() => EVERYONE.every((chat) => sent(bot, 'sendDocument', chat).length > 0), 15_000);
  return id;
}

const sent = (bot: TestBot, method: string, chat: number) =>
  bot.api.calls.filter((c) => c.method === method && !c.error && Number(c.payload.chat_id) === chat);
const textOf = (call: ApiCall) => {
  const result = call.result as { text?: string; caption?: string } | undefined;
  return result?.text ?? result?.caption ?? '';
};
/** Reminder texts each person received, in order. */
const remindersTo = (bot: TestBot, chat: number) => sent(bot, 'sendMessage', chat).map(textOf).filter((t) => t.startsWith('⏰'));
const allReminders = (bot: TestBot) => EVERYONE.flatMap((chat) => remindersTo(bot, chat));

/** One pass of the outbox at the test clock's time, as the running sender would do it. */
async function outboxPass(bot: TestBot) {
  return sendDueMessages(bot.app.deps, new Api(bot.api.token, { apiRoot: bot.api.apiRoot }), 'test-pass');
}

async function waitForReminders(bot: TestBot, perPerson: number) {
  await bot.api.waitFor(() => EVERYONE.every((chat) => remindersTo(bot, chat).length >= perPerson), 15_000);
}

describe('session reminders', () => {
  it('go out a day and an hour before, to everyone, in their own language and time', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPair(bot.app.deps.db);
    const id = await schedule(bot);

    const planned = await bot.app.deps.db.outgoingMessage.findMany({ where: { sessionId: id, kind: 'session_reminder' }, orderBy: { id: 'asc' } });
    expect(planned).toHaveLength(6);
    expect(new Set(planned.map((m) => m.dueAt.toISOString()))).toEqual(new Set([DAY_BEFORE.toISOString(), HOUR_BEFORE.toISOString()]));
    expect(planned.every((m) => m.expiresAt?.getTime() === START.getTime())).toBe(true);
    expect(planned.map((m) => m.dedupeKey)).toContain(`reminder:${id}:0:${planned[0]!.personId}:1440`);

    // A minute before the day-before moment nothing is due.
    clock.set(new Date(DAY_BEFORE.getTime() - MINUTE));
    expect((await outboxPass(bot)).sent).toBe(0);
    expect(allReminders(bot)).toEqual([]);

    clock.set(DAY_BEFORE);
    await waitForReminders(bot, 1);
    expect(remindersTo(bot, MENTOR)).toEqual([
      '⏰ Reminder: Online meeting on 05.03.2026 14:00 (Kyiv time) (60 min)\nMentor: Anna · Team: Bucha\nPlace: https://meet.example.org/bucha',
    ]);
    expect(remindersTo(bot, OLENA)[0]).toBe(
      '⏰ Нагадування: Онлайн-зустріч 05.03.2026 14:00 (за київським часом) (60 хв)\nМентор: Anna · Команда: Bucha\nМісце: https://meet.example.org/bucha',
    );
    expect(remindersTo(bot, PIOTR)[0]).toContain('⏰ Przypomnienie: Spotkanie online 05.03.2026 14:00 (czasu kijowskiego; 13:00 czasu warszawskiego) (60 min)');

    clock.set(new Date(HOUR_BEFORE.getTime() - MINUTE));
    expect((await outboxPass(bot)).sent).toBe(0);
    expect(allReminders(bot)).toHaveLength(3);

    clock.set(HOUR_BEFORE);
    await waitForReminders(bot, 2);
    expect(allReminders(bot)).toHaveLength(6);
    const statuses = async () =>
      (await bot.app.deps.db.outgoingMessage.findMany({ where: { sessionId: id, kind: 'session_reminder' } })).map((m) => m.status);
    await expect.poll(statuses).toEqual(Array(6).fill('sent'));
  });

  it('still go out after a restart between scheduling and the due time', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPair(bot.app.deps.db);
    await schedule(bot);

    await bot.stop();
    clock.set(new Date(DAY_BEFORE.getTime() + MINUTE));
    const restarted = await bot.restart();
    await waitForReminders(restarted, 1);
    expect(remindersTo(restarted, OLENA)).toHaveLength(1);
    expect(remindersTo(restarted, PIOTR)[0]).toContain('Przypomnienie');
  });

  it('go out late when the bot was down at the due time, and are dropped once the session has started', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPair(bot.app.deps.db);
    const id = await schedule(bot);

    // Down at the day-before moment, back two hours later: sent late, still before the start.
    await bot.stop();
    clock.set(new Date(DAY_BEFORE.getTime() + 2 * 60 * MINUTE));
    const back = await bot.restart();
    await waitForReminders(back, 1);
    expect(allReminders(back)).toHaveLength(3);
    expect(remindersTo(back, MENTOR)[0]).toContain('05.03.2026 14:00 (Kyiv time)');

    // Down at the hour-before moment, back after the start: dropped, never sent.
    await back.stop();
    clock.set(new Date(START.getTime() + 10 * MINUTE));
    const late = await back.restart();
    await outboxPass(late);
    const hourBefore = await late.app.deps.db.outgoingMessage.findMany({
      where: { sessionId: id, kind: 'session_reminder', dedupeKey: { endsWith: ':60' } },
    });
    expect(hourBefore.map((m) => m.status)).toEqual(['dropped', 'dropped', 'dropped']);
    expect(allReminders(late)).toHaveLength(3);
    expect(late.logs.some((line) => line.includes('outgoing message expired: dropped'))).toBe(true);
  });

  it('follow the new time when a session is rescheduled: old ones dropped, new ones sent', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPair(bot.app.deps.db);
    const id = await schedule(bot);
    const mentor = mentorOf(bot);
    const olena = bot.user({ id: OLENA, first_name: 'Olena', language_code: 'uk' });

    await mentor.send('/sessions');
    const asked = await mentor.press('Reschedule');
    expect(asked.texts.join()).toContain('The session now starts 05.03.2026 14:00. Send the new date and time in the programme’s time zone (Kyiv time)');
    const past = await mentor.send('01.03.2026 09:00');
    expect(past.texts.join()).toContain('has already passed');
    const moved = await mentor.send('06.03.2026 16:00');
    expect(moved.texts.join()).toContain('Moved to 06.03.2026 16:00 (Kyiv time).');

    const session = await bot.app.deps.db.session.findUniqueOrThrow({ where: { id } });
    expect(session).toMatchObject({ startsAt: new Date('2026-03-06T14:00:00Z'), sequence: 1, status: 'scheduled' });
    const old = await bot.app.deps.db.outgoingMessage.findMany({ where: { sessionId: id, kind: 'session_reminder', dedupeKey: { startsWith: `reminder:${id}:0:` } } });
    expect(old).toHaveLength(6);
    expect(old.every((m) => m.status === 'dropped')).toBe(true);

    // Everyone gets the new time with an updated calendar file.
    await bot.api.waitFor(() => EVERYONE.every((chat) => sent(bot, 'sendDocument', chat).length >= 2), 15_000);
    const update = sent(bot, 'sendDocument', OLENA)[1]!;
    expect(textOf(update)).toContain('Зустріч перенесено');
    const lines = update.files.document!.content.toString('utf8').replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines).toContain('DTSTART:20260306T140000Z');
    expect(lines).toContain('SEQUENCE:1');
    expect(lines).toContain(`UID:session-${id}@citymentor`);

    // The old invitation's buttons no longer answer for the new time.
    const stale = await olena.pressData(`ss|rsvp|${id}|0|yes`);
    expect(stale.callbackAnswer).toBe(
      'Це запрошення замінено новішим: тепер зустріч починається 06.03.2026 16:00 (за київським часом). Відповідайте, будь ласка, на найновіше запрошення.',
    );

    // Nothing at the old reminder times...
    clock.set(DAY_BEFORE);
    expect((await outboxPass(bot)).sent).toBe(0);
    clock.set(HOUR_BEFORE);
    expect((await outboxPass(bot)).sent).toBe(0);
    expect(allReminders(bot)).toEqual([]);

    // ...and reminders for the new one.
    clock.set(new Date('2026-03-05T14:00:00Z'));
    await waitForReminders(bot, 1);
    expect(remindersTo(bot, MENTOR)[0]).toContain('Online meeting on 06.03.2026 16:00 (Kyiv time)');
    expect(remindersTo(bot, OLENA)[0]).toContain('06.03.2026 16:00 (за київським часом)');
    expect(allReminders(bot)).toHaveLength(3);
  });
});

describe('after a session', () => {
  it('asks the mentor once whether it took place, and logs it as mentoring time in one tap', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedPair(bot.app.deps.db);
    const online = await schedule(bot);
    const visit = await schedule(bot, { kind: 'Visit', time: '07.03.2026 10:00' });
    const mentor = mentorOf(bot);
    const olena = bot.user({ id: OLENA, first_name: 'Olena', language_code: 'uk' });
    const [job] = sessionJobs(bot.app.deps, new Api(bot.api.token, { apiRoot: bot.api.apiRoot }));
    expect(job!.schedule).toBe('*/5 * * * *');
    const followUps = () => sent(bot, 'sendMessage', MENTOR).map(textOf).filter((t) => t.includes('Did it take place?'));

    // Not before the end: pressing a forged button early changes nothing.
    expect((await mentor.pressData(`ss|log|${online}|h`)).callbackAnswer).toBe('This session has not ended yet.');

    clock.set('2026-03-05T13:05:00Z'); // the online session (12:00–13:00 UTC) has ended
    await job!.run();
    await job!.run(); // a second tick, or a second instance, queues nothing more
    await bot.api.waitFor(() => followUps().length >= 1, 15_000);
    expect(followUps()).toEqual([
      'The session on 05.03.2026 14:00 (Kyiv time) with Bucha (Online meeting) has ended. Did it take place? You can log it as mentoring time in one tap.',
    ]);
    expect(await bot.app.deps.db.outgoingMessage.count({ where: { kind: 'session_followup' } })).toBe(1);
    expect(mentor.buttons()).toEqual(['Yes, log half a day', 'Yes, log a whole day', 'It did not take place']);

    // Only the mentor can record it.
    expect((await olena.pressData(`ss|log|${online}|d`)).callbackAnswer).toBe('Зафіксувати цю зустріч може лише ментор пари.');

    const logged = await mentor.press('Yes, log half a day');
    expect(mentor.lastBotText()).toBe('Logged: half a day of mentoring time on 05.03.2026 for the session with Bucha. Thank you!');
    expect(logged.callbackAnswer).toBe('');
    const logs = await bot.app.deps.db.mentoringLog.findMany();
    const pair = await bot.app.deps.db.pair.findFirstOrThrow();
    const anna = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(MENTOR) } });
    expect(logs).toEqual([
      expect.objectContaining({ pairId: pair.id, mentorPersonId: anna.id, date: '2026-03-05', amount: 0.5, activity: 'online_session', sessionId: online }),
    ]);
    expect((await bot.app.deps.db.session.findUniqueOrThrow({ where: { id: online } })).status).toBe('held');
    // A second tap (or the old button) logs nothing more.
    expect((await mentor.pressData(`ss|log|${online}|d`)).callbackAnswer).toBe('This session has already been recorded.');
    expect(await bot.app.deps.db.mentoringLog.count()).toBe(1);

    clock.set('2026-03-07T09:30:00Z'); // the visit (08:00–09:00 UTC) has ended
    await job!.run();
    await bot.api.waitFor(() => followUps().length >= 2, 15_000);
    await mentor.press('It did not take place');
    expect(mentor.lastBotText()).toBe('Noted: the session on 07.03.2026 10:00 (Kyiv time) with Bucha did not take place. Nothing was logged.');
    expect((await bot.app.deps.db.session.findUniqueOrThrow({ where: { id: visit } })).status).toBe('not_held');
    expect(await bot.app.deps.db.mentoringLog.count()).toBe(1);
    expect((await mentor.pressData(`ss|log|${visit}|d`)).callbackAnswer).toBe('This session has already been recorded.');
  });
});

describe.skipIf(!testDatabaseUrl)('session reminders on PostgreSQL', () => {
  it('are sent once each when two instances share the database', async () => {
    const databaseUrl = await createTestDatabase();
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const first = await startTestBot({ env, clock, databaseUrl });
    await seedPair(first.app.deps.db);
    const id = await schedule(first);
    const second = await startTestBot({ env, clock, databaseUrl, api: first.api });

    clock.set(DAY_BEFORE);
    await waitForReminders(first, 1);
    const statuses = async () =>
      (await second.app.deps.db.outgoingMessage.findMany({ where: { sessionId: id, kind: 'session_reminder', dedupeKey: { endsWith: ':1440' } } })).map(
        (m) => m.status,
      );
    await expect.poll(statuses).toEqual(['sent', 'sent', 'sent']);
    for (const chat of EVERYONE) expect(remindersTo(first, chat), `chat ${chat}`).toHaveLength(1);
  });
});
