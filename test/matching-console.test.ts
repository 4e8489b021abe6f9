import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { seedMentor, seedTeam, snapshot } from './support/matching-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const UK_COORDINATOR = 901;
const env = { ADMIN_IDS: `${COORDINATOR},${UK_COORDINATOR}` };
const clock = () => new TestClock(new Date('2026-03-02T09:00:00Z'));
const ONLY_COORDINATORS = "This is for the programme's coordinators only.";

async function start(): Promise<{ bot: TestBot; db: Database }> {
  const bot = await startTestBot({ env, clock: clock() });
  await bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' }).send('/start');
  return { bot, db: bot.app.deps.db };
}

/** One team from Rivne and four mentors: two who fit, one from Rivne itself, one without a common language. */
async function rivneAndMentors(db: Database) {
  const team = await seedTeam(db, {
    name: 'Rivne city council',
    country: 'Ukraine',
    region: 'Rivne oblast',
    city: 'Rivne',
    population: 240_000,
    needsPopulation: 38_000,
    contactName: 'Olena Kovalenko',
    contactEmail: 'olena@rivne.example',
    themes: ['grant_funding', 'project_management', 'participation'],
    languages: ['uk', 'en'],
    members: [{ name: 'Marta Nowak', telegramId: 7001, language: 'pl' }],
  });
  const anna = await seedMentor(db, {
    name: 'Anna Shevchenko',
    telegramId: 7101,
    language: 'uk',
    username: 'anna_lviv',
    themes: ['international_projects'],
    policyAreas: ['participation'],
    population: 42_000,
    languages: ['uk', 'en'],
    country: 'Ukraine',
    city: 'Lviv',
    organisation: 'Lviv City Council',
    position: 'Head of international projects',
    capacity: 2,
  });
  const jonas = await seedMentor(db, {
    name: 'Jonas Berzins',
    telegramId: 7102,
    themes: ['grant_funding'],
    languages: ['en'],
    country: 'Latvia',
    city: 'Riga',
    available: false,
  });
  const petro = await seedMentor(db, { name: 'Petro Rivnenskyi', themes: ['grant_funding', 'project_management'], languages: ['uk'], country: 'Ukraine', city: 'Rivne' });
  const hans = await seedMentor(db, { name: 'Hans Weber', themes: ['grant_funding', 'project_management', 'participation'], languages: ['de'], country: 'Germany', city: 'Leipzig' });
  return { team, anna, jonas, petro, hans };
}

/** Two teams and two mentors whose best whole-pool assignment is clear: Anna–Rivne (27) and Ilze–Lutsk (15). */
async function twoAndTwo(db: Database) {
  const rivne = await seedTeam(db, {
    name: 'Rivne',
    themes: ['grant_funding', 'project_management'],
    languages: ['en'],
    members: [{ name: 'Oksana Melnyk', telegramId: 7201, language: 'uk' }],
  });
  const lutsk = await seedTeam(db, {
    name: 'Lutsk',
    themes: ['participation'],
    languages: ['en'],
    members: [{ name: 'Taras Bondar', telegramId: 7202, language: 'en' }],
  });
  const anna = await seedMentor(db, { name: 'Anna', telegramId: 7301, themes: ['international_projects'], languages: ['en'] });
  const ilze = await seedMentor(db, { name: 'Ilze', telegramId: 7302, themes: ['participation'], languages: ['en'], language: 'lv' });
  return { rivne, lutsk, anna, ilze };
}

describe('mentors for one team', () => {
  it('ranks eligible mentors with their reasons in the coordinator’s language, and pairs one with both sides told', async () => {
    const { bot, db } = await start();
    const { team, anna, jonas } = await rivneAndMentors(db);
    const coordinator = bot.user({ id: COORDINATOR });

    const top = await coordinator.send(`/match ${team.id}`);
    expect(top.text).toContain(`<b>Best mentors for Rivne city council (#${team.id})</b>`);
    expect(top.text).toContain('Themes: Grant writing and funding, Project management, Resident participation\nLanguages: Ukrainian, English\nPopulation: 38,000');
    const lines = top.text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('1. '));
    expect(lines[first]).toBe(`1. <b>Anna Shevchenko</b> (mentor #${anna.id}) — score 44.7, teams 0 of 2`);
    expect(lines[first + 1]).toBe(
      '   shared themes (3): Grant writing and funding, Project management, Resident participation; common languages: Ukrainian, English; same country; population 42k vs 38k; fully available',
    );
    expect(lines[first + 2]).toBe(`2. <b>Jonas Berzins</b> (mentor #${jonas.id}) — score 12, teams 0 of 1`);
    expect(lines[first + 3]).toBe('   shared themes (1): Grant writing and funding; common languages: English; not available for: six months, travel, meetings');
    // A mentor from Rivne itself, and one without a common language, are not offered.
    expect(top.text).not.toContain('Petro');
    expect(top.text).not.toContain('Hans');
    expect(coordinator.buttons()).toEqual(['🤝 Pair with 1. Anna Shevchenko', '🤝 Pair with 2. Jonas Berzins']);

    // A coordinator who speaks Ukrainian reads the same reasons in Ukrainian.
    const ukrainian = bot.user({ id: UK_COORDINATOR, first_name: 'Оксана', language_code: 'uk' });
    const inUkrainian = await ukrainian.send(`/match ${team.id}`);
    expect(inUkrainian.text).toContain(
      'спільні теми (3): Грантрайтинг і фінансування, Проєктний менеджмент, Участь мешканців; спільні мови: Українська, Англійська; та сама країна; населення 42k і 38k; повністю доступний',
    );

    const question = await coordinator.press('🤝 Pair with 1. Anna Shevchenko');
    expect(question.text).toContain('Pair <b>Anna Shevchenko</b>');
    expect(await db.pair.count()).toBe(0);

    const paired = await coordinator.press('Yes, pair them');
    expect(paired.text).toContain('✅ Pair #1 published: Anna Shevchenko mentors Rivne city council (score 44.7).');
    expect(paired.text).toContain('Told: the mentor — yes; team members — 1 of 1.');

    const [pair] = await db.pair.findMany();
    expect(pair).toMatchObject({ mentorId: anna.id, teamId: team.id, status: 'active', publishedAt: new Date('2026-03-02T09:00:00Z') });
    expect(pair!.score).toBeCloseTo(44.714, 2);
    expect(JSON.parse(pair!.reasons!)).toContainEqual({ kind: 'themes', shared: ['grant_funding', 'project_management', 'participation'] });
    const coordinatorPerson = await db.person.findUnique({ where: { telegramId: BigInt(COORDINATOR) } });
    expect(pair!.createdById).toBe(coordinatorPerson!.id);

    // The mentor, in Ukrainian: the team, its municipality, country, population, themes and contact person.
    const toMentor = bot.user({ id: 7101 }).lastBotText();
    expect(toMentor).toContain('У вас є команда для менторства');
    expect(toMentor).toContain('Ви будете ментором для Rivne city council.');
    expect(toMentor).toContain('Громада: Rivne, Rivne oblast');
    expect(toMentor).toContain('Країна: Ukraine');
    expect(toMentor).toMatch(/Населення: 38\s000/);
    expect(toMentor).toContain('Над чим хочуть працювати: Грантрайтинг і фінансування, Проєктний менеджмент, Участь мешканців');
    expect(toMentor).toContain('Контактна особа: Olena Kovalenko, olena@rivne.example');
    expect(toMentor).toContain('першу онлайн-зустріч');
    expect(toMentor).toContain('три візити');

    // The team member, in Polish: the mentor's name, organisation, position, expertise and languages.
    const toMember = bot.user({ id: 7001 }).lastBotText();
    expect(toMember).toContain('Wasz zespół ma mentora');
    expect(toMember).toContain('Anna Shevchenko będzie mentorem dla Rivne city council.');
    expect(toMember).toContain('Organizacja: Lviv City Council');
    expect(toMember).toContain('Stanowisko: Head of international projects');
    expect(toMember).toContain('Specjalizacja: Projekty międzynarodowe, Partycypacja mieszkańców');
    expect(toMember).toContain('Języki robocze: Ukraiński, Angielski');
    expect(toMember).toContain('Telegram: @anna_lviv');
    expect(toMember).toContain('pierwsze spotkanie online');
    expect(toMember).toContain('trzy wizyty');

    const audit = await db.auditEntry.findMany({ where: { action: 'match.publish' } });
    expect(audit).toHaveLength(1);

    // The same team now has a mentor: the list is for comparison and has no pair buttons.
    const again = await coordinator.send(`/match ${team.id}`);
    expect(again.text).toContain('This team already has a mentor: Anna Shevchenko (/pair_1).');
    expect(again.calls.find((c) => c.method === 'sendMessage')?.payload.reply_markup).toBeUndefined();
  });

  it('answers clearly when a team cannot be matched yet or does not exist', async () => {
    const { bot, db } = await start();
    const empty = await seedTeam(db, { name: 'Kovel', needsStatus: 'none' });
    const draft = await seedTeam(db, { name: 'Dubno & <Co>', themes: ['participation'], languages: ['en'], needsStatus: 'draft' });
    await seedMentor(db, { name: 'Ilze', themes: ['participation'], languages: ['en'] });
    const coordinator = bot.user({ id: COORDINATOR });

    const overview = await coordinator.send('/match');
    expect(overview.text).toContain('Mentors: 1 (free places: 1) · teams without a mentor: 2 (ready for /match all: 0) · active pairs: 0');
    expect(overview.text).toContain(`• Kovel (#${empty.id}) — needs analysis not started`);
    expect(overview.text).toContain(`• Dubno &amp; &lt;Co&gt; (#${draft.id}) — needs analysis in progress (themes and languages given)`);
    expect(coordinator.buttons()).toEqual([`Dubno & <Co> (#${draft.id})`, 'Proposal for all teams', 'Weights']);
    expect((await coordinator.press(`Dubno & <Co> (#${draft.id})`)).text).toContain('<b>Best mentors for Dubno &amp; &lt;Co&gt;');

    expect((await coordinator.send(`/match ${empty.id}`)).text).toBe(
      'Kovel has not yet given its themes and working languages in the needs analysis, so there is nothing to match on.',
    );
    expect((await coordinator.send('/match 4242')).text).toBe('There is no team #4242.');
    // A team still answering its needs analysis can be looked at one by one…
    expect((await coordinator.send(`/match ${draft.id}`)).text).toContain('1. <b>Ilze</b>');
    expect((await coordinator.send('/pairs whatever')).text).toContain('/pairs history — ended pairs');
    // …but is not in the whole-pool proposal.
    expect((await coordinator.send('/match all')).text).toContain('No team is waiting for a mentor with a submitted needs analysis.');
    expect((await coordinator.send('/match frobnicate')).text).toContain('/match all — a proposal for all teams');
  });

  it('refuses to pair from an old button when the mentor no longer fits', async () => {
    const { bot, db } = await start();
    const { team, jonas } = await rivneAndMentors(db);
    const other = await seedTeam(db, { name: 'Lutsk', themes: ['grant_funding'], languages: ['en'] });
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send(`/match ${team.id}`);
    await coordinator.send(`/match ${other.id}`);
    // Jonas (one place) goes to Lutsk first…
    await coordinator.press('🤝 Pair with 2. Jonas Berzins');
    await coordinator.press('Yes, pair them');
    // …so the button offered for Rivne earlier no longer works.
    const stale = await coordinator.pressCallback(`ma|p|${team.id}|${jonas.id}`);
    expect(stale.callbackAnswer).toBe('Jonas Berzins cannot mentor Rivne city council now: no free places.');
    expect(await db.pair.count()).toBe(1);
  });
});

describe('the whole-pool proposal', () => {
  it('changes nothing until published, then publishes exactly what was shown', async () => {
    const { bot, db } = await start();
    const { rivne, lutsk, anna, ilze } = await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });

    const proposal = await coordinator.send('/match all');
    expect(proposal.text).toContain('<b>Proposal for all teams</b>\nNothing changes until you press “Publish all”.');
    expect(proposal.text).toContain('Pairs: 2 for 2 teams, 2 mentors · total score 42');
    expect(proposal.text).toContain(`1. <b>Rivne</b> (#${rivne.id}) ← Anna (mentor #${anna.id}) · score 27`);
    expect(proposal.text).toContain('   shared themes (2): Grant writing and funding, Project management; common languages: English; fully available');
    expect(proposal.text).toContain(`2. <b>Lutsk</b> (#${lutsk.id}) ← Ilze (mentor #${ilze.id}) · score 15`);
    expect(coordinator.buttons()).toEqual(['✅ Publish all (2)', '🔄 Recompute', '📌 1', '🚫 1', '📌 2', '🚫 2', 'Weights']);
    expect(await db.pair.count()).toBe(0);

    const recomputed = await coordinator.press('🔄 Recompute');
    expect(recomputed.callbackAnswer).toBe('Computed again.');
    expect(recomputed.text).toContain(`1. <b>Rivne</b> (#${rivne.id}) ← Anna`);
    expect(await db.pair.count()).toBe(0);
    expect(bot.user({ id: 7201 }).botMessages()).toHaveLength(0);
    expect(bot.user({ id: 7301 }).botMessages()).toHaveLength(0);

    const published = await coordinator.press('✅ Publish all (2)');
    expect(published.callbackAnswer).toBe('Published: 2');
    expect(published.text).toContain('<b>Published pairs: 2</b>');
    expect(published.text).toContain('#1 Rivne ← Anna (score 27)');
    expect(published.text).toContain('#2 Lutsk ← Ilze (score 15)');
    const pairs = await db.pair.findMany({ orderBy: { id: 'asc' } });
    expect(pairs.map((p) => [p.mentorId, p.teamId, p.status, p.score])).toEqual([
      [anna.id, rivne.id, 'active', 27],
      [ilze.id, lutsk.id, 'active', 15],
    ]);
    // Ilze reads Latvian, Oksana Ukrainian.
    expect(bot.user({ id: 7302 }).lastBotText()).toContain('Jūs būsiet mentors komandai Lutsk.');
    expect(bot.user({ id: 7201 }).lastBotText()).toContain('Anna буде ментором для Rivne.');
    expect(await db.auditEntry.count({ where: { action: 'match.publish' } })).toBe(1);

    // The published message's buttons are gone; the pool is now empty.
    expect((await coordinator.send('/match all')).text).toContain('No team is waiting for a mentor');
  });

  it('refuses to publish a proposal that changed since it was shown, and shows the new one', async () => {
    const { bot, db } = await start();
    await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/match all');
    // A third team, a better fit for Anna, submits its needs analysis meanwhile.
    await seedTeam(db, { name: 'Kovel', country: 'Poland', themes: ['grant_funding', 'project_management'], languages: ['en'] });

    const refused = await coordinator.press('✅ Publish all (2)');
    expect(refused.callbackAnswer).toBe(
      'The proposal has changed since it was shown (new answers, pairs or instructions), so nothing was published. Here is the current one.',
    );
    expect(await db.pair.count()).toBe(0);
    expect(refused.text).toContain('<b>Kovel</b> (#3) ← Anna (mentor #1) · score 30');
    expect(refused.text).toContain('No mentor left for:\n• Rivne (#1)');

    const published = await coordinator.press('✅ Publish all (2)');
    expect(published.text).toContain('<b>Published pairs: 2</b>');
    expect((await db.pair.findMany()).map((p) => p.teamId).sort()).toEqual([2, 3]);
  });

  it('honours forbids and pins after recomputing, by command and by button', async () => {
    const { bot, db } = await start();
    const { rivne, lutsk, anna, ilze } = await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });

    // Forbid Anna–Rivne with the button on the proposal.
    await coordinator.send('/match all');
    const forbidden = await coordinator.press('🚫 1');
    expect(forbidden.callbackAnswer).toContain('Anna (mentor #1) will never be paired with Rivne (#1).');
    expect(forbidden.text).toContain(`1. <b>Rivne</b> (#${rivne.id}) ← Ilze (mentor #${ilze.id}) · score 3`);
    expect(forbidden.text).toContain(`2. <b>Lutsk</b> (#${lutsk.id}) ← Anna (mentor #${anna.id}) · score 3`);
    expect(forbidden.text).toContain('Ruled-out pairs taken into account: 1.');

    // Allow it again, then pin Ilze to Lutsk by command: Anna goes back to Rivne.
    expect((await coordinator.send(`/match unforbid ${anna.id} ${rivne.id}`)).text).toBe('Anna may be paired with Rivne again.');
    expect((await coordinator.send(`/match pin ${ilze.id} ${lutsk.id}`)).text).toContain(
      `📌 Ilze (mentor #${ilze.id}) will always be paired with Lutsk (#${lutsk.id}) in /match all.`,
    );
    const pinned = await coordinator.send('/match all');
    expect(pinned.text).toContain(`2. 📌 <b>Lutsk</b> (#${lutsk.id}) ← Ilze`);
    expect(coordinator.buttons()).toContain('📌✖ 2');

    // Pin Anna to Lutsk instead: it replaces Ilze's pin, and Rivne gets Ilze.
    const replaced = await coordinator.send(`/match pin ${anna.id} ${lutsk.id}`);
    expect(replaced.text).toContain('It replaces the earlier pin of Ilze.');
    const after = await coordinator.send('/match all');
    expect(after.text).toContain(`1. <b>Rivne</b> (#${rivne.id}) ← Ilze`);
    expect(after.text).toContain(`2. 📌 <b>Lutsk</b> (#${lutsk.id}) ← Anna`);

    // Unpin with the button; the proposal is the best one again.
    const unpinned = await coordinator.press('📌✖ 2');
    expect(unpinned.callbackAnswer).toBe('The pin of Anna to Lutsk is removed.');
    expect(unpinned.text).toContain(`1. <b>Rivne</b> (#${rivne.id}) ← Anna`);

    // A pin the rules would not allow is kept, with a warning.
    const german = await seedMentor(db, { name: 'Hans', languages: ['de'] });
    const against = await coordinator.send(`/match pin ${german.id} ${rivne.id}`);
    expect(against.text).toContain('⚠️ By the usual rules this pair would not be allowed: no common working language.');
    expect((await coordinator.send('/match all')).text).toContain('pinned by you, although the rules would not allow it');

    expect((await coordinator.send('/match pin 1')).text).toBe('Write the mentor\'s number and then the team\'s, e.g. <code>/match pin 5 12</code>.');
    expect((await coordinator.send('/match forbid 99 1')).text).toBe('There is no mentor #99.');
    expect((await coordinator.send(`/match unpin ${anna.id} ${rivne.id}`)).text).toBe('Anna is not pinned to Rivne.');

    const actions = (await db.auditEntry.findMany({ orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['match.forbid', 'match.unforbid', 'match.pin', 'match.pin', 'match.unpin', 'match.pin']);
    expect(await db.pair.count()).toBe(0);
  });
});

describe('weights', () => {
  it('shows the weights, changes them with a clear answer to bad input, and goes back to the standard ones', async () => {
    const { bot, db } = await start();
    await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });

    const shown = await coordinator.send('/match weights');
    expect(shown.text).toContain('<b>Matching weights</b>\nThese are the standard weights.');
    expect(shown.text).toContain('• <code>theme</code> = 12 — for each theme the team needs and the mentor knows (standard: 12)');

    const bad = await coordinator.send('/match weights theme=-1 colour=2 population=lots sameRegion');
    expect(bad.text).toContain('The weights were not changed:');
    expect(bad.text).toContain('• “sameRegion” should look like name=number');
    expect(bad.text).toContain('• theme cannot be negative');
    expect(bad.text).toContain('• there is no weight “colour”; the weights are: theme, sameCountry, sameRegion, population, availability');
    expect(bad.text).toContain('• population: “lots” is not a number');
    expect((await db.programme.findFirst())!.matchingWeights).toBeNull();

    const changed = await coordinator.send('/match weights theme=10 samecountry=2,5');
    expect(changed.text).toContain('✅ Weights saved.');
    expect(changed.text).toContain('• <code>theme</code> = 10');
    expect(changed.text).toContain('• <code>sameCountry</code> = 2.5');
    expect(JSON.parse((await db.programme.findFirst())!.matchingWeights!)).toEqual({
      theme: 10,
      sameCountry: 2.5,
      sameRegion: 2,
      population: 3,
      availability: 1,
    });
    // The proposal uses them: Anna–Rivne is now 2 × 10 + 3.
    expect((await coordinator.send('/match all')).text).toContain('← Anna (mentor #1) · score 23');

    const reset = await coordinator.send('/match weights reset');
    expect(reset.text).toContain('✅ The standard weights apply again.');
    expect((await db.programme.findFirst())!.matchingWeights).toBeNull();
    const audit = await db.auditEntry.findMany({ where: { action: 'match.weights' }, orderBy: { id: 'asc' } });
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ before: { theme: 12 }, after: { theme: 10, sameCountry: 2.5 } });
  });
});

describe('only coordinators', () => {
  it('refuses every matching and pairs command and button to anyone else, and nothing changes', async () => {
    const { bot, db } = await start();
    const { rivne, anna, ilze } = await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send(`/match ${rivne.id}`);
    await coordinator.press('🤝 Pair with 1. Anna');
    await coordinator.press('Yes, pair them');
    await coordinator.send(`/match forbid ${ilze.id} ${rivne.id}`);
    const before = await snapshot(db);

    // Oksana is a member of the Rivne team; she is not a coordinator.
    const member = bot.user({ id: 7201, language_code: 'en' });
    const commands = [
      '/match',
      `/match ${rivne.id}`,
      '/match all',
      `/match pin ${anna.id} ${rivne.id}`,
      `/match forbid ${anna.id} ${rivne.id}`,
      `/match unpin ${anna.id} ${rivne.id}`,
      `/match unforbid ${ilze.id} ${rivne.id}`,
      '/match weights',
      '/match weights theme=1',
      '/match weights reset',
      '/pairs',
      '/pairs history',
      '/pairs 1',
      '/pair_1',
    ];
    for (const command of commands) {
      expect((await member.send(command)).text, command).toBe(ONLY_COORDINATORS);
    }
    const buttons = [
      `ma|t|${rivne.id}`,
      `ma|p|${rivne.id}|${ilze.id}`,
      `ma|pc|${rivne.id}|${ilze.id}`,
      'ma|x',
      'ma|all',
      'ma|rc',
      'ma|pub|AAAAAAAAAAAAAAAA',
      `ma|pin|${ilze.id}|${rivne.id}`,
      `ma|fb|${anna.id}|${rivne.id}`,
      `ma|up|${ilze.id}|${rivne.id}`,
      'ma|w',
      'ma|nonsense',
      'pr|o|1',
      'pr|h',
      'pr|x',
      'pr|e|1',
      'pr|er|1|finished',
      'pr|eo|1',
      'pr|r|1',
      `pr|rm|1|${ilze.id}`,
      `pr|rr|1|${ilze.id}|not_a_fit`,
      `pr|ro|1|${ilze.id}`,
      'pr|nonsense',
    ];
    for (const data of buttons) {
      const replies = await member.pressData(data);
      expect(replies.callbackAnswer, data).toBe(ONLY_COORDINATORS);
      expect(replies.texts, data).toEqual([]);
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it('answers forged or stale button data clearly', async () => {
    const { bot, db } = await start();
    const { rivne, anna } = await twoAndTwo(db);
    const coordinator = bot.user({ id: COORDINATOR });
    const answers: Record<string, string> = {
      'ma|p|abc|1': 'This button is not valid. Send /match to start again.',
      'ma|pub|short': 'This button is not valid. Send /match to start again.',
      [`ma|p|${rivne.id}|99999`]: 'There is no mentor #99999.',
      [`ma|pc|99999|${anna.id}`]: 'There is no team #99999.',
      'ma|t|99999': 'There is no team #99999.',
      'ma|pub|AAAAAAAAAAAAAAAA':
        'The proposal has changed since it was shown (new answers, pairs or instructions), so nothing was published. Here is the current one.',
      'pr|e|99999': 'There is no pair #99999.',
      'pr|er|1|bogus': 'This button is not valid. Send /pairs to start again.',
      'pr|rm|1': 'This button is not valid. Send /pairs to start again.',
    };
    for (const [data, answer] of Object.entries(answers)) {
      expect((await coordinator.pressData(data)).callbackAnswer, data).toBe(answer);
    }
    expect(await db.pair.count()).toBe(0);
  });
});
