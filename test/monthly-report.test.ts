import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { deliveredTexts, flushOutbox, jobsOf, MENTOR_ANNA, seedPairs, type SeededPairs } from './support/progress-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const UKRAINIAN_COORDINATOR = 901;
const env = { ADMIN_IDS: `${COORDINATOR},${UKRAINIAN_COORDINATOR}` };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PRIVATE_NOTE = 'They told me about the mayor’s health';

/** February 2026: Bucha logs two days and meets twice, Irpin has been quiet since January. */
async function seedFebruary(db: Database, seeded: SeededPairs) {
  const log = (pairId: number, mentorPersonId: number, date: string, amount: number, note?: string) =>
    db.mentoringLog.create({ data: { pairId, mentorPersonId, date, amount, activity: 'online_session', note: note ?? null } });
  await log(seeded.buchaPairId, seeded.anna.person.id, '2026-02-03', 1, PRIVATE_NOTE);
  // Two entries on one day count as one working day.
  await log(seeded.buchaPairId, seeded.anna.person.id, '2026-02-10', 0.5);
  await log(seeded.buchaPairId, seeded.anna.person.id, '2026-02-10', 1);
  await log(seeded.buchaPairId, seeded.anna.person.id, '2026-03-02', 1);
  await log(seeded.irpinPairId, seeded.jan.person.id, '2026-01-05', 1);
  const session = (startsAt: string, status: string) =>
    db.session.create({
      data: { programmeId: seeded.programmeId, pairId: seeded.buchaPairId, kind: 'online', startsAt: new Date(startsAt), organiserId: seeded.anna.person.id, status },
    });
  await session('2026-02-03T10:00:00Z', 'held');
  await session('2026-02-17T10:00:00Z', 'scheduled');
  await session('2026-02-24T10:00:00Z', 'cancelled');
  await db.visit.create({ data: { pairId: seeded.buchaPairId, number: 1, kind: 'mentee_city', city: 'Bucha', doneOn: '2026-02-20', outcomes: PRIVATE_NOTE } });
  await db.visit.create({ data: { pairId: seeded.buchaPairId, number: 2, kind: 'mentor_city', city: 'Lublin', plannedFor: '2026-04-10' } });
}

const photosTo = (bot: TestBot, chatId: number): ApiCall[] =>
  bot.api.calls.filter((c) => c.method === 'sendPhoto' && Number(c.payload.chat_id) === chatId && !c.error);

describe('the monthly report for coordinators', () => {
  it('names the programme in the reader’s language, in the report and in the action plan', async () => {
    const clock = new TestClock(new Date('2026-03-15T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    await seedFebruary(bot.app.deps.db, seeded);
    const english = bot.user({ id: COORDINATOR });
    const ukrainian = bot.user({ id: UKRAINIAN_COORDINATOR, language_code: 'uk' });
    await english.send('/call name Cities for Cities');
    await ukrainian.send('/call name uk Міста для міст');

    expect((await english.send('/report 2026-02')).texts.join('\n')).toContain('Cities for Cities · target: 2 mentoring days per pair a month');
    expect((await ukrainian.send('/report 2026-02')).texts.join('\n')).toContain('Міста для міст · ціль: 2 дн. менторства');
    expect((await bot.user({ id: MENTOR_ANNA }).send('/plan')).text).toContain('Mentoring scheme: Cities for Cities');
  });

  it('answers /report 2026-02 with the table and the chart, and keeps the pairs’ notes out', async () => {
    const clock = new TestClock(new Date('2026-03-15T10:00:00Z'));
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    await seedFebruary(bot.app.deps.db, seeded);
    const coordinator = bot.user({ id: COORDINATOR });

    const report = await coordinator.send('/report 2026-02');
    const text = report.texts.join('\n');
    expect(text).toContain('📊 <b>Progress report — February 2026</b>');
    expect(text).toContain('CityMentor · target: 2 mentoring days per pair a month');
    expect(text).toContain(['<pre>#  Days   Sessions  Visits', '1  2/2 ✓         2     1/3', '2  0/2           0     0/3</pre>'].join('\n'));
    expect(text).toContain('1 — Bucha · Anna Kowalska\n2 — Irpin · Jan Nowak');
    expect(text).toContain('Pairs: 2 · met the target: 1\nMentoring days logged: 2 of 4 · sessions held: 2 · visits done this month: 1');
    expect(text).toContain('Quiet pairs (no session and no logged time for 30 days or more):\n• Irpin · Jan Nowak — 49 days');
    expect(text).not.toContain(PRIVATE_NOTE);
    expect(coordinator.buttons()).toEqual(['◀ January 2026', 'March 2026 ▶', '📝 Evaluations']);

    const photo = report.calls.find((c) => c.method === 'sendPhoto')!;
    expect(photo.payload.caption).toBe('Mentoring days per pair — February 2026');
    expect(photo.files.photo!.content.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(await bot.app.deps.db.auditEntry.findMany({ where: { action: 'report.view' } })).toHaveLength(1);

    // This month so far; the month buttons move between months.
    expect((await coordinator.send('/report')).text).toContain('Progress report — March 2026');
    expect((await coordinator.press('◀ February 2026')).text).toContain('Progress report — February 2026');
    expect((await coordinator.send('/report 04.2026')).text).toBe('April 2026 has not started yet.');
    expect((await coordinator.send('/report someday')).text).toContain('Send /report for this month, /report 2026-03 for another month');
    expect((await coordinator.pressData('rp|m|2026-13')).callbackAnswer).toBe('This button is no longer active.');
    expect((await coordinator.pressData('rp|zz')).callbackAnswer).toBe('This button is no longer active.');
  });

  it('refuses /report and its buttons to anyone who is not a coordinator', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(new Date('2026-03-15T10:00:00Z')) });
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    const mentor = bot.user({ id: MENTOR_ANNA });
    for (const command of ['/report', '/report 2026-02', '/report evaluations']) {
      expect((await mentor.send(command)).text, command).toBe("This is for the programme's coordinators only.");
    }
    for (const data of ['rp|m|2026-02', 'rp|c|2026-02', 'rp|zz', 'ev8|all', 'ev8|x']) {
      const replies = await mentor.pressData(data);
      expect(replies.callbackAnswer, data).toBe("This is for the programme's coordinators only.");
      expect(replies.calls.filter((c) => c.method === 'sendPhoto' || c.method === 'sendDocument')).toEqual([]);
    }
    expect(await bot.app.deps.db.auditEntry.count()).toBe(0);
  });

  it('comes on the 1st at 10:00 to every coordinator in their language, once', async () => {
    const clock = new TestClock(new Date('2026-03-01T07:00:00Z')); // 09:00 in Kyiv
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    await seedFebruary(bot.app.deps.db, seeded);
    await bot.user({ id: COORDINATOR }).send('/start');
    await bot.user({ id: UKRAINIAN_COORDINATOR, language_code: 'uk' }).send('/start');
    const { run } = jobsOf(bot);

    await run('monthly-report');
    await flushOutbox(bot);
    expect(photosTo(bot, COORDINATOR)).toEqual([]);

    clock.set('2026-03-01T08:05:00Z');
    await Promise.all([run('monthly-report'), jobsOf(bot).run('monthly-report')]);
    const reports = (chat: number) => deliveredTexts(bot, chat).filter((t) => t.includes('📊'));
    await bot.api.waitFor(() => reports(COORDINATOR).length > 0 && reports(UKRAINIAN_COORDINATOR).length > 0, 10_000);
    await run('monthly-report');
    await flushOutbox(bot);

    expect(reports(COORDINATOR)).toHaveLength(1);
    expect(reports(COORDINATOR)[0]).toContain('Monthly report: how the programme went last month.');
    expect(reports(COORDINATOR)[0]).toContain('Progress report — February 2026');
    expect(reports(UKRAINIAN_COORDINATOR)).toHaveLength(1);
    expect(reports(UKRAINIAN_COORDINATOR)[0]).toContain('лютий 2026');
    expect(photosTo(bot, COORDINATOR)).toHaveLength(1);
    expect(photosTo(bot, UKRAINIAN_COORDINATOR)).toHaveLength(1);
    expect(photosTo(bot, COORDINATOR)[0]!.files.photo!.content.subarray(0, 8)).toEqual(PNG_SIGNATURE);

    // The report's Chart button sends the chart again.
    const chart = await bot.user({ id: COORDINATOR }).press('📈 Chart');
    expect(chart.calls.find((c) => c.method === 'sendPhoto')!.files.photo!.content.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
