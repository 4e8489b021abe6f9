import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const adminEnv = { ADMIN_IDS: String(COORDINATOR) };
const TEXT = 'Dear all, the forum is on Friday <10:00> & lunch is included.';

/** People as other features leave them: applicants, mentors, teams and pairs. Returns Telegram ids by group. */
async function seedProgramme(db: Database, options: { extraTeamMembers?: number } = {}) {
  const programme = await db.programme.findFirstOrThrow();
  const person = (telegramId: number, language = 'en') =>
    db.person.create({ data: { telegramId: BigInt(telegramId), firstName: `P${telegramId}`, language } });
  const applicants = [1001, 1002, 1003, 1004, 1005];
  const applicantPeople = [];
  for (const [i, id] of applicants.entries()) {
    const p = await person(id, i === 1 ? 'uk' : 'en');
    applicantPeople.push(p);
    await db.formResponse.create({
      data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${p.id}`, status: 'submitted', submittedAt: new Date() },
    });
  }
  // A draft is not an application yet.
  const drafter = await person(1009);
  await db.formResponse.create({ data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${drafter.id}` } });
  const responses = await db.formResponse.findMany({ where: { status: 'submitted' }, orderBy: { id: 'asc' } });
  const mentorA = await db.mentor.create({
    data: { programmeId: programme.id, personId: applicantPeople[0]!.id, applicationId: responses[0]!.id, acceptedAt: new Date() },
  });
  const mentorB = await db.mentor.create({
    data: { programmeId: programme.id, personId: applicantPeople[1]!.id, applicationId: responses[1]!.id, acceptedAt: new Date() },
  });
  const teamMembers = [2001, 2002, 2003, ...Array.from({ length: options.extraTeamMembers ?? 0 }, (_, i) => 3000 + i)];
  const teamA = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
  const teamB = await db.team.create({ data: { programmeId: programme.id, name: 'Irpin', country: 'Ukraine', createdById: 1 } });
  for (const [i, id] of teamMembers.entries()) {
    const p = await person(id);
    await db.teamMember.create({ data: { teamId: i === 2 || i > 3 ? teamB.id : teamA.id, personId: p.id } });
  }
  await db.pair.create({ data: { programmeId: programme.id, mentorId: mentorA.id, teamId: teamA.id, createdById: 1, publishedAt: new Date() } });
  await db.pair.create({
    data: { programmeId: programme.id, mentorId: mentorB.id, teamId: teamB.id, status: 'ended', createdById: 1, publishedAt: new Date(), endedAt: new Date() },
  });
  return { applicants, mentors: [1001, 1002], teamMembers, activePairs: [1001, 2001, 2002], everyone: [...applicants, ...teamMembers] };
}

const deliveredTo = (bot: TestBot, chatId: number) =>
  bot.api.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId && !c.error);
const broadcastCalls = (bot: TestBot, text = TEXT) =>
  bot.api.calls.filter((c) => c.method === 'sendMessage' && !c.error && messageText(c) === text);
const messageText = (call: ApiCall) => (call.result as { text?: string } | undefined)?.text;

async function waitForReport(bot: TestBot, nth = 1): Promise<string> {
  const reports = () => deliveredTo(bot, COORDINATOR).filter((c) => String(c.payload.text).includes('Delivery report'));
  await bot.api.waitFor(() => reports().length >= nth, 30_000);
  return messageText(reports()[nth - 1]!)!;
}

async function startBroadcast(bot: TestBot, audienceButton: RegExp, text = TEXT) {
  const coordinator = bot.user({ id: COORDINATOR });
  await coordinator.send('/start');
  await coordinator.send('/broadcast');
  await coordinator.press(audienceButton);
  return { coordinator, preview: await coordinator.send(text) };
}

describe('/broadcast', () => {
  it('offers audiences with their sizes, previews, and sends each recipient the text once, then reports', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const people = await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');

    const menu = await coordinator.send('/broadcast');
    expect(menu.text).toContain('Who should receive it?');
    expect(coordinator.buttons()).toEqual([
      'Applicants (5)',
      'Mentors (2)',
      'Mentee teams (3)',
      'Active pairs (3)',
      'Everyone in the programme (8)',
    ]);

    const asked = await coordinator.press('Everyone in the programme (8)');
    expect(asked.text).toContain('Now send me the text of the message');
    await coordinator.send(TEXT);
    expect(coordinator.lastBotText()).toContain('Preview — to Everyone in the programme, 8 recipients.');
    expect(coordinator.lastBotText()).toContain(TEXT);
    expect(broadcastCalls(bot)).toHaveLength(0);

    const confirmed = await coordinator.press('Send to 8');
    expect(confirmed.text).toContain('Sending now. Recipients: 8 (Everyone in the programme).');
    expect(confirmed.text).toContain('You will get a delivery report when it is done.');

    const report = await waitForReport(bot);
    for (const id of people.everyone) expect(deliveredTo(bot, id).filter((c) => messageText(c) === TEXT), `chat ${id}`).toHaveLength(1);
    expect(broadcastCalls(bot)).toHaveLength(8);
    expect(report).toContain('Recipients: 8\nDelivered: 8\nBlocked the bot: 0\nNot delivered: 0');
    expect(report).toContain('for your broadcast “Dear all, the forum is on Friday <10:00> & lunch is incl');

    // Pressing Send again on the old preview sends nothing more.
    const again = await coordinator.pressData(`bc|ok|${(await bot.app.deps.db.broadcast.findFirstOrThrow()).id}`);
    expect(again.callbackAnswer).toBe('This broadcast has already been sent.');
    await bot.api.settle(400);
    expect(broadcastCalls(bot)).toHaveLength(8);
    expect(await bot.app.deps.db.auditEntry.findMany({ where: { action: 'broadcast.confirm' } })).toHaveLength(1);
  });

  it('reaches only the chosen group: active pairs are the mentor and the team, not ended pairs', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const people = await seedProgramme(bot.app.deps.db);
    const { coordinator, preview } = await startBroadcast(bot, /^Active pairs/, 'Pairs only');
    expect(preview.text).toContain('3 recipients');
    await coordinator.press('Send to 3');
    await waitForReport(bot);
    const reached = bot.api.calls.filter((c) => c.method === 'sendMessage' && messageText(c) === 'Pairs only').map((c) => Number(c.payload.chat_id));
    expect(reached.sort()).toEqual(people.activePairs.sort());
  });

  it('sends the coordinator’s words as they wrote them, never as formatting', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const { coordinator } = await startBroadcast(bot, /^Mentors/, '<b>not bold</b>');
    await coordinator.press('Send to 2');
    await waitForReport(bot);
    const sent = bot.api.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === 1002 && !c.error);
    expect(messageText(sent[0]!)).toBe('<b>not bold</b>');
  });

  it('skips people who blocked the bot, marks those who turn out to have, and counts both in the report', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    await bot.app.deps.db.person.update({ where: { telegramId: 1003n }, data: { blockedAt: new Date() } });
    bot.api.blocked.add(2001);
    bot.api.fail('sendMessage', { kind: 'status', status: 400, description: 'Bad Request: chat not found' }, { chatId: 2003, times: 10 });

    const { coordinator, preview } = await startBroadcast(bot, /^Everyone/);
    expect(preview.text).toContain('8 recipients');
    expect(preview.text).toContain('Blocked the bot, so they will be skipped: 1.');
    const confirmed = await coordinator.press('Send to 7');
    expect(confirmed.text).toContain('Blocked the bot, so skipped: 1.');
    const report = await waitForReport(bot);
    expect(report).toContain('Recipients: 8\nDelivered: 5\nBlocked the bot: 2\nNot delivered: 1');
    expect(bot.api.calls.filter((c) => Number(c.payload.chat_id) === 1003 && c.method === 'sendMessage')).toHaveLength(0);
    const marked = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: 2001n } });
    expect(marked.blockedAt).toBeInstanceOf(Date);

    // The next broadcast does not even try the person who blocked the bot.
    const attemptsBefore = bot.api.calls.filter((c) => Number(c.payload.chat_id) === 2001).length;
    await coordinator.send('/broadcast');
    await coordinator.press(/^Everyone/);
    const second = await coordinator.send('Second message');
    expect(second.text).toContain('Blocked the bot, so they will be skipped: 2.');
    await coordinator.press('Send to 6');
    const secondReport = await waitForReport(bot, 2);
    expect(secondReport).toContain('Delivered: 5\nBlocked the bot: 2\nNot delivered: 1');
    expect(bot.api.calls.filter((c) => Number(c.payload.chat_id) === 2001).length).toBe(attemptsBefore);
  });

  it('waits out a 429 and delivers the message once, counted once', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    bot.api.fail('sendMessage', { kind: 'status', status: 429, retryAfter: 1 }, { chatId: 1004 });
    const { coordinator } = await startBroadcast(bot, /^Applicants/);
    await coordinator.press('Send to 5');
    const report = await waitForReport(bot);
    expect(report).toContain('Delivered: 5\nBlocked the bot: 0\nNot delivered: 0');
    const attempts = bot.api.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === 1004);
    expect(attempts.map((c) => c.error?.error_code ?? 200)).toEqual([429, 200]);
    const row = await bot.app.deps.db.outgoingMessage.findFirstOrThrow({ where: { chatId: 1004n } });
    expect(row).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it('delivers to everyone exactly once when the bot restarts in the middle of a broadcast', async () => {
    const bot = await startTestBot({ env: adminEnv });
    // Enough people that sending to all of them takes about four seconds, whatever the machine's load.
    const people = await seedProgramme(bot.app.deps.db, { extraTeamMembers: 100 });
    const { coordinator } = await startBroadcast(bot, /^Mentee teams/);
    await coordinator.press('Send to 103');
    await bot.api.waitFor(() => broadcastCalls(bot).length >= 10, 10_000);

    const restarted = await bot.restart();
    const sentBeforeRestart = broadcastCalls(bot).length;
    expect(sentBeforeRestart).toBeLessThan(103);
    const report = await waitForReport(restarted);
    expect(report).toContain('Recipients: 103\nDelivered: 103\nBlocked the bot: 0\nNot delivered: 0');
    for (const id of people.teamMembers) expect(deliveredTo(bot, id).filter((c) => messageText(c) === TEXT), `chat ${id}`).toHaveLength(1);
    expect(await restarted.app.deps.db.outgoingMessage.count({ where: { status: 'uncertain' } })).toBe(0);
  });

  it('delivers a broadcast confirmed right before a restart, also to a chat whose send was cut off', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ env: adminEnv, clock });
    const people = await seedProgramme(bot.app.deps.db);
    // Telegram does not answer the first message, so the bot stops while it is in flight.
    bot.api.fail('sendMessage', { kind: 'hang', ms: 300 }, { chatId: 2001 });
    const { coordinator } = await startBroadcast(bot, /^Mentee teams/);
    await coordinator.press('Send to 3');
    const restarted = await bot.restart();
    // The cut-off message is retried a little later.
    clock.advance(60_000);
    const report = await waitForReport(restarted);
    expect(report).toContain('Delivered: 3');
    for (const id of people.teamMembers) expect(deliveredTo(bot, id).filter((c) => messageText(c) === TEXT), `chat ${id}`).toHaveLength(1);
    const retried = await restarted.app.deps.db.outgoingMessage.findFirstOrThrow({ where: { chatId: 2001n } });
    expect(retried).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps the draft across a restart and takes the next message as its text', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');
    await coordinator.send('/broadcast');
    await coordinator.press(/^Mentors/);
    const restarted = await bot.restart();
    const again = restarted.user({ id: COORDINATOR });
    await again.send('After the restart');
    expect(again.lastBotText()).toContain('Preview — to Mentors, 2 recipients.');
    await again.press('Send to 2');
    expect(await waitForReport(restarted)).toContain('Delivered: 2');
  });

  it('takes the next message as its text even when the coordinator was in the middle of a form', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');
    await coordinator.send('/newteam');
    await coordinator.pressCallback('f|c|kind|0');
    await coordinator.send('/broadcast');
    const chosen = await coordinator.press(/^Mentors/);
    expect(chosen.text).toContain('The form you were filling in is paused; every answer you gave is saved.');
    expect((await coordinator.send('Meeting on Friday')).text).toContain('<b>Preview</b> — to Mentors, 2 recipients.');
    const { db } = bot.app.deps;
    expect(await db.formAnswer.count({ where: { questionId: 'name' } })).toBe(0);
    expect(await db.formSession.count()).toBe(0);
  });

  it('refuses a photo and an over-long text, and cancels without sending', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');
    await coordinator.send('/broadcast');
    await coordinator.press(/^Mentors/);
    expect((await coordinator.sendPhoto()).text).toBe('Please send the broadcast as a text message; photos and files cannot be broadcast.');
    expect((await coordinator.send('x'.repeat(3501))).text).toBe(
      'That is 3501 characters; a broadcast can have at most 3500. Please shorten it and send it again.',
    );
    await coordinator.send('Never mind');
    const cancelled = await coordinator.press('Cancel');
    expect(cancelled.text).toBe('Broadcast cancelled. Nothing was sent.');
    expect(await bot.app.deps.db.broadcast.count()).toBe(0);
    // The next message is an ordinary message again.
    expect((await coordinator.send('hello')).text).toBe('I did not understand that. Send /help to see what I can do.');
  });

  it('answers stale and forged buttons clearly', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/start');
    expect((await coordinator.pressData('bc|ok|999')).callbackAnswer).toBe('This broadcast no longer exists. Start again with /broadcast.');
    expect((await coordinator.pressData('bc|a|nobody')).callbackAnswer).toBe('This button is no longer active.');
    expect((await coordinator.pressData('bc|ok|x')).callbackAnswer).toBe('This button is no longer active.');
    await bot.app.deps.db.teamMember.deleteMany();
    expect((await coordinator.pressData('bc|a|teams')).callbackAnswer).toBe('Nobody is in this group yet. Please choose another one.');
  });

  it('is refused to anyone who is not a coordinator, for the command and every button', async () => {
    const bot = await startTestBot({ env: adminEnv });
    await seedProgramme(bot.app.deps.db);
    const { coordinator } = await startBroadcast(bot, /^Mentors/);
    const draft = await bot.app.deps.db.broadcast.findFirstOrThrow();
    const outsider = bot.user({ id: 1001, language_code: 'en' });
    const refusal = "This is for the programme's coordinators only.";
    expect((await outsider.send('/broadcast')).text).toBe(refusal);
    for (const data of ['bc|a|everyone', `bc|ok|${draft.id}`, `bc|no|${draft.id}`, 'bc|x|1']) {
      expect((await outsider.pressData(data)).callbackAnswer, data).toBe(refusal);
    }
    await bot.api.settle(300);
    expect(await bot.app.deps.db.broadcast.findMany()).toEqual([draft]);
    expect(await bot.app.deps.db.outgoingMessage.count()).toBe(0);
    expect(coordinator.buttons()).toEqual(['Send to 2', 'Cancel']);
  });
});
