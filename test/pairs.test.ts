import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { programmeOf } from '../src/db/programmes.js';
import { REMINDER_KIND } from '../src/sessions/notices.js';
import { scheduleSession } from '../src/sessions/service.js';
import { seedMentor, seedTeam } from './support/matching-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const COORDINATOR = 900;
const DAY = 24 * 60 * 60 * 1000;

interface World {
  bot: TestBot;
  db: Database;
  clock: TestClock;
  coordinator: TelegramUser;
  anna: { id: number };
  jonas: { id: number };
  team: { id: number };
}

/** Rivne's team (a Polish-speaking member) is paired with Anna (Ukrainian) through the console; Jonas could take over. */
async function pairedWorld(): Promise<World> {
  const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
  const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR) }, clock });
  const db = bot.app.deps.db;
  const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' });
  await coordinator.send('/start');
  const team = await seedTeam(db, {
    name: 'Rivne city council',
    country: 'Ukraine',
    region: 'Rivne oblast',
    city: 'Rivne',
    contactName: 'Olena Kovalenko',
    themes: ['grant_funding', 'participation'],
    languages: ['uk', 'en'],
    members: [{ name: 'Marta Nowak', telegramId: 7001, language: 'pl' }],
  });
  const anna = await seedMentor(db, {
    name: 'Anna Shevchenko',
    telegramId: 7101,
    language: 'uk',
    themes: ['grant_funding', 'participation'],
    languages: ['uk', 'en'],
    country: 'Ukraine',
    city: 'Lviv',
  });
  const jonas = await seedMentor(db, { name: 'Jonas Berzins', telegramId: 7102, themes: ['participation'], languages: ['en'], country: 'Latvia', city: 'Riga' });
  await coordinator.send(`/match ${team.id}`);
  await coordinator.press('🤝 Pair with 1. Anna Shevchenko');
  const published = await coordinator.press('Yes, pair them');
  expect(published.text).toContain('✅ Pair #1 published');
  return { bot, db, clock, coordinator, anna, jonas, team };
}

describe('/pairs', () => {
  it('ends a pair with a standard reason, tells both sides in their languages and keeps the history', async () => {
    const { bot, db, clock, coordinator } = await pairedWorld();

    const list = await coordinator.send('/pairs');
    expect(list.text).toContain('<b>Active pairs: 1</b>');
    expect(list.text).toContain('#1 <b>Rivne city council</b> ← Anna Shevchenko · since 02.03.2026 · /pair_1');
    expect(coordinator.buttons()).toEqual(['#1 Rivne city council — Anna Shevchenko', 'History']);

    const card = await coordinator.press('#1 Rivne city council — Anna Shevchenko');
    expect(card.text).toContain('<b>Pair #1</b>\nActive since 02.03.2026\nTeam: Rivne city council (#1), Rivne, Rivne oblast, Ukraine\nMentor: Anna Shevchenko (mentor #1), City Hall');
    expect(card.text).toContain('Score when paired: 30 — shared themes (2): Grant writing and funding, Resident participation; common languages: Ukrainian, English; same country; fully available');
    expect(coordinator.buttons()).toEqual(['End the pair', 'Another mentor']);

    clock.advance(30 * DAY);
    const question = await coordinator.press('End the pair');
    expect(question.text).toBe('Why does pair #1 (Rivne city council ← Anna Shevchenko) end?');
    expect(coordinator.buttons()).toEqual([
      'The mentor cannot continue',
      'The team withdrew',
      'Not a good fit',
      'The mentoring is complete',
      'Other reason (write it)',
      'Cancel',
    ]);
    const ended = await coordinator.press('The team withdrew');
    expect(ended.text).toBe(
      'Pair #1 (Rivne city council ← Anna Shevchenko) has ended. Reason: The team withdrew.\nTold: the mentor — yes; team members — 1 of 1.',
    );

    const pair = await db.pair.findUniqueOrThrow({ where: { id: 1 } });
    expect(pair).toMatchObject({ status: 'ended', endReason: 'team_withdrew', endedAt: new Date('2026-04-01T09:00:00Z') });
    expect(bot.user({ id: 7101 }).lastBotText()).toBe(
      'Ваше менторство для Rivne city council завершено. Дякуємо за вашу роботу! Координатор зв’яжеться з вами щодо подальших кроків.',
    );
    expect(bot.user({ id: 7001 }).lastBotText()).toBe(
      'Współpraca Rivne city council z mentorem Anna Shevchenko została zakończona. Koordynator skontaktuje się w sprawie dalszych kroków.',
    );
    expect(await db.auditEntry.count({ where: { action: 'pair.end' } })).toBe(1);

    expect((await coordinator.send('/pairs')).text).toBe('There are no active pairs yet. Make them with /match.');
    const history = await coordinator.send('/pairs history');
    expect(history.text).toContain('#1 Rivne city council ← Anna Shevchenko · 02.03.2026–01.04.2026 · The team withdrew');
    const endedCard = await coordinator.send('/pair_1');
    expect(endedCard.text).toContain('Ended: 02.03.2026–01.04.2026, reason: The team withdrew');

    // The old card's button re-checks: nothing ends twice, nobody is told twice.
    const mentorMessages = bot.user({ id: 7101 }).botMessages().length;
    const again = await coordinator.pressCallback('pr|e|1');
    expect(again.callbackAnswer).toBe('Pair #1 has already ended.');
    const twice = await coordinator.pressData('pr|er|1|not_a_fit');
    expect(twice.callbackAnswer).toBe('Pair #1 has already ended.');
    expect(bot.user({ id: 7101 }).botMessages()).toHaveLength(mentorMessages);
    expect((await db.pair.findUniqueOrThrow({ where: { id: 1 } })).endReason).toBe('team_withdrew');
  });

  it('cancels the ended pair’s sessions still to come, tells everyone invited, and reminds nobody of them', async () => {
    const { bot, db, coordinator } = await pairedWorld();
    const deps = bot.app.deps;
    const programme = await programmeOf(deps);
    const anna = await db.person.findUniqueOrThrow({ where: { telegramId: 7101n } });
    const meeting = {
      programmeId: programme.id,
      pairId: 1,
      kind: 'online' as const,
      durationMinutes: 60,
      place: 'https://meet.example.org/rivne',
      agenda: null,
      organiserId: anna.id,
    };
    const next = (await scheduleSession(deps, programme, { ...meeting, startsAt: new Date('2026-03-10T12:00:00Z') }))!.session;
    const later = (await scheduleSession(deps, programme, { ...meeting, startsAt: new Date('2026-04-10T12:00:00Z') }))!.session;
    const marta = bot.user({ id: 7001 });
    await bot.api.waitFor(() => marta.botMessages().filter((m) => 'document' in m).length === 2, 10_000);
    // Two sessions, two reminders each, for the mentor and the team member.
    expect(await db.outgoingMessage.count({ where: { kind: REMINDER_KIND, status: 'pending' } })).toBe(8);

    await coordinator.send('/pair_1');
    await coordinator.press('End the pair');
    const ended = await coordinator.press('The team withdrew');
    expect(ended.text).toContain('Upcoming sessions of this pair cancelled, with a notice to everyone invited: 2.');

    for (const session of [next, later]) expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).status).toBe('cancelled');
    expect(await db.outgoingMessage.count({ where: { kind: REMINDER_KIND, status: 'pending' } })).toBe(0);
    await bot.api.waitFor(() => marta.botMessages().filter((m) => (m as { caption?: string }).caption?.startsWith('Spotkanie zostało odwołane')).length === 2, 10_000);
  });

  it('cancels the old pair’s sessions still to come when the team gets another mentor', async () => {
    const { bot, db, coordinator } = await pairedWorld();
    const deps = bot.app.deps;
    const programme = await programmeOf(deps);
    const anna = await db.person.findUniqueOrThrow({ where: { telegramId: 7101n } });
    const { session } = (await scheduleSession(deps, programme, {
      programmeId: programme.id,
      pairId: 1,
      kind: 'visit',
      startsAt: new Date('2026-03-20T08:00:00Z'),
      durationMinutes: 480,
      place: 'Rivne',
      agenda: null,
      organiserId: anna.id,
    }))!;
    await coordinator.send('/pair_1');
    await coordinator.press('Another mentor');
    await coordinator.press('→ 1. Jonas Berzins');
    const done = await coordinator.press('Not a good fit');
    expect(done.text).toContain('Upcoming sessions of this pair cancelled, with a notice to everyone invited: 1.');
    expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).status).toBe('cancelled');
    expect(await db.outgoingMessage.count({ where: { kind: REMINDER_KIND, status: 'pending' } })).toBe(0);
  });

  it('takes the reason in the coordinator’s own words, and /cancel leaves the pair as it was', async () => {
    const { db, coordinator } = await pairedWorld();
    await coordinator.send('/pair_1');
    await coordinator.press('End the pair');

    const prompt = await coordinator.press('Other reason (write it)');
    expect(prompt.text).toBe('Write the reason for pair #1 in one message (up to 500 characters). /cancel stops without changing anything.');
    expect((await coordinator.send('/cancel')).text).toBe('Stopped. Nothing you had already answered is lost.');
    expect((await db.pair.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('active');
    // After /cancel an ordinary message is not taken as a reason.
    expect((await coordinator.send('The mayor changed priorities')).text).not.toContain('has ended');
    expect((await db.pair.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('active');

    await coordinator.press('Other reason (write it)');
    expect((await coordinator.sendSticker()).text).toBe('Please write the reason as text, or send /cancel.');
    expect((await coordinator.send('x'.repeat(501))).text).toBe(
      'The reason must be 1 to 500 characters long (this one has 501). Please write it again.',
    );
    // Other commands can be used meanwhile; the question waits, as a form's question does.
    expect((await coordinator.send('/pairs')).text).toContain('<b>Active pairs: 1</b>');
    const ended = await coordinator.send('The mayor changed the municipality’s priorities');
    expect(ended.text).toContain("Pair #1 (Rivne city council ← Anna Shevchenko) has ended. Reason: The mayor changed the municipality’s priorities.");
    expect(await db.pair.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      status: 'ended',
      endReason: 'The mayor changed the municipality’s priorities',
    });
    // The next message is an ordinary one again.
    expect((await coordinator.send('/pairs')).text).toBe('There are no active pairs yet. Make them with /match.');
  });

  it('still takes the written reason after a restart, and a button pressed instead of writing just works', async () => {
    const world = await pairedWorld();
    await world.coordinator.send('/pair_1');
    await world.coordinator.press('End the pair');
    await world.coordinator.press('Other reason (write it)');

    const bot = await world.bot.restart();
    const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' });
    const ended = await coordinator.send('Team dissolved after the elections');
    expect(ended.text).toContain('has ended. Reason: Team dissolved after the elections.');
    expect((await bot.app.deps.db.pair.findUniqueOrThrow({ where: { id: 1 } })).endReason).toBe('Team dissolved after the elections');

    // A second pair: the coordinator asks to write a reason, then picks a standard one instead.
    const db = bot.app.deps.db;
    const lutsk = await seedTeam(db, { name: 'Lutsk', themes: ['participation'], languages: ['en'] });
    await coordinator.send(`/match ${lutsk.id}`);
    await coordinator.press(/^🤝 Pair with 1\./);
    await coordinator.press('Yes, pair them');
    await coordinator.send('/pair_2');
    await coordinator.press('End the pair');
    await coordinator.press('Other reason (write it)');
    const picked = await coordinator.press('Not a good fit');
    expect(picked.text).toContain('has ended. Reason: Not a good fit.');
    expect((await db.pair.findUniqueOrThrow({ where: { id: 2 } })).endReason).toBe('not_a_fit');
    expect((await coordinator.send('Just a message')).text).toBe('I did not understand that. Send /help to see what I can do.');
  });

  it('gives the team another mentor: the old pair ends with its reason, the new one starts, all three are told', async () => {
    const { bot, db, clock, coordinator, jonas } = await pairedWorld();
    clock.advance(10 * DAY);
    await coordinator.send('/pair_1');

    const candidates = await coordinator.press('Another mentor');
    expect(candidates.text).toContain('<b>Another mentor for Rivne city council (now Anna Shevchenko)</b>');
    expect(candidates.text).toContain(`1. <b>Jonas Berzins</b> (mentor #${jonas.id}) — score 15, teams 0 of 1`);
    expect(candidates.text).not.toContain('Anna Shevchenko</b> (mentor');
    expect(coordinator.buttons()).toEqual(['→ 1. Jonas Berzins', 'Cancel']);

    const why = await coordinator.press('→ 1. Jonas Berzins');
    expect(why.text).toBe('Rivne city council moves from Anna Shevchenko to Jonas Berzins. Why?');
    await coordinator.press('Other reason (write it)');
    const done = await coordinator.send('Anna moved abroad');
    expect(done.text).toBe(
      [
        'Pair #1 has ended (Anna moved abroad); Rivne city council now works with Jonas Berzins instead of Anna Shevchenko — pair #2.',
        'Previous mentor told: yes',
        'Told: the mentor — yes; team members — 1 of 1.',
      ].join('\n'),
    );

    const pairs = await db.pair.findMany({ orderBy: { id: 'asc' } });
    expect(pairs.map((p) => [p.id, p.mentorId, p.status, p.endReason])).toEqual([
      [1, 1, 'ended', 'Anna moved abroad'],
      [2, jonas.id, 'active', null],
    ]);
    expect(pairs[1]!.publishedAt).toEqual(new Date('2026-03-12T09:00:00Z'));
    expect(pairs[1]!.score).toBe(15);

    expect(bot.user({ id: 7101 }).lastBotText()).toContain('Rivne city council продовжить роботу з іншим ментором');
    expect(bot.user({ id: 7102 }).lastBotText()).toContain('You will mentor Rivne city council.');
    expect(bot.user({ id: 7102 }).lastBotText()).toContain('Contact person: Olena Kovalenko');
    const toMember = bot.user({ id: 7001 }).lastBotText();
    expect(toMember).toContain('Wasz zespół ma nowego mentora');
    expect(toMember).toContain('Od teraz mentorem dla Rivne city council jest Jonas Berzins zamiast Anna Shevchenko.');
    expect(toMember).toContain('Języki robocze: Angielski');

    const card = await coordinator.send('/pair_2');
    expect(card.text).toContain('Earlier mentors of this team:\n• #1 Anna Shevchenko: 02.03.2026–12.03.2026, Anna moved abroad');
    const audit = await db.auditEntry.findMany({ where: { action: 'pair.reassign' } });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ pairId: 1, newPairId: 2, fromMentorId: 1, toMentorId: jonas.id, reason: 'Anna moved abroad' });

    // The older buttons re-check what is true now.
    expect((await coordinator.pressCallback(`pr|rm|1|${jonas.id}`)).callbackAnswer).toBe('Pair #1 has already ended.');
    expect((await coordinator.pressData(`pr|rr|2|${jonas.id}|finished`)).callbackAnswer).toBe("Jonas Berzins is already this team's mentor.");
    expect(await db.pair.count({ where: { status: 'active' } })).toBe(1);
  });
});
