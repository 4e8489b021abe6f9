import { describe, expect, it } from 'vitest';
import { isAcceptedMentor, listAcceptedMentors } from '../src/db/mentors.js';
import { applicationStatus, checkDecision, type DecisionRecord } from '../src/domain/application-status.js';
import { findOrCreateResponse, personOwner, type ResponseStatus, saveAnswer, setResponseStatus } from '../src/db/form-responses.js';
import { currentProgramme } from '../src/db/programmes.js';
import { COORDINATOR_ID } from './support/application.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const NOT_COORDINATOR = "This is for the programme's coordinators only.";
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };
const clock = () => new TestClock(new Date('2025-11-10T09:00:00Z'));

/**
 * An application as the form engine stores it (answering all questions through the
 * bot for a dozen people would be slow); the applicant has opened the bot first.
 */
async function seedApplication(
  bot: TestBot,
  user: TelegramUser,
  answers: { name: string; expertise?: string[]; status?: ResponseStatus },
): Promise<number> {
  await user.send('/start');
  const { db } = bot.app.deps;
  const person = await db.person.findUniqueOrThrow({ where: { telegramId: BigInt(user.id) } });
  const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
  const response = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'application', ownerKey: personOwner(person.id) });
  const at = new Date('2025-11-09T10:00:00Z');
  const save = (questionId: string, value: string | { choices: string[] }) =>
    saveAnswer(db, { responseId: response.id, questionId, value, answeredById: person.id, at });
  await save('full_name', answers.name);
  await save('email', `${user.id}@example.org`);
  await save('expertise_areas', { choices: answers.expertise ?? ['international_cooperation'] });
  if (answers.status !== 'draft') await setResponseStatus(db, response.id, 'submitted', at);
  if (answers.status === 'withdrawn') await setResponseStatus(db, response.id, 'withdrawn', at);
  return response.id;
}

async function coordinatorOf(bot: TestBot): Promise<{ user: TelegramUser; personId: number }> {
  const user = bot.user({ id: COORDINATOR_ID, first_name: 'Iryna', last_name: 'Koval', language_code: 'en' });
  await user.send('/start');
  const person = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(COORDINATOR_ID) } });
  return { user, personId: person.id };
}

/** Messages the bot sent to this person. */
const received = (bot: TestBot, user: TelegramUser) =>
  bot.api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) === user.id && !c.error).map((c) => String(c.payload.text));

describe('an application’s status', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 10, 10, 9, minute));
  const decision = (id: number, kind: string, minute: number, state: Partial<DecisionRecord> = {}): DecisionRecord => ({
    id,
    decision: kind,
    decidedAt: at(minute),
    sentAt: null,
    undoneAt: null,
    ...state,
  });

  it('is the latest decision not undone, new without one, and withdrawn whatever was decided', () => {
    expect(applicationStatus('submitted', [])).toBe('new');
    expect(applicationStatus('submitted', [decision(1, 'shortlisted', 0), decision(2, 'accepted', 5)])).toBe('accepted');
    expect(applicationStatus('submitted', [decision(1, 'shortlisted', 0), decision(2, 'accepted', 5, { undoneAt: at(6) })])).toBe('shortlisted');
    expect(applicationStatus('submitted', [decision(1, 'rejected', 0, { undoneAt: at(1) })])).toBe('new');
    expect(applicationStatus('withdrawn', [decision(1, 'accepted', 0, { sentAt: at(1) })])).toBe('withdrawn');
  });

  it('allows a new decision unless withdrawn, the same, or an acceptance already told', () => {
    expect(checkDecision('submitted', [], 'accepted')).toBe('ok');
    expect(checkDecision('withdrawn', [], 'accepted')).toBe('withdrawn');
    expect(checkDecision('submitted', [decision(1, 'shortlisted', 0)], 'shortlisted')).toBe('unchanged');
    expect(checkDecision('submitted', [decision(1, 'accepted', 0)], 'rejected')).toBe('ok');
    expect(checkDecision('submitted', [decision(1, 'accepted', 0, { sentAt: at(1) })], 'rejected')).toBe('accepted_and_told');
    expect(checkDecision('submitted', [decision(1, 'rejected', 0, { sentAt: at(1) })], 'accepted')).toBe('ok');
  });
});

describe('the list of applications', () => {
  it('shows submitted and withdrawn applications ten to a page, by status and by expertise', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const ids: number[] = [];
    for (let i = 1; i <= 12; i++) {
      ids.push(
        await seedApplication(bot, bot.user({ id: 1000 + i }), {
          name: `Applicant ${String(i).padStart(2, '0')}`,
          expertise: i <= 2 ? ['grant_funding', 'project_management'] : ['international_cooperation'],
        }),
      );
    }
    await seedApplication(bot, bot.user({ id: 1013 }), { name: 'Withdrawn Person', status: 'withdrawn' });
    await seedApplication(bot, bot.user({ id: 1014 }), { name: 'Draft Person', status: 'draft' });

    const first = await coordinator.send('/applications');
    expect(first.text).toContain('All · any expertise — 13 in all');
    expect(first.text).toContain('Page 1 of 2');
    expect(first.text).toContain(`#${ids[0]}</b> Applicant 01 — 🆕 new · /application_${ids[0]}`);
    expect(first.text).toContain('Applicant 10');
    expect(first.text).not.toContain('Applicant 11');
    expect(first.text).not.toContain('Draft Person');
    expect(coordinator.buttons()).not.toContain('◀ Previous');

    const second = await coordinator.press('Next ▶');
    expect(second.text).toContain('Page 2 of 2');
    expect(second.text).toContain('Applicant 11');
    expect(second.text).toContain('Withdrawn Person — 🚪 withdrawn');
    expect(second.text).not.toContain('Applicant 10');
    expect(coordinator.buttons()).toContain('◀ Previous');

    const withdrawn = await coordinator.press('Withdrawn');
    expect(withdrawn.text).toContain('Withdrawn · any expertise — 1 in all');
    expect(withdrawn.text).toContain('Withdrawn Person');
    expect(coordinator.buttons()).toContain('✓ Withdrawn');

    await coordinator.press('New');
    await coordinator.press('🏷 Expertise: any expertise');
    const grants = await coordinator.press('Grant writing and funding');
    expect(grants.text).toContain('New · Grant writing and funding — 2 in all');
    expect(grants.text).toContain('Applicant 01');
    expect(grants.text).toContain('Applicant 02');
    expect(grants.text).not.toContain('Applicant 03');

    const nothing = await coordinator.press('Rejected');
    expect(nothing.text).toContain('No applications match this filter.');
  });
});

describe('deciding on one application', () => {
  it('records who decided and when, sends the standard text in the applicant’s language, and makes an accepted applicant a mentor', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator, personId: coordinatorId } = await coordinatorOf(bot);
    const agnieszka = bot.user({ id: 2001, first_name: 'Agnieszka', language_code: 'pl' });
    const id = await seedApplication(bot, agnieszka, { name: 'Agnieszka Nowak' });
    const { db } = bot.app.deps;
    const before = received(bot, agnieszka).length;

    const opened = await coordinator.send(`/application_${id}`);
    expect(opened.text).toContain('Agnieszka Nowak');
    expect(opened.text).toContain('Status: 🆕 new');
    expect(coordinator.buttons()).toEqual(['⭐ Shortlist', '✅ Accept', '❌ Reject']);

    const accepted = await coordinator.press('✅ Accept');
    expect(accepted.callbackAnswer).toBe('Recorded. It is not sent yet.');
    expect(accepted.text).toContain('Status: ✅ accepted (not sent yet)');
    expect(accepted.text).toContain('✅ accepted — Iryna Koval, 10.11.2025 11:00');
    expect(accepted.text).toContain('The applicant will get this message (Polski)');
    expect(accepted.text).toContain('Dzień dobry, Agnieszka Nowak!');
    const decision = await db.applicationDecision.findFirstOrThrow({ where: { responseId: id } });
    expect(decision).toMatchObject({ decision: 'accepted', decidedById: coordinatorId, decidedAt: new Date('2025-11-10T09:00:00Z'), sentAt: null });
    expect(received(bot, agnieszka).length).toBe(before);
    const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
    const applicant = await db.person.findUniqueOrThrow({ where: { telegramId: 2001n } });
    expect(await isAcceptedMentor(db, programme.id, applicant.id)).toBe(false);

    const sent = await coordinator.press('📨 Send');
    expect(sent.text).toContain('📨 Sent: 1.');
    expect(sent.text).toContain('Agnieszka Nowak is now a mentor of the programme. Teams they can take: 1');
    const told = received(bot, agnieszka).at(-1)!;
    expect(told).toContain('Dzień dobry, Agnieszka Nowak!');
    expect(told).toContain('Twoje zgłoszenie zostało przyjęte');
    expect(received(bot, agnieszka).length).toBe(before + 1);

    const mentor = await db.mentor.findUniqueOrThrow({ where: { applicationId: id } });
    expect(mentor).toMatchObject({ programmeId: programme.id, personId: applicant.id, capacity: 1, acceptedAt: new Date('2025-11-10T09:00:00Z') });
    expect(await isAcceptedMentor(db, programme.id, applicant.id)).toBe(true);
    expect((await listAcceptedMentors(db, programme.id)).map((m) => m.person.firstName)).toEqual(['Agnieszka']);
    expect((await db.applicationDecision.findUniqueOrThrow({ where: { id: decision.id } })).sentAt).toEqual(new Date('2025-11-10T09:00:00Z'));

    // The Undo button of the message as it was before sending: refused, nothing changes.
    const undo = await coordinator.pressData(`rv|undo|${decision.id}|${decision.id}|a`);
    expect(undo.callbackAnswer).toBe('This has already been sent to the applicant, so it can no longer be undone. Make a new decision instead.');
    expect((await db.applicationDecision.findUniqueOrThrow({ where: { id: decision.id } })).undoneAt).toBeNull();
    const again = await coordinator.pressData(`rv|send|${decision.id}|${decision.id}|a`);
    expect(again.callbackAnswer).toBe('This has already been sent or undone.');
    expect(received(bot, agnieszka).length).toBe(before + 1);

    // An acceptance that was sent is final.
    expect(coordinator.buttons()).toEqual(['➕ One team more']);
    const reject = await coordinator.pressData(`rv|d|r|${id}`);
    expect(reject.callbackAnswer).toBe('The applicant has already been told they are accepted; that decision is final.');

    const more = await coordinator.press('➕ One team more');
    expect(more.callbackAnswer).toBe('Teams this mentor can take: 2.');
    expect(more.text).toContain('Teams they can take: 2.');
    expect((await db.mentor.findUniqueOrThrow({ where: { applicationId: id } })).capacity).toBe(2);
    expect(coordinator.buttons()).toEqual(['➖ One team less', '➕ One team more']);
  });

  it('can be undone before sending, and the applicant is told nothing', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const olena = bot.user({ id: 2002, language_code: 'uk' });
    const id = await seedApplication(bot, olena, { name: 'Олена Бондар' });
    const before = received(bot, olena).length;

    await coordinator.send(`/application_${id}`);
    await coordinator.press('❌ Reject');
    const undone = await coordinator.press('↩️ Undo');
    expect(undone.callbackAnswer).toBe('Undone. The applicants were not told anything.');
    expect(undone.text).toContain('Status: 🆕 new');
    expect(undone.text).toContain('❌ rejected — Iryna Koval, 10.11.2025 11:00 (Kyiv time) — ↩️ undone');
    expect(coordinator.buttons()).toEqual(['⭐ Shortlist', '✅ Accept', '❌ Reject']);

    const decision = await bot.app.deps.db.applicationDecision.findFirstOrThrow({ where: { responseId: id } });
    expect(decision.undoneAt).toEqual(new Date('2025-11-10T09:00:00Z'));
    expect(decision.sentAt).toBeNull();
    // The Send button of the message as it was before undoing.
    const send = await coordinator.pressData(`rv|send|${decision.id}|${decision.id}|a`);
    expect(send.callbackAnswer).toBe('This has already been sent or undone.');
    expect(received(bot, olena).length).toBe(before);
    expect(await bot.app.deps.db.mentor.count()).toBe(0);
  });

  it('sends the coordinator’s own text instead of the standard one', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const jan = bot.user({ id: 2003, language_code: 'pl' });
    const id = await seedApplication(bot, jan, { name: 'Jan Kowalski' });

    await coordinator.send(`/application_${id}`);
    await coordinator.press('⭐ Shortlist');
    await coordinator.press('✏️ My own text');
    expect((await coordinator.send('/cancel')).text).toBe('Stopped. Nothing you had already answered is lost.');
    expect((await coordinator.send('Not meant as the message')).text).toContain('I did not understand');

    const prompt = await coordinator.press('✏️ My own text');
    expect(prompt.text).toContain(`Send the message for Jan Kowalski (#${id}) exactly as they should get it`);
    expect((await coordinator.sendSticker()).text).toBe('Please send the message as text.');
    expect((await coordinator.send('x'.repeat(2501))).text).toBe('That is 2501 characters; the limit is 2500. Please shorten it.');
    const saved = await coordinator.send('Dear Jan, could we talk on Friday at 10:00? <Iryna>');
    expect(saved.texts[0]).toBe('Your text is saved. Press Send when ready.');
    expect(coordinator.lastBotText()).toContain('The applicant will get this message (Polski):\nDear Jan, could we talk on Friday at 10:00? <Iryna>');

    await coordinator.press('📨 Send');
    expect(jan.lastBotText()).toBe('Dear Jan, could we talk on Friday at 10:00? <Iryna>');
    expect(received(bot, jan).some((t) => t.includes('krótkiej liście'))).toBe(false);
    // The wait for a text is over: the next message is not taken as one.
    expect((await coordinator.send('hello')).text).toContain('I did not understand');
  });
});

describe('sending decisions', () => {
  it('keeps a decision that could not be delivered for a passing reason, and stands by one for someone who blocked the bot', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const blocked = bot.user({ id: 2051, language_code: 'en' });
    const flaky = bot.user({ id: 2052, language_code: 'en' });
    const blockedId = await seedApplication(bot, blocked, { name: 'Blocked Person' });
    const flakyId = await seedApplication(bot, flaky, { name: 'Flaky Connection' });
    bot.api.blocked.add(blocked.id);
    bot.api.fail('sendMessage', { kind: 'status', status: 400, description: 'Bad Request: chat not found' }, { chatId: flaky.id });

    await coordinator.send('/applications');
    await coordinator.press('☑️ Choose several');
    await coordinator.press('Choose all');
    await coordinator.press('✅ Accept (2)');
    const sent = await coordinator.press('📨 Send');
    expect(sent.text).toContain('📨 Sent: 0.');
    expect(sent.text).toContain(`Blocked Person (#${blockedId}) has blocked the bot, so the message did not reach them.`);
    expect(sent.text).toContain(`Could not send to Flaky Connection (#${flakyId}) just now.`);
    const { db } = bot.app.deps;
    expect((await db.applicationDecision.findFirstOrThrow({ where: { responseId: blockedId } })).sentAt).not.toBeNull();
    expect((await db.applicationDecision.findFirstOrThrow({ where: { responseId: flakyId } })).sentAt).toBeNull();
    expect((await db.mentor.findMany()).map((m) => m.applicationId)).toEqual([blockedId]);
    const view = coordinator.botMessages().map((m) => (m as { text?: string }).text ?? '').findLast((t) => t.startsWith('✅ Accepted'));
    expect(view).toContain(`#${blockedId} Blocked Person (English) — 📨 sent 10.11.2025 11:00 (Kyiv time)`);
    expect(view).toContain(`#${flakyId} Flaky Connection (English) — ⏳ not sent yet`);
    expect(coordinator.buttons()).toContain('📨 Send');

    const retried = await coordinator.press('📨 Send');
    expect(retried.text).toContain('📨 Sent: 1.');
    expect(flaky.lastBotText()).toContain('Your application has been accepted');
    expect(await db.mentor.count()).toBe(2);
  });

  it('replaces a decision not yet sent, and drops one whose application was withdrawn meanwhile', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const first = bot.user({ id: 2061, language_code: 'en' });
    const second = bot.user({ id: 2062, language_code: 'en' });
    const firstId = await seedApplication(bot, first, { name: 'Changed Mind' });
    const secondId = await seedApplication(bot, second, { name: 'Gone Away' });

    await coordinator.send(`/application_${firstId}`);
    await coordinator.press('⭐ Shortlist');
    const replaced = await coordinator.press('✅ Accept');
    expect(replaced.text).toContain('Status: ✅ accepted (not sent yet)');
    expect(replaced.text).toContain('⭐ shortlisted — Iryna Koval, 10.11.2025 11:00 (Kyiv time) — ↩️ undone');
    await coordinator.press('📨 Send');
    expect(received(bot, first).filter((t) => t.includes('shortlisted'))).toEqual([]);
    expect(first.lastBotText()).toContain('Your application has been accepted');

    await coordinator.send(`/application_${secondId}`);
    await coordinator.press('❌ Reject');
    await setResponseStatus(bot.app.deps.db, secondId, 'withdrawn', new Date('2025-11-10T09:30:00Z'));
    const dropped = await coordinator.press('📨 Send');
    expect(dropped.text).toContain(`Gone Away (#${secondId}) withdrew the application meanwhile, so that decision was dropped.`);
    expect(dropped.text).toContain('Status: 🚪 withdrawn');
    expect(received(bot, second).some((t) => t.includes('unable to offer'))).toBe(false);
  });
});

describe('deciding on several applications at once', () => {
  it('accepts the chosen ones and tells each in their own language when sent', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator, personId: coordinatorId } = await coordinatorOf(bot);
    const ilze = bot.user({ id: 2011, language_code: 'lv' });
    const petro = bot.user({ id: 2012, language_code: 'uk' });
    const anna = bot.user({ id: 2013, language_code: 'en' });
    const ilzeId = await seedApplication(bot, ilze, { name: 'Ilze Ozola' });
    const petroId = await seedApplication(bot, petro, { name: 'Петро Шевченко' });
    const annaId = await seedApplication(bot, anna, { name: 'Anna Smith' });

    await coordinator.send('/applications');
    await coordinator.press('☑️ Choose several');
    await coordinator.press(`⬜ #${ilzeId} Ilze Ozola`);
    const chosen = await coordinator.press(`⬜ #${petroId} Петро Шевченко`);
    expect(chosen.text).toContain(`☑️ <b>#${ilzeId}</b> Ilze Ozola`);
    expect(coordinator.buttons()).toContain(`☑️ #${petroId} Петро Шевченко`);
    const accepted = await coordinator.press('✅ Accept (2)');
    expect(accepted.callbackAnswer).toBe('Recorded. It is not sent yet.');
    expect(accepted.text).toContain('✅ Accepted');
    expect(accepted.text).toContain(`<b>#${ilzeId}</b> Ilze Ozola (Latviešu) — ⏳ not sent yet`);
    expect(accepted.text).toContain(`<b>#${petroId}</b> Петро Шевченко (Українська) — ⏳ not sent yet`);
    expect(accepted.text).toContain('Decided by Iryna Koval, 10.11.2025 11:00');
    expect(accepted.text).toContain('Each applicant gets the standard message in their own language');
    // The list behind it shows the new status.
    expect(accepted.text).toContain('Ilze Ozola — ✅ accepted (not sent yet)');

    const decisions = await bot.app.deps.db.applicationDecision.findMany({ orderBy: { id: 'asc' } });
    expect(decisions.map((d) => [d.responseId, d.decision, d.decidedById])).toEqual([
      [ilzeId, 'accepted', coordinatorId],
      [petroId, 'accepted', coordinatorId],
    ]);

    const sent = await coordinator.press('📨 Send');
    expect(sent.text).toContain('📨 Sent: 2.');
    expect(received(bot, ilze).at(-1)).toContain('Jūsu pieteikums ir apstiprināts');
    expect(received(bot, petro).at(-1)).toContain('вашу заявку прийнято');
    expect(received(bot, anna).some((t) => t.includes('accepted'))).toBe(false);
    expect((await bot.app.deps.db.mentor.findMany()).map((m) => m.applicationId).sort()).toEqual([ilzeId, petroId].sort());
    expect(annaId).toBeGreaterThan(0);

    // The pending list is empty now; a fresh selection cannot pick the accepted ones again.
    await coordinator.send('/applications');
    expect(coordinator.buttons()).not.toContain('📨 Not sent yet: 2');
    await coordinator.press('☑️ Choose several');
    expect(coordinator.buttons()).not.toContain(`⬜ #${ilzeId} Ilze Ozola`);
    expect(coordinator.buttons()).toContain(`⬜ #${annaId} Anna Smith`);
  });

  it('shows decisions waiting to be sent, and starts again when the page changed meanwhile', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const a = await seedApplication(bot, bot.user({ id: 2021 }), { name: 'First Applicant' });
    await seedApplication(bot, bot.user({ id: 2022 }), { name: 'Second Applicant' });

    await coordinator.send('/applications');
    await coordinator.press('☑️ Choose several');
    await coordinator.press(`⬜ #${a} First Applicant`);
    const selectionButtons = coordinator.buttons();
    // Meanwhile a third application arrives on the same page.
    await seedApplication(bot, bot.user({ id: 2023 }), { name: 'Third Applicant' });
    const changed = await coordinator.press('⭐ Shortlist (1)');
    expect(changed.callbackAnswer).toBe('The list has changed meanwhile. Please choose again.');
    expect(await bot.app.deps.db.applicationDecision.count()).toBe(0);
    expect(selectionButtons).toContain(`☑️ #${a} First Applicant`);

    await coordinator.press(`⬜ #${a} First Applicant`);
    await coordinator.press('⭐ Shortlist (1)');
    await coordinator.send('/applications');
    const pending = await coordinator.press('📨 Not sent yet: 1');
    expect(pending.text).toContain('⭐ Shortlisted');
    expect(pending.text).toContain(`<b>#${a}</b> First Applicant (English) — ⏳ not sent yet`);
  });
});

describe('only coordinators review applications', () => {
  it('refuses every review command and button to anyone else, and nothing changes', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    const applicant = bot.user({ id: 2031, language_code: 'en' });
    const id = await seedApplication(bot, applicant, { name: 'Maria Applicant' });
    const other = await seedApplication(bot, bot.user({ id: 2032 }), { name: 'Mark Applicant' });
    // A decision waiting and a mentor, for the buttons that act on them.
    await coordinator.send(`/application_${other}`);
    await coordinator.press('✅ Accept');
    await coordinator.press('📨 Send');
    await coordinator.send(`/application_${id}`);
    await coordinator.press('⭐ Shortlist');
    const { db } = bot.app.deps;
    const pending = await db.applicationDecision.findFirstOrThrow({ where: { responseId: id } });
    const snapshot = async () => ({
      decisions: await db.applicationDecision.findMany({ orderBy: { id: 'asc' } }),
      mentors: await db.mentor.findMany(),
      audit: await db.auditEntry.count(),
    });
    const before = await snapshot();

    const stranger = bot.user({ id: 2099, language_code: 'en' });
    await stranger.send('/start');
    for (const command of ['/applications', `/application_${id}`, '/audit']) {
      expect((await stranger.send(command)).text).toBe(NOT_COORDINATOR);
    }
    const buttons = [
      'rv|l|a|-|0',
      'rv|e|a|-|0',
      'rv|s|a|-|0|1|abcdef',
      'rv|b|y|a|-|0|1|abcdef',
      `rv|d|y|${id}`,
      `rv|d|r|${id}`,
      `rv|send|${pending.id}|${pending.id}|a`,
      `rv|undo|${pending.id}|${pending.id}|b`,
      `rv|text|${pending.id}|${pending.id}|a`,
      'rv|p',
      `rv|cap|${other}|up`,
      'rv|nonsense',
      'au|1',
    ];
    for (const data of buttons) {
      expect((await stranger.pressData(data)).callbackAnswer, data).toBe(NOT_COORDINATOR);
    }
    // Nothing waits for the stranger's text either.
    expect((await stranger.send('Please accept me')).text).toContain('I did not understand');
    expect(await snapshot()).toEqual(before);
    expect(received(bot, applicant).some((t) => t.includes('shortlisted'))).toBe(false);
  });

  it('answers forged or outdated buttons clearly', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const { user: coordinator } = await coordinatorOf(bot);
    await seedApplication(bot, bot.user({ id: 2041 }), { name: 'Someone' });
    for (const data of ['rv|d|y|999999', 'rv|send|999|999|a', 'rv|cap|1|up', 'rv|s|a|-|0|zzz|abcdef', 'rv|x']) {
      expect((await coordinator.pressData(data)).callbackAnswer, data).toBe('This button is no longer active.');
    }
    expect((await coordinator.send('/application_999')).text).toBe('There is no submitted application #999.');
    expect((await coordinator.pressData('rv|p')).callbackAnswer).toBe('No decision is waiting to be sent.');
  });
});
