import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { listLogSummaries } from '../src/db/mentoring-logs.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const COORDINATOR = 900;
const adminEnv = { ADMIN_IDS: String(COORDINATOR) };
const MENTOR = { id: 501, first_name: 'Anna', last_name: 'Kowalska', language_code: 'en' };
const MEMBER = { id: 601, first_name: 'Olena', language_code: 'en' };
const OUTSIDER = { id: 700, first_name: 'Ivan', language_code: 'en' };
const NOTE = 'The mayor is hesitant about the strategy';
const refused = "This is for the programme's coordinators only.";

/** An accepted mentor paired with Zhovkva (published 2 March 2026), and a second pair the others are not part of. */
async function seedPairs(db: Database) {
  const programme = await db.programme.findFirstOrThrow();
  const mentorOf = async (telegramId: number, firstName: string, lastName: string) => {
    const person = await db.person.create({ data: { telegramId: BigInt(telegramId), firstName, lastName, language: 'en' } });
    const application = await db.formResponse.create({
      data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${person.id}`, status: 'submitted', submittedAt: new Date() },
    });
    return db.mentor.create({ data: { programmeId: programme.id, personId: person.id, applicationId: application.id, acceptedAt: new Date() } });
  };
  const anna = await mentorOf(MENTOR.id, 'Anna', 'Kowalska');
  const piotr = await mentorOf(502, 'Piotr', 'Nowak');
  const zhovkva = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', city: 'Zhovkva', createdById: 1 } });
  const bucha = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
  const olena = await db.person.create({ data: { telegramId: BigInt(MEMBER.id), firstName: 'Olena', language: 'en' } });
  await db.teamMember.create({ data: { teamId: zhovkva.id, personId: olena.id } });
  const taras = await db.person.create({ data: { telegramId: 602n, firstName: 'Taras', language: 'uk' } });
  await db.teamMember.create({ data: { teamId: zhovkva.id, personId: taras.id } });
  const published = new Date('2026-03-02T08:00:00Z');
  const pair = await db.pair.create({ data: { programmeId: programme.id, mentorId: anna.id, teamId: zhovkva.id, createdById: 1, publishedAt: published } });
  const other = await db.pair.create({ data: { programmeId: programme.id, mentorId: piotr.id, teamId: bucha.id, createdById: 1, publishedAt: published } });
  return { pair, other };
}

/** The mentor logs a day through /log: a typed date, half or whole, an activity, and a note or none. */
async function logDay(anna: TelegramUser, date: string, amount: 'Half a day' | 'A whole day', activity: string, note?: string) {
  await anna.send(`/log ${date}`);
  await anna.press(amount);
  expect((await anna.press(activity)).text).toContain('✅ Saved');
  if (note) expect((await anna.send(note)).text).toContain('Note saved');
  else await anna.press('No note');
}

async function start(now: string): Promise<{ bot: TestBot; clock: TestClock; pair: { id: number }; other: { id: number } }> {
  const clock = new TestClock(new Date(now));
  const bot = await startTestBot({ env: adminEnv, clock });
  const { pair, other } = await seedPairs(bot.app.deps.db);
  return { bot, clock, pair, other };
}

describe('/progress', () => {
  it('shows the pair month by month against the target; the team sees the notes, a coordinator sees the days but never the notes', async () => {
    const { bot, pair } = await start('2026-04-10T09:00:00Z');
    const anna = bot.user(MENTOR);
    await logDay(anna, '05.03.2026', 'A whole day', 'online session', NOTE);
    await logDay(anna, '20.03.2026', 'Half a day', 'preparation');
    await logDay(anna, '02.04.2026', 'A whole day', 'visit');
    await logDay(anna, '09.04.2026', 'Half a day', 'online session');
    await logDay(anna, '09.04.2026', 'Half a day', 'preparation');

    const olena = bot.user(MEMBER);
    const seen = (await olena.send('/progress')).text;
    expect(seen).toContain(`<b>Anna Kowalska ↔ Zhovkva</b> (pair #${pair.id})`);
    expect(seen).toContain('Programme months from 02.03.2026: 6; the target is 2 days a month.');
    expect(seen).toContain('March 2026: 1.5 of 2 (online session 1, preparation 0.5)\nApril 2026: 2 of 2 ✅ (online session 0.5, visit 1, preparation 0.5) ◀ now\nMay 2026: 0 of 2');
    expect(seen).toContain('August 2026: 0 of 2');
    expect(seen).not.toContain('September 2026');
    expect(seen).toContain('Total: 3.5 of 12 days; the target was met in 1 of 6 months.');
    expect(seen).toContain('05.03.2026 — a whole day, online session\n    📝 <i>The mayor is hesitant about the strategy</i>');
    expect(seen).toContain('Trip to the team: not yet.');
    expect((await anna.send('/progress')).text).toContain(NOTE);
    const inUkrainian = (await bot.user({ id: 602, first_name: 'Taras', language_code: 'uk' }).send('/progress')).text;
    expect(inUkrainian).toContain('Березень 2026: 1,5 з 2 (онлайн-зустріч 1, підготовка 0,5)');
    expect(inUkrainian).toContain(NOTE);

    const coordinator = bot.user({ id: COORDINATOR });
    const byNumber = (await coordinator.send(`/progress ${pair.id}`)).text;
    expect(byNumber).toContain('March 2026: 1.5 of 2 (online session 1, preparation 0.5)');
    expect(byNumber).toContain('05.03.2026 — a whole day, online session');
    expect(byNumber).not.toContain('mayor');
    expect(byNumber).not.toContain('📝');
    expect(byNumber).toContain("Mentors' notes are private to the pair and are not shown to coordinators.");

    const list = await coordinator.send('/progress');
    expect(list.text).toContain('<b>Active pairs</b>');
    expect(coordinator.buttons()).toEqual([`#${pair.id} Anna Kowalska ↔ Zhovkva`, `#${pair.id + 1} Piotr Nowak ↔ Bucha`]);
    const chosen = (await coordinator.press(`#${pair.id} Anna Kowalska ↔ Zhovkva`)).text;
    expect(chosen).toContain('Total: 3.5 of 12 days');
    expect(chosen).not.toContain('mayor');

    // What coordinators' views are built from never carries the note.
    const summaries = await listLogSummaries(bot.app.deps.db, pair.id);
    expect(summaries).toHaveLength(5);
    for (const summary of summaries) expect(Object.keys(summary)).not.toContain('note');
  });

  it('plans the three visits and records them as done, by the team, the mentor or a coordinator, and shows the trip to the team', async () => {
    const { bot, clock, pair } = await start('2026-04-10T09:00:00Z');
    const { db } = bot.app.deps;
    const olena = bot.user(MEMBER);
    const anna = bot.user(MENTOR);
    const coordinator = bot.user({ id: COORDINATOR });

    const before = (await olena.send('/progress')).text;
    expect(before).toContain('1. in the mentee city — not planned yet\n2. in the mentor city — not planned yet\n3. in the mentee city — not planned yet');
    expect(before).toContain('Planned: 0, done: 0 of 3.');
    expect(olena.buttons()).toContain('🗓 Plan visit 1');

    const howTo = await olena.press('🗓 Plan visit 1');
    expect(howTo.text).toContain(`<code>/visit ${pair.id} 1 plan 24.04.2026 | Zhovkva</code>`);
    expect((await olena.send(`/visit ${pair.id} 1 plan 20.04.2026 | Zhovkva`)).text).toBe(
      `🗓 Visit 1 (in the mentee city) is planned for 20.04.2026 in Zhovkva. See it all with <code>/progress ${pair.id}</code>.`,
    );
    expect((await coordinator.send(`/visit ${pair.id} 2 plan 15.05.2026 | Kraków`)).text).toContain('Visit 2 (in the mentor city) is planned for 15.05.2026 in Kraków.');
    expect(await db.auditEntry.count({ where: { action: 'visit.plan' } })).toBe(1);

    // After the visit the mentor records who took part and what came of it.
    clock.set('2026-04-21T09:00:00Z');
    await anna.send('/progress');
    const doneHow = await anna.press('✅ Visit 1 done');
    expect(doneHow.text).toContain(`<code>/visit ${pair.id} 1 done 20.04.2026 | Zhovkva | who took part | what came out of it</code>`);
    expect((await anna.send(`/visit ${pair.id} 1 done 25.04.2026 | Zhovkva | Anna | Plans`)).text).toContain('25.04.2026 is still ahead');
    expect((await anna.send(`/visit ${pair.id} 1 done 20.04.2026 | Zhovkva`)).text).toContain('For a visit that took place, give four parts');
    expect((await anna.send(`/visit ${pair.id} 1 plan 32.04.2026 | Zhovkva`)).text).toContain('I could not read the date “32.04.2026”.');
    expect((await anna.send('/visit')).text).toContain('Visits are recorded in one message');
    const recorded = await anna.send(`/visit ${pair.id} 1 done 20.04.2026 | Zhovkva | Anna, Olena, Taras, the deputy mayor | First draft of actions; a support group formed`);
    expect(recorded.text).toContain('✅ Visit 1 (in the mentee city) is recorded as done on 20.04.2026 in Zhovkva.');

    const view = (await coordinator.send(`/progress ${pair.id}`)).text;
    expect(view).toContain(
      [
        '1. in the mentee city — ✅ done on 20.04.2026, Zhovkva',
        '    Took part: Anna, Olena, Taras, the deputy mayor',
        '    Outcomes: First draft of actions; a support group formed',
        '2. in the mentor city — planned for 15.05.2026, Kraków',
        '3. in the mentee city — not planned yet',
        'Planned: 1, done: 1 of 3.',
        'Trip to the team: ✅ done.',
      ].join('\n'),
    );
    expect((await olena.send('/progress')).text).toContain('Trip to the team: ✅ done.');
  });

  it('shows people only their own pair and refuses coordinator views and forged buttons', async () => {
    const { bot, pair, other } = await start('2026-04-10T09:00:00Z');
    const { db } = bot.app.deps;
    const outsider = bot.user(OUTSIDER);
    const olena = bot.user(MEMBER);
    const anna = bot.user(MENTOR);

    expect((await outsider.send('/progress')).text).toContain('You are not in a mentoring pair yet.');
    expect((await outsider.send(`/progress ${pair.id}`)).text).toBe(refused);
    expect((await olena.send(`/progress ${other.id}`)).text).toBe(refused);
    expect((await olena.send(`/progress ${pair.id}`)).text).toContain('Anna Kowalska ↔ Zhovkva');
    expect((await olena.send('/progress abc')).text).toContain('Send /progress to see your pair');
    expect((await bot.user({ id: COORDINATOR }).send('/progress 9999')).text).toBe('There is no pair number 9999.');

    for (const user of [outsider, olena, anna]) {
      expect((await user.pressData(`pg|a|${other.id}`)).callbackAnswer).toBe(refused);
      expect((await user.pressData('pg|a|x')).callbackAnswer).toBe(refused);
      expect((await user.pressData(`pg|p|${other.id}`)).callbackAnswer).toBe('You can only see the progress of your own pair.');
      expect((await user.pressData(`vs|plan|${other.id}|1`)).callbackAnswer).toBe('You can only see the progress of your own pair.');
      expect((await user.pressData(`vs|done|${other.id}|2`)).callbackAnswer).toBe('You can only see the progress of your own pair.');
    }
    expect((await outsider.send(`/visit ${pair.id} 1 plan 20.04.2026 | Somewhere`)).text).toBe('You can only see the progress of your own pair.');
    expect(await db.visit.count()).toBe(0);

    for (const data of ['pg|p|x', 'pg|p|99999', `vs|plan|${pair.id}|4`, `vs|move|${pair.id}|1`, `vs|plan|${pair.id}|1|x`, 'pg|zz']) {
      expect((await olena.pressData(data)).callbackAnswer, data).toBe('This button is no longer active.');
    }
    expect((await bot.user({ id: COORDINATOR }).pressData('pg|a|99999')).callbackAnswer).toBe('This button is no longer active.');
  });
});
