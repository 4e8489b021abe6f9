import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const adminEnv = { ADMIN_IDS: String(COORDINATOR) };
const MENTOR = { id: 501, first_name: 'Anna', last_name: 'Kowalska', language_code: 'en' };
const MEMBER = { id: 601, first_name: 'Olena', language_code: 'en' };
// Sunday 15 March 2026, 12:00 in Kyiv; the pair was published on 2 March.
const NOW = '2026-03-15T10:00:00Z';

/** An accepted mentor paired with Zhovkva (one member), as matching leaves them; optionally a second pair with Bucha. */
async function seedPair(db: Database, options: { secondPair?: boolean } = {}) {
  const programme = await db.programme.findFirstOrThrow();
  const anna = await db.person.create({ data: { telegramId: BigInt(MENTOR.id), firstName: 'Anna', lastName: 'Kowalska', language: 'en' } });
  const application = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${anna.id}`, status: 'submitted', submittedAt: new Date(NOW) },
  });
  const mentor = await db.mentor.create({
    data: { programmeId: programme.id, personId: anna.id, applicationId: application.id, capacity: 2, acceptedAt: new Date(NOW) },
  });
  const zhovkva = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', city: 'Zhovkva', createdById: 1 } });
  const olena = await db.person.create({ data: { telegramId: BigInt(MEMBER.id), firstName: 'Olena', language: 'en' } });
  await db.teamMember.create({ data: { teamId: zhovkva.id, personId: olena.id } });
  const pair = await db.pair.create({
    data: { programmeId: programme.id, mentorId: mentor.id, teamId: zhovkva.id, createdById: 1, publishedAt: new Date('2026-03-02T08:00:00Z') },
  });
  let second;
  if (options.secondPair) {
    const bucha = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
    second = await db.pair.create({
      data: { programmeId: programme.id, mentorId: mentor.id, teamId: bucha.id, createdById: 1, publishedAt: new Date('2026-03-02T08:00:00Z') },
    });
  }
  return { pair, second, annaId: anna.id };
}

describe('/log', () => {
  it('lets a mentor log a half day today with buttons, add a private note, and log a typed date', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { pair } = await seedPair(bot.app.deps.db);
    const { db } = bot.app.deps;
    const anna = bot.user(MENTOR);

    const asked = await anna.send('/log');
    expect(asked.text).toContain('<b>Mentoring time with Zhovkva</b>');
    expect(asked.text).toContain('<code>/log DD.MM.YYYY</code>');
    expect(anna.buttons()).toEqual(['Today, 15.03', 'Yesterday, 14.03']);
    expect((await anna.press('Today, 15.03')).text).toContain('How much time did it take?');
    expect(anna.buttons()).toEqual(['Half a day', 'A whole day']);
    await anna.press('Half a day');
    expect(anna.buttons()).toEqual(['online session', 'visit', 'preparation', 'programme event', 'other']);
    const saved = await anna.press('online session');
    expect(saved.text).toContain('✅ Saved for <b>Zhovkva</b>: 15.03.2026, half a day — online session.');
    expect(saved.text).toContain('March 2026 so far: 0.5 of 2 days.');
    expect(saved.text).toContain('Only you and the team will see it; coordinators never do.');

    const note = await anna.send('Mapped possible partners; next: a letter to Lublin <draft>');
    expect(note.text).toBe('📝 Note saved. Only you and Zhovkva can see it.');
    expect(await db.mentoringLog.findMany({ select: { pairId: true, date: true, amount: true, activity: true, note: true } })).toEqual([
      { pairId: pair.id, date: '2026-03-15', amount: 0.5, activity: 'online_session', note: 'Mapped possible partners; next: a letter to Lublin <draft>' },
    ]);
    // Only the one message after saving is the note.
    expect((await anna.send('hello')).text).toBe('I did not understand that. Send /help to see what I can do.');

    const typed = await anna.send('/log 10.03.2026');
    expect(typed.text).toContain('<b>Zhovkva</b>, 10.03.2026');
    await anna.press('A whole day');
    const second = await anna.press('preparation');
    expect(second.text).toContain('10.03.2026, a whole day — preparation.');
    expect(second.text).toContain('March 2026 so far: 1.5 of 2 days.');
    expect((await anna.press('No note')).text).toBe('Saved without a note.');
    expect((await anna.send('not a note')).text).toBe('I did not understand that. Send /help to see what I can do.');
    expect((await db.mentoringLog.findFirstOrThrow({ where: { date: '2026-03-10' } })).note).toBe('');

    // One date is at most one working day.
    await anna.send('/log 10.03.2026');
    await anna.press('Half a day');
    expect((await anna.press('other')).callbackAnswer).toBe(
      'Already logged with Zhovkva for 10.03.2026: 1 day. One date counts as at most one working day.',
    );

    expect((await anna.send('/log 16.03.2026')).text).toBe('16.03.2026 is still ahead. You can only log days that have already come.');
    expect((await anna.send('/log 31.02.2026')).text).toContain('I could not read the date “31.02.2026”.');
    expect((await anna.send('/log 01.03.2026')).text).toBe('Your work with Zhovkva started on 02.03.2026; please log days from then on.');
    expect(await db.mentoringLog.count()).toBe(2);

    // A mistaken entry is taken back with Undo.
    await anna.send('/log');
    await anna.press('Today, 15.03');
    await anna.press('Half a day');
    await anna.press('visit');
    const mistaken = await db.mentoringLog.findFirstOrThrow({ where: { activity: 'visit' } });
    expect((await anna.press('Undo')).text).toBe('Removed: 15.03.2026, half a day — visit.');
    expect(await db.mentoringLog.count()).toBe(2);
    expect((await anna.pressData(`lg|x|${mistaken.id}`)).callbackAnswer).toBe('This entry no longer exists.');
  });

  it('keeps the choices in the buttons, so a restart between the steps loses nothing, and a double tap saves once', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { pair } = await seedPair(bot.app.deps.db);
    await bot.user(MENTOR).send('/log');
    await bot.user(MENTOR).press('Yesterday, 14.03');

    const restarted = await bot.restart();
    const anna = restarted.user(MENTOR);
    await anna.press('A whole day');
    expect((await anna.press('programme event')).text).toContain('14.03.2026, a whole day — programme event.');
    // The same button pressed again (a double tap) does not count the day twice.
    expect((await anna.pressData(`lg|s|${pair.id}|20260314|w|pe`)).callbackAnswer).toBe('This entry is already saved.');
    expect(await restarted.app.deps.db.mentoringLog.count()).toBe(1);
  });

  it('lets a mentor with two teams pick the team', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { second } = await seedPair(bot.app.deps.db, { secondPair: true });
    const anna = bot.user(MENTOR);
    expect((await anna.send('/log 14.03.2026')).text).toBe('Which team is this time for?');
    expect(anna.buttons()).toEqual(['Zhovkva', 'Bucha']);
    expect((await anna.press('Bucha')).text).toContain('<b>Bucha</b>, 14.03.2026');
    await anna.press('Half a day');
    expect((await anna.press('preparation')).text).toContain('✅ Saved for <b>Bucha</b>: 14.03.2026, half a day — preparation.');
    expect((await bot.app.deps.db.mentoringLog.findFirstOrThrow()).pairId).toBe(second!.id);

    await anna.send('/log');
    expect((await anna.press('Zhovkva')).text).toContain('<b>Mentoring time with Zhovkva</b>');
  });

  it('is for mentors of their own active pairs only, and answers forged buttons clearly', async () => {
    const clock = new TestClock(new Date(NOW));
    const bot = await startTestBot({ env: adminEnv, clock });
    const { pair } = await seedPair(bot.app.deps.db);
    const { db } = bot.app.deps;
    const olena = bot.user(MEMBER);
    const anna = bot.user(MENTOR);

    expect((await olena.send('/log')).text).toBe('Logging mentoring time is for the programme\'s mentors once they work with a mentee team.');
    expect((await bot.user({ id: COORDINATOR }).send('/log')).text).toContain('Logging mentoring time is for the programme');
    expect((await olena.pressData(`lg|s|${pair.id}|20260315|w|os`)).callbackAnswer).toBe('This is not one of your teams.');
    expect((await olena.pressData(`lg|d|${pair.id}|20260315`)).callbackAnswer).toBe('This is not one of your teams.');

    for (const data of [`lg|s|${pair.id}|20260399|w|os`, `lg|s|${pair.id}|20260315|w|zz`, `lg|m|${pair.id}|20260315|q`, 'lg|s|99999|20260315|w|os', 'lg|zz', `lg|d|${pair.id}|20260315|x`]) {
      expect((await anna.pressData(data)).callbackAnswer, data).toBe('This button is no longer active.');
    }
    expect((await anna.pressData(`lg|s|${pair.id}|20260320|w|os`)).callbackAnswer).toBe('20.03.2026 is still ahead. You can only log days that have already come.');
    expect(await db.mentoringLog.count()).toBe(0);

    // Nobody else's entry can be changed or removed.
    const theirs = await db.mentoringLog.create({ data: { pairId: pair.id, mentorPersonId: 999, date: '2026-03-12', amount: 1, activity: 'other' } });
    expect((await anna.pressData(`lg|x|${theirs.id}`)).callbackAnswer).toBe('This entry no longer exists.');
    expect((await anna.pressData(`lg|n|${theirs.id}`)).callbackAnswer).toBe('This entry no longer exists.');
    expect(await db.mentoringLog.count()).toBe(1);

    // Once the pair has ended, no more time is logged for it.
    await db.pair.update({ where: { id: pair.id }, data: { status: 'ended', endedAt: new Date(NOW) } });
    expect((await anna.send('/log')).text).toBe('You have no active mentee team at the moment, so there is nothing to log time for.');
    expect((await anna.pressData(`lg|d|${pair.id}|20260315`)).callbackAnswer).toBe(
      'Your work with this team has ended, so no more time can be logged for it.',
    );
  });
});
