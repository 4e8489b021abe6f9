import { describe, expect, it } from 'vitest';
import { answerHistory } from '../src/db/form-responses.js';
import { COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';
import { baseUrl, callApi, initDataFor, pageButtonUrl, webEnv } from './support/web.js';
import { joinTeam, registerTeam } from './support/teams.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };

describe('forms as pages (API)', () => {
  it('are off without PUBLIC_URL: no page button, no HTTP server in polling mode', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 501 });
    await mentor.send('/apply');
    expect(pageButtonUrl(mentor)).toBeUndefined();
    expect(bot.app.httpPort).toBeUndefined();
  });

  it('take half an application in chat and the rest on the page, submit it there, and send the receipt to the chat', async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv }, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 502, first_name: 'Anna', language_code: 'en' };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const url = new URL(pageButtonUrl(mentor)!);
    expect(url.origin + url.pathname).toBe('https://citymentor.example.org/app/');
    const responseId = Number(url.searchParams.get('r'));
    await mentor.send('Anna Kowalska');
    await mentor.send('anna@example.org');
    await mentor.pressCallback('f|k|phone|');

    const auth = initDataFor(bot, profile);
    const opened = await callApi(bot, 'GET', `/responses/${responseId}`, auth);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.body.title).toBeTruthy();
    const questions = opened.body.sections.flatMap((s: { questions: unknown[] }) => s.questions);
    expect(questions.find((q: { id: string }) => q.id === 'full_name').answer).toBe('Anna Kowalska');
    expect(questions.find((q: { id: string }) => q.id === 'phone').answer).toBeNull();
    expect(opened.body.canSubmit).toBe(false);

    // Validation as in chat, with the chat's message.
    const bad = await callApi(bot, 'PUT', `/responses/${responseId}/answers/experience_years`, auth, { value: '61' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('60');
    const put = (id: string, value: unknown) => callApi(bot, 'PUT', `/responses/${responseId}/answers/${id}`, auth, { value });
    for (const [id, value] of [
      ['country', 'Poland'],
      ['city', 'Gdańsk'],
      ['organisation', 'City hall'],
      ['position', 'Head of international relations'],
      ['expertise_areas', { choices: ['grant_funding'], other: 'Twinning' }],
      ['experience_years', '12'],
      ['experience_description', 'Twelve years of twinning projects.'],
      ['context_knowledge', 4],
      ['context_comment', null],
      ['cv', null],
      ['working_languages', { choices: ['uk', 'en'] }],
      ['english_level', 'C1'],
      ['ready_six_months', true],
      ['ready_to_travel', true],
      ['ready_for_meetings', true],
    ] as Array<[string, unknown]>) {
      const saved = await put(id, value);
      expect(saved.status, `${id}: ${JSON.stringify(saved.body)}`).toBe(200);
    }
    let view = (await callApi(bot, 'GET', `/responses/${responseId}`, auth)).body;
    for (const q of view.sections.flatMap((s: { questions: Array<{ id: string; answer?: unknown; required: boolean; type: string; options?: Array<{ value: unknown }> }> }) => s.questions)) {
      if (q.answer !== undefined) continue;
      const value = q.required ? (q.type === 'consent' ? true : q.options ? q.options[0]!.value : q.type === 'multiple_choice' ? { choices: [q.options![0]!.value] } : 'An answer') : null;
      const saved = await put(q.id, value);
      expect(saved.status, `${q.id}: ${JSON.stringify(saved.body)}`).toBe(200);
      view = saved.body;
    }
    expect(view.canSubmit).toBe(true);
    const submitted = await callApi(bot, 'POST', `/responses/${responseId}/submit`, auth);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    await expect.poll(() => mentor.lastBotText()).toContain('Thank you! Your application has been received.');
    expect(bot.user({ id: COORDINATOR_ID }).lastBotText()).toMatch(/New mentor application #\d+: Anna Kowalska/);
  });

  it('refuse a forged, expired or missing signature with 401 and write nothing', async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv }, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 503 };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const responseId = Number(new URL(pageButtonUrl(mentor)!).searchParams.get('r'));
    const good = initDataFor(bot, profile);
    const forged = good.replace(/hash=[0-9a-f]+/, `hash=${'0'.repeat(64)}`);
    const otherUser = good.replace(encodeURIComponent('"id":503'), encodeURIComponent('"id":504'));
    const expired = initDataFor(bot, profile, new Date(Date.now() - 25 * 60 * 60 * 1000));
    for (const auth of [forged, otherUser, expired, undefined, '']) {
      const write = await callApi(bot, 'PUT', `/responses/${responseId}/answers/full_name`, auth, { value: 'Mallory' });
      expect(write.status).toBe(401);
      // A code the page shows in the person's language; personal data is never cached, refusals included.
      expect(write.body).toEqual({ error: 'unauthorized' });
      expect(write.headers.get('cache-control')).toBe('no-store');
      expect((await callApi(bot, 'GET', `/responses/${responseId}`, auth)).status).toBe(401);
      expect((await callApi(bot, 'POST', `/responses/${responseId}/submit`, auth)).status).toBe(401);
    }
    expect(await bot.app.deps.db.formAnswer.count({ where: { responseId } })).toBe(0);
    expect((await callApi(bot, 'GET', `/responses/${responseId}`, good)).status).toBe(200);
  });

  it("refuse another person's response with 403, whatever ids the page sends", async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv }, clock: beforeDeadline() });
    await openCall(bot);
    const owner = bot.user({ id: 505 });
    await owner.send('/apply');
    const responseId = Number(new URL(pageButtonUrl(owner)!).searchParams.get('r'));
    const intruder = { id: 506 };
    await bot.user(intruder).send('/start');
    const auth = initDataFor(bot, intruder);
    const refused = await callApi(bot, 'GET', `/responses/${responseId}`, auth);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect((await callApi(bot, 'PUT', `/responses/${responseId}/answers/full_name`, auth, { value: 'Mallory', personId: 1 })).status).toBe(403);
    expect((await callApi(bot, 'POST', `/responses/${responseId}/submit`, auth)).status).toBe(403);
    // Nor can the chat be made to ask someone else's question.
    expect((await callApi(bot, 'POST', `/responses/${responseId}/ask/cv`, auth)).status).toBe(403);
    expect((await callApi(bot, 'POST', `/responses/${responseId}/ask/cv`, undefined)).status).toBe(401);
    // The owner may have only a file question asked in the chat.
    const ownerAuth = initDataFor(bot, { id: 505 });
    expect((await callApi(bot, 'POST', `/responses/${responseId}/ask/full_name`, ownerAuth)).status).toBe(404);
    expect((await callApi(bot, 'POST', `/responses/${responseId}/ask/cv`, ownerAuth)).status).toBe(200);
    expect(owner.lastBotText()).toContain('Please send your CV.');
    // Someone who never wrote to the bot has nothing to open either.
    expect((await callApi(bot, 'GET', `/responses/${responseId}`, initDataFor(bot, { id: 507 }))).status).toBe(403);
    expect((await callApi(bot, 'GET', `/responses/99999`, auth)).status).toBe(403);
    expect(await bot.app.deps.db.formAnswer.count({ where: { responseId } })).toBe(0);
  });

  it('let two team members answer one needs-analysis question on the page and in chat, keeping both in the history', async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv } });
    const { code } = await registerTeam(bot);
    const olenaProfile = { id: 511, first_name: 'Olena', language_code: 'en' };
    const petroProfile = { id: 512, first_name: 'Petro', language_code: 'en' };
    const olena = bot.user(olenaProfile);
    const petro = bot.user(petroProfile);
    await joinTeam(olena, code);
    await joinTeam(petro, code);
    await olena.send('/team');
    const responseId = Number(new URL(pageButtonUrl(olena)!).searchParams.get('r'));

    // Petro answers the first question in chat.
    await petro.send('/team');
    await petro.pressCallback('na|s|main');
    await petro.send('Too few people write grant applications.');
    await petro.pressCallback('f|d|challenges|');

    // Olena sees it on the page and changes it there.
    const auth = initDataFor(bot, olenaProfile);
    const opened = await callApi(bot, 'GET', `/responses/${responseId}`, auth);
    const challenges = opened.body.sections[0].questions.find((q: { id: string }) => q.id === 'challenges');
    expect(challenges.answer).toBe('Too few people write grant applications.');
    const changed = await callApi(bot, 'PUT', `/responses/${responseId}/answers/challenges`, auth, { value: 'We lack people who can write grant applications.' });
    expect(changed.status).toBe(200);

    const { db } = bot.app.deps;
    const olenaRow = await db.person.findFirstOrThrow({ where: { telegramId: 511n } });
    const petroRow = await db.person.findFirstOrThrow({ where: { telegramId: 512n } });
    const current = await db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'challenges' } });
    expect([JSON.parse(current.value), current.answeredById]).toEqual(['We lack people who can write grant applications.', olenaRow.id]);
    const history = await answerHistory(db, responseId, 'challenges');
    expect(history.map((h) => [JSON.parse(h.value), h.answeredById])).toEqual([['Too few people write grant applications.', petroRow.id]]);

    // Petro's page shows Olena's newer answer.
    const petroView = await callApi(bot, 'GET', `/responses/${responseId}`, initDataFor(bot, petroProfile));
    expect(petroView.body.sections[0].questions.find((q: { id: string }) => q.id === 'challenges').answer).toBe('We lack people who can write grant applications.');
  });

  it("keep one history entry per person's edit: a page saving as it is typed does not fill the history", async () => {
    const clock = new TestClock(new Date('2025-12-10T09:00:00Z'));
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv }, clock });
    const { code } = await registerTeam(bot);
    const olenaProfile = { id: 541, first_name: 'Olena', language_code: 'en' };
    const petroProfile = { id: 542, first_name: 'Petro', language_code: 'en' };
    await joinTeam(bot.user(olenaProfile), code);
    await joinTeam(bot.user(petroProfile), code);
    await bot.user(olenaProfile).send('/team');
    const responseId = Number(new URL(pageButtonUrl(bot.user(olenaProfile))!).searchParams.get('r'));
    const { db } = bot.app.deps;
    const olenaId = (await db.person.findFirstOrThrow({ where: { telegramId: 541n } })).id;
    const petroId = (await db.person.findFirstOrThrow({ where: { telegramId: 542n } })).id;
    const put = async (profile: { id: number }, value: string) => {
      const saved = await callApi(bot, 'PUT', `/responses/${responseId}/answers/challenges`, initDataFor(bot, profile), { value });
      expect(saved.status).toBe(200);
    };
    const history = async () => (await answerHistory(db, responseId, 'challenges')).map((h) => [JSON.parse(h.value), h.answeredById]);

    await put(petroProfile, 'No grant writers.');
    await put(olenaProfile, 'We lack');
    clock.advance(60_000);
    await put(olenaProfile, 'We lack grant writers.');
    // Olena's words on the way are one answer of hers; Petro's answer is kept.
    expect(await history()).toEqual([['No grant writers.', petroId]]);
    // Coming back to it later is a new answer, and so is a team mate's.
    clock.advance(11 * 60_000);
    await put(olenaProfile, 'We lack grant writers and translators.');
    await put(petroProfile, 'We lack grant writers, translators and time.');
    expect(await history()).toEqual([
      ['No grant writers.', petroId],
      ['We lack grant writers.', olenaId],
      ['We lack grant writers and translators.', olenaId],
    ]);
  });

  it('add a stakeholder from the page: the form is handed over on Submit and the chat is told', async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv } });
    const { code, id: teamId } = await registerTeam(bot);
    const profile = { id: 531, first_name: 'Olena', language_code: 'en' };
    const olena = bot.user(profile);
    await joinTeam(olena, code);
    await olena.send('/team');
    await olena.pressCallback('sh|list');
    await olena.pressCallback('sh|add');
    const responseId = Number(new URL(pageButtonUrl(olena)!).searchParams.get('r'));
    const auth = initDataFor(bot, profile);
    for (const [id, value] of [['name', 'Ivan Petrenko'], ['organisation', 'Youth centre'], ['role', 'Runs the volunteers']]) {
      expect((await callApi(bot, 'PUT', `/responses/${responseId}/answers/${id}`, auth, { value })).status).toBe(200);
    }
    const submitted = await callApi(bot, 'POST', `/responses/${responseId}/submit`, auth);
    expect(submitted.status).toBe(200);
    expect(submitted.body.locked).toBe(true);
    expect(await bot.app.deps.db.stakeholder.count({ where: { teamId } })).toBe(1);
    await expect.poll(() => olena.lastBotText()).toContain('Ivan Petrenko');
  });

  it('leave nothing lost when the page closes halfway: the chat goes on at the first unanswered question', async () => {
    const bot = await startTestBot({ env: { ...adminEnv, ...webEnv }, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 521 };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const responseId = Number(new URL(pageButtonUrl(mentor)!).searchParams.get('r'));
    const auth = initDataFor(bot, profile);
    await callApi(bot, 'PUT', `/responses/${responseId}/answers/full_name`, auth, { value: 'Ivan Franko' });
    await callApi(bot, 'PUT', `/responses/${responseId}/answers/email`, auth, { value: 'ivan@example.org' });
    // The chat had asked for the name; the next message there does not overwrite the page's answer.
    const next = await mentor.send('Something else');
    expect(next.text).toContain('phone');
    const stored = await bot.app.deps.db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'full_name' } });
    expect(JSON.parse(stored.value)).toBe('Ivan Franko');
    const again = await mentor.send('/apply');
    expect(again.text).toMatch(/phone/i);
  });

  it('serves the page with security headers and no inline script', async () => {
    const bot = await startTestBot({ env: webEnv });
    const response = await fetch(`${baseUrl(bot)}/app/?r=1`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script[^>]*>[^<]+<\/script>/);
    expect((await fetch(`${baseUrl(bot)}/health`)).status).toBe(200);
  });
});
