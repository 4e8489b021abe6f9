import { describe, expect, it } from 'vitest';
import { BUCHA_MEMBERS, deliveredTexts, flushOutbox, IRPIN_MEMBER, jobsOf, MENTOR_ANNA, MENTOR_JAN, seedPairs } from './support/progress-seed.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const env = { ADMIN_IDS: String(COORDINATOR) };
const DAY = 24 * 60 * 60 * 1000;

const nudgesTo = (texts: string[]) => texts.filter((t) => t.includes('no mentoring days are logged'));

describe('the first-of-month nudge to log mentoring days', () => {
  it('reminds, once, only the mentors who logged nothing last month — also after a restart at 11:00', async () => {
    // 1 March 2026, 09:30 in Kyiv: not yet.
    const clock = new TestClock(new Date('2026-03-01T07:30:00Z'));
    let bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    const db = bot.app.deps.db;
    // Anna logged a day in February (with a private note); Jan only in January.
    await db.mentoringLog.create({ data: { pairId: seeded.buchaPairId, mentorPersonId: seeded.anna.person.id, date: '2026-02-12', amount: 1, activity: 'online_session', note: 'private' } });
    await db.mentoringLog.create({ data: { pairId: seeded.irpinPairId, mentorPersonId: seeded.jan.person.id, date: '2026-01-20', amount: 1, activity: 'visit' } });

    await jobsOf(bot).run('monthly-nudge');
    await flushOutbox(bot);
    expect(nudgesTo(deliveredTexts(bot, MENTOR_JAN))).toEqual([]);

    // 10:00 passed while the bot was down; it comes back at 11:00.
    clock.set('2026-03-01T09:00:00Z');
    bot = await bot.restart({ env, clock });
    const first = jobsOf(bot);
    const second = jobsOf(bot); // another instance on the same database
    await Promise.all([first.run('monthly-nudge'), second.run('monthly-nudge')]);
    await bot.api.waitFor(() => nudgesTo(deliveredTexts(bot, MENTOR_JAN)).length > 0, 10_000);
    await flushOutbox(bot);

    expect(nudgesTo(deliveredTexts(bot, MENTOR_JAN))).toEqual([
      'Hello, Jan! A gentle reminder: no mentoring days are logged for February 2026 yet (Irpin). If you worked with your team, please log the days with /log — it takes a minute and helps the coordinators follow the programme. Thank you!',
    ]);
    expect(nudgesTo(deliveredTexts(bot, MENTOR_ANNA))).toEqual([]);
    for (const member of [...BUCHA_MEMBERS, IRPIN_MEMBER]) expect(nudgesTo(deliveredTexts(bot, member))).toEqual([]);

    // Later runs that day, and after another restart, send nothing more.
    clock.set('2026-03-01T12:00:00Z');
    await first.run('monthly-nudge');
    bot = await bot.restart({ env, clock });
    await jobsOf(bot).run('monthly-nudge');
    await flushOutbox(bot);
    expect(nudgesTo(deliveredTexts(bot, MENTOR_JAN))).toHaveLength(1);
    expect(await bot.app.deps.db.jobRun.findMany({ where: { key: { startsWith: 'monthly-nudge:' } } })).toMatchObject([{ key: 'monthly-nudge:2026-02' }]);
  });
});

describe('quiet pairs', () => {
  it('nudges both sides after 30 days without a session or a log, and alerts the coordinator 7 days later', async () => {
    // Pairs made on 1 April 2026 at 11:00 Kyiv time.
    const start = new Date('2026-04-01T08:00:00Z');
    const clock = new TestClock(start);
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: start });
    const db = bot.app.deps.db;
    await bot.user({ id: COORDINATOR }).send('/start');
    // Irpin meets regularly: a session 10 days before each check keeps it active.
    const session = (at: Date) =>
      db.session.create({ data: { programmeId: seeded.programmeId, pairId: seeded.irpinPairId, kind: 'online', startsAt: at, organiserId: seeded.jan.person.id, status: 'held' } });
    const { run } = jobsOf(bot);
    const quiet = (chat: number) => deliveredTexts(bot, chat).filter((t) => t.includes('days since'));

    clock.set(new Date(start.getTime() + 29 * DAY));
    await session(new Date(start.getTime() + 20 * DAY));
    await run('inactivity');
    await flushOutbox(bot);
    expect(quiet(MENTOR_ANNA)).toEqual([]);

    clock.set(new Date(start.getTime() + 30 * DAY));
    await run('inactivity');
    await bot.api.waitFor(() => deliveredTexts(bot, BUCHA_MEMBERS[1]).length > 0, 10_000);
    await run('inactivity');
    await flushOutbox(bot);
    expect(quiet(MENTOR_ANNA)).toEqual([
      'Hello! It has been 30 days since the last session or logged mentoring time with Bucha. How is it going? Plan the next meeting with /schedule, or log your recent work with /log.',
    ]);
    expect(quiet(BUCHA_MEMBERS[0])).toEqual([
      'Hello! It has been 30 days since your last session with your mentor, Anna Kowalska. Perhaps it is time to plan the next meeting? See /sessions, or simply write to your mentor.',
    ]);
    expect(deliveredTexts(bot, BUCHA_MEMBERS[1])).toEqual([
      'Вітаємо! Від вашої останньої зустрічі з ментором (Anna Kowalska) минуло вже 30 дн. Можливо, час запланувати наступну? Перегляньте /sessions або просто напишіть ментору.',
    ]);
    expect(quiet(MENTOR_JAN)).toEqual([]);
    expect(quiet(IRPIN_MEMBER)).toEqual([]);
    expect((await db.pair.findUniqueOrThrow({ where: { id: seeded.buchaPairId } })).nudgedAt).toEqual(new Date(start.getTime() + 30 * DAY));

    // Six days after the nudge: still only the nudge.
    clock.set(new Date(start.getTime() + 36 * DAY));
    await run('inactivity');
    await flushOutbox(bot);
    const alerts = () => deliveredTexts(bot, COORDINATOR).filter((t) => t.includes('has had no session'));
    expect(alerts()).toEqual([]);

    clock.set(new Date(start.getTime() + 37 * DAY));
    await session(new Date(start.getTime() + 36 * DAY));
    await run('inactivity');
    await bot.api.waitFor(() => alerts().length > 0, 10_000);
    await run('inactivity');
    await flushOutbox(bot);
    expect(alerts()).toEqual([
      '⚠️ The pair Bucha · Anna Kowalska has had no session and no logged mentoring time for 37 days. Both sides were reminded on 01.05.2026. You may want to check in with them (/pairs).',
    ]);
    expect(quiet(MENTOR_ANNA)).toHaveLength(1);

    // A logged day makes the pair active again; a later quiet spell is followed up anew.
    await db.mentoringLog.create({ data: { pairId: seeded.buchaPairId, mentorPersonId: seeded.anna.person.id, date: '2026-05-08', amount: 0.5, activity: 'preparation' } });
    clock.set(new Date(start.getTime() + 38 * DAY));
    await run('inactivity');
    expect(await db.pair.findUniqueOrThrow({ where: { id: seeded.buchaPairId } })).toMatchObject({ nudgedAt: null, alertedAt: null });
  });

  it('writes to nobody at night', async () => {
    const start = new Date('2026-04-01T08:00:00Z');
    const clock = new TestClock(new Date(start.getTime() + 40 * DAY - 8 * 60 * 60 * 1000)); // 03:00 in Kyiv
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: start });
    await jobsOf(bot).run('inactivity');
    expect((await bot.app.deps.db.pair.findUniqueOrThrow({ where: { id: seeded.buchaPairId } })).nudgedAt).toBeNull();
    expect(await bot.app.deps.db.outgoingMessage.count()).toBe(0);
  });
});
