import { describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../src/web/console-api.js';
import { COORDINATOR_ID } from './support/application.js';
import { consoleApi, seedApplication, startCoordinator } from './support/console.js';
import { seedMentor, seedTeam } from './support/matching-seed.js';
import { seedPairs } from './support/progress-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import { callApi, initDataFor, webEnv } from './support/web.js';

const env = { ADMIN_IDS: String(COORDINATOR_ID), ...webEnv };
const clock = () => new TestClock(new Date('2025-11-10T09:00:00Z'));

/** Texts a person received in their chat. */
const received = (bot: TestBot, chatId: number) =>
  bot.api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) === chatId && !c.error).map((c) => String(c.payload.text));

describe('the coordinators’ console API', () => {
  it('refuses every endpoint to a mentor (403) and to a missing or forged signature (401), and changes nothing', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const coordinator = await startCoordinator(bot);
    const id = await seedApplication(bot, 701, { name: 'Maria Applicant' });
    const mentor = { id: 702, first_name: 'Mallory', language_code: 'en' };
    await seedApplication(bot, mentor.id, { name: 'Mallory Mentor' });
    const mentorAuth = initDataFor(bot, mentor);
    const forged = coordinator.replace(/hash=[0-9a-f]+/, `hash=${'0'.repeat(64)}`);
    const impostor = coordinator.replace(encodeURIComponent(`"id":${COORDINATOR_ID}`), encodeURIComponent(`"id":${mentor.id}`));
    const body = { applications: [id], decision: 'accepted', decisions: [1], action: 'pin', mentorId: 1, teamId: 1, fingerprint: 'a'.repeat(16), format: 'csv', message: 'x' };
    const auditBefore = await bot.app.deps.db.auditEntry.count();
    expect(CONSOLE_ROUTES.length).toBeGreaterThanOrEqual(16);
    for (const route of CONSOLE_ROUTES) {
      const call = (auth: string | undefined) => callApi(bot, route.method, route.example.replace(/^/, ''), auth, route.method === 'GET' ? undefined : body);
      const asMentor = await call(mentorAuth);
      expect(asMentor.status, `${route.method} ${route.example} as a mentor`).toBe(403);
      expect(asMentor.body.message).toBe("This is for the programme's coordinators only.");
      for (const auth of [undefined, '', forged, impostor]) {
        expect((await call(auth)).status, `${route.method} ${route.example} with ${auth === undefined ? 'no' : 'a bad'} signature`).toBe(401);
      }
    }
    // Someone who never opened the bot is no coordinator either.
    expect((await callApi(bot, 'GET', '/console/session', initDataFor(bot, { id: 703 }))).status).toBe(403);
    expect(await bot.app.deps.db.applicationDecision.count()).toBe(0);
    expect(await bot.app.deps.db.auditEntry.count()).toBe(auditBefore);
    expect(bot.api.callsOf('sendDocument')).toHaveLength(0);
    expect((await callApi(bot, 'GET', '/console/session', coordinator)).status).toBe(200);
  });

  it('lists, filters and pages applications on the server, opens one in full, and accepts three at once with editable messages sent on Send', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const api = consoleApi(bot, await startCoordinator(bot));
    const polish = [];
    for (let i = 0; i < 4; i++) polish.push(await seedApplication(bot, 710 + i, { name: `Polish Applicant ${i}`, country: 'Poland', languages: ['pl', 'en'] }));
    const latvian = await seedApplication(bot, 720, { name: 'Ilze Ozola', country: 'Latvia', city: 'Rīga', languages: ['lv'], expertise: ['grant_funding'], cv: { kind: 'file', fileId: 'cv-file-1', fileName: 'ilze.pdf' } }, 'lv');
    await seedApplication(bot, 721, { name: 'Gone Away', status: 'withdrawn' });

    const all = await api.get('/applications?size=2&sort=name');
    expect(all.status).toBe(200);
    expect([all.body.total, all.body.pages, all.body.rows.length]).toEqual([6, 3, 2]);
    expect(all.body.rows.map((r: { name: string }) => r.name)).toEqual(['Gone Away', 'Ilze Ozola']);
    const latvia = await api.get('/applications?country=latvia&language=lv&theme=grant_funding');
    expect(latvia.body.rows.map((r: { id: number }) => r.id)).toEqual([latvian]);
    expect(latvia.body.rows[0]).toMatchObject({ city: 'Rīga', englishLevel: 'B2', status: 'new', languages: ['lv'] });
    expect((await api.get('/applications?status=withdrawn')).body.total).toBe(1);
    const bad = await api.get('/applications?status=maybe');
    expect([bad.status, bad.body.message]).toEqual([422, 'That filter or page does not exist. Reload the console and try again.']);

    const detail = await api.get(`/applications/${latvian}`);
    expect(detail.body.name).toBe('Ilze Ozola');
    const answers = detail.body.sections.flatMap((s: { answers: unknown[] }) => s.answers);
    expect(answers.find((a: { id: string }) => a.id === 'motivation').answer).toBe('I want to help, says Ilze Ozola.');
    expect(detail.body.cv).toEqual({ kind: 'file', fileName: 'ilze.pdf' });
    expect(detail.body.allowed).toEqual(['shortlisted', 'accepted', 'rejected']);
    expect((await api.post(`/applications/${latvian}/cv`)).status).toBe(200);
    expect(bot.api.callsOf('sendDocument').at(-1)!.payload).toMatchObject({ chat_id: COORDINATOR_ID, document: 'cv-file-1' });

    // Accept three at once: nothing is sent yet, each message is in the applicant's language.
    const picked = [polish[0]!, polish[1]!, latvian];
    const before = received(bot, 720).length;
    const decided = await api.post('/decisions', { applications: picked, decision: 'accepted' });
    expect(decided.status).toBe(200);
    expect(decided.body.decisions).toHaveLength(3);
    expect(decided.body.decisions.every((d: { state: string }) => d.state === 'waiting')).toBe(true);
    const ilze = decided.body.decisions.find((d: { applicationId: number }) => d.applicationId === latvian);
    expect(ilze.language).toBe('Latviešu');
    expect(received(bot, 720)).toHaveLength(before);

    // The coordinator rewrites one message and undoes nothing else; text is sent as written, not as HTML.
    const edited = await api.put(`/decisions/${decided.body.decisions[0].id}/message`, { message: 'Welcome aboard, <b>friend</b>!' });
    expect(edited.body.decision.message).toBe('Welcome aboard, <b>friend</b>!');
    expect((await api.put(`/decisions/${decided.body.decisions[0].id}/message`, { message: '  ' })).status).toBe(422);

    const sent = await api.post('/decisions/send', { decisions: decided.body.decisions.map((d: { id: number }) => d.id) });
    expect(sent.status).toBe(200);
    expect(sent.body.message).toContain('Sent: 3');
    await expect.poll(() => bot.user({ id: 710 }).lastBotText()).toBe('Welcome aboard, <b>friend</b>!');
    expect(received(bot, 711).at(-1)).toContain('Polish Applicant 1');
    expect(received(bot, 720).at(-1)).toContain('Ilze Ozola');
    expect(await bot.app.deps.db.mentor.count()).toBe(3);
    // Sent is final: undo has nothing left to take back.
    expect((await api.post('/decisions/undo', { decisions: decided.body.decisions.map((d: { id: number }) => d.id) })).status).toBe(409);
    const actions = (await bot.app.deps.db.auditEntry.findMany({ orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['application_decide', 'application_message', 'application_send']));

    // Undo before sending: the applicant hears nothing.
    const heard = received(bot, 712).length;
    const shortlist = await api.post('/decisions', { applications: [polish[2]!], decision: 'shortlisted' });
    expect((await api.post('/decisions/undo', { decisions: [shortlist.body.decisions[0].id] })).status).toBe(200);
    expect((await api.post('/decisions/send', { decisions: [shortlist.body.decisions[0].id] })).status).toBe(409);
    expect(received(bot, 712)).toHaveLength(heard);
    expect((await api.get(`/applications/${polish[2]}`)).body.status).toBe('new');
    // An accepted-and-told application cannot be decided again.
    const again = await api.post('/decisions', { applications: [latvian], decision: 'rejected' });
    expect([again.status, again.body.skipped[0].reason]).toEqual([409, 'The applicant has already been told they are accepted; that decision is final.']);
  });

  it('shows the matching board with each criterion’s points, pins, proposes and publishes, and tells the pair', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const api = consoleApi(bot, await startCoordinator(bot));
    const { db } = bot.app.deps;
    await seedMentor(db, { name: 'Olga Best', telegramId: 801, themes: ['grant_funding', 'international_projects'], languages: ['uk', 'en'], country: 'Poland', city: 'Lublin' });
    const petr = await seedMentor(db, { name: 'Petr Second', telegramId: 802, themes: ['grant_funding'], languages: ['uk'], country: 'Ukraine', city: 'Lviv' });
    const team = await seedTeam(db, { name: 'Bucha', themes: ['grant_funding', 'international_projects'], languages: ['uk'], members: [{ name: 'Oksana Member', telegramId: 811 }] });
    await seedTeam(db, { name: 'Not Ready', needsStatus: 'draft' });

    const board = await api.get('/matching');
    expect(board.body.teams.map((t: { name: string; state: string }) => [t.name, t.state])).toEqual([['Bucha', 'ready'], ['Not Ready', 'not_ready']]);
    const top = await api.get(`/matching/teams/${team.id}`);
    expect(top.body.candidates.map((c: { name: string }) => c.name)).toEqual(['Olga Best', 'Petr Second']);
    const best = top.body.candidates[0];
    const labels = best.criteria.map((c: { label: string }) => c.label);
    expect(labels).toEqual(['Themes matched', 'Working language', 'Governance context', 'Size of municipality', 'Own municipality', 'Availability', 'Capacity left']);
    const points = best.criteria.filter((c: { points: string | null }) => c.points !== null).reduce((sum: number, c: { points: string }) => sum + Number(c.points), 0);
    expect(points).toBeCloseTo(Number(best.score), 1);
    expect(best.criteria[0].detail).toContain('Grant writing and funding');
    expect(best.criteria[6].detail).toBe('1 of 1 places free');

    // Pin the second-best mentor: the proposal follows the pin; nothing is published yet.
    const pinned = await api.post('/matching/constraints', { action: 'pin', mentorId: petr.id, teamId: team.id });
    expect(pinned.body.message).toContain('Petr Second');
    const proposal = await api.get('/matching/proposal');
    expect(proposal.body.proposed.map((p: { mentor: string; pinned: boolean }) => [p.mentor, p.pinned])).toEqual([['Petr Second', true]]);
    expect(proposal.body.current).toEqual([]);
    expect(await db.pair.count()).toBe(0);
    expect((await api.post('/matching/constraints', { action: 'sit', mentorId: petr.id, teamId: team.id })).status).toBe(422);
    expect((await api.post('/matching/publish', { fingerprint: 'x'.repeat(16) })).status).toBe(409);

    const published = await api.post('/matching/publish', { fingerprint: proposal.body.fingerprint });
    expect(published.status).toBe(200);
    expect(published.body.published.map((p: { team: string; mentor: string }) => [p.team, p.mentor])).toEqual([['Bucha', 'Petr Second']]);
    await expect.poll(() => received(bot, 802).join('\n')).toContain('Bucha');
    expect(received(bot, 811).join('\n')).toContain('Petr Second');
    expect(received(bot, 801)).toEqual([]);
    const after = await api.get('/matching/proposal');
    expect(after.body.current.map((p: { team: string; mentor: string }) => [p.team, p.mentor])).toEqual([['Bucha', 'Petr Second']]);
    expect((await db.auditEntry.findMany()).map((e) => e.action)).toEqual(expect.arrayContaining(['match.pin', 'match.publish']));
  });

  it('shows the dashboard with the pairs gone quiet, the /report chart, and sends the export into the chat', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const api = consoleApi(bot, await startCoordinator(bot));
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2025-09-01T10:00:00Z') });
    await bot.app.deps.db.mentoringLog.create({ data: { pairId: seeded.irpinPairId, date: '2025-11-05', amount: 1, activity: 'online_session', mentorPersonId: seeded.jan.person.id, createdAt: new Date('2025-11-05T12:00:00Z') } });
    const dashboard = await api.get('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.month).toBe('2025-11');
    expect(dashboard.body.pairs.map((p: { team: string }) => p.team)).toEqual(['Bucha', 'Irpin']);
    const irpin = dashboard.body.pairs.find((p: { team: string }) => p.team === 'Irpin');
    expect(irpin.months.at(-1)).toEqual({ days: '1', target: '2', met: false });
    expect(irpin.lastActivity).toBe('05.11.2025');
    expect(dashboard.body.quiet.map((p: { team: string; quietDays: number }) => [p.team, p.quietDays])).toEqual([['Bucha', 69]]);
    expect((await api.get('/dashboard?month=2030-01')).status).toBe(422);

    const chart = await api.get('/dashboard/chart');
    expect(chart.status).toBe(200);
    expect(Buffer.from(chart.body.png, 'base64').subarray(1, 4).toString()).toBe('PNG');

    const exported = await api.post('/export', { format: 'csv' });
    expect(exported.status).toBe(200);
    const files = bot.api.callsOf('sendDocument').filter((c) => Number(c.payload.chat_id) === COORDINATOR_ID);
    expect(files.length).toBeGreaterThan(1);
    expect((await api.post('/export', { format: 'pdf' })).status).toBe(422);
  });

  it('puts the console on coordinators’ menu button and under /applications, /match, /progress and /report, only with PUBLIC_URL', async () => {
    const menuOf = (bot: TestBot, chatId: number) =>
      bot.api.callsOf('setChatMenuButton').filter((c) => Number(c.payload.chat_id) === chatId).map((c) => c.payload.menu_button as { type: string; web_app?: { url: string }; text?: string });
    const webButtons = (bot: TestBot, chatId: number) =>
      bot.api.callsOf('sendMessage')
        .filter((c) => Number(c.payload.chat_id) === chatId)
        .flatMap((c) => ((c.payload.reply_markup as { inline_keyboard?: Array<Array<{ web_app?: { url: string } }>> } | undefined)?.inline_keyboard ?? []).flat())
        .flatMap((b) => (b.web_app ? [b.web_app.url] : []));

    const bot = await startTestBot({ env, clock: clock() });
    await startCoordinator(bot);
    expect(menuOf(bot, COORDINATOR_ID).at(-1)).toEqual({ type: 'web_app', text: 'Console', web_app: { url: 'https://citymentor.example.org/app/console/' } });
    const maria = bot.user({ id: 63, first_name: 'Maria', language_code: 'uk' });
    await maria.send('/start');
    expect(menuOf(bot, 63)).toEqual([]);
    const admin = bot.user({ id: COORDINATOR_ID });
    for (const command of ['/applications', '/match', '/report']) await admin.send(command);
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2025-09-01T10:00:00Z') });
    await admin.send('/progress');
    expect(webButtons(bot, COORDINATOR_ID)).toEqual(['applications', 'matching', 'dashboard', 'dashboard'].map((tab) => `https://citymentor.example.org/app/console/?tab=${tab}`));
    await admin.send('/grant 63');
    expect(menuOf(bot, 63).at(-1)).toMatchObject({ type: 'web_app', text: 'Консоль' });
    await admin.send('/revoke 63');
    expect(menuOf(bot, 63).at(-1)).toEqual({ type: 'default' });
    expect(webButtons(bot, 63)).toEqual([]);

    // Without PUBLIC_URL: no menu button, no console button, and the chat works as before.
    const plain = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: clock() });
    const coordinator = plain.user({ id: COORDINATOR_ID });
    await coordinator.send('/start');
    await coordinator.send('/applications');
    expect(plain.api.callsOf('setChatMenuButton')).toEqual([]);
    expect(webButtons(plain, COORDINATOR_ID)).toEqual([]);
  });

  it('lists a programme with more applications than one database query can name (1,200), as the chat review does', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const api = consoleApi(bot, await startCoordinator(bot));
    const { db } = bot.app.deps;
    const programmeId = (await db.programme.findFirstOrThrow()).id;
    const at = new Date('2025-11-01T10:00:00Z');
    await db.person.createMany({ data: Array.from({ length: 1_200 }, (_, k) => ({ telegramId: BigInt(40_000 + k), firstName: `P${k}`, language: 'en' })) });
    const people = await db.person.findMany({ where: { telegramId: { gte: 40_000n } } });
    await db.formResponse.createMany({ data: people.map((p) => ({ programmeId, formId: 'application', ownerKey: `person:${p.id}`, status: 'submitted', submittedAt: at })) });
    const list = await api.get('/applications?size=200&page=2');
    expect([list.status, list.body.total, list.body.rows.length, list.body.page]).toEqual([200, 1200, 200, 2]);
    expect((await bot.user({ id: COORDINATOR_ID }).send('/applications')).text).toContain("1200");
  });
});

