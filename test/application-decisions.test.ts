import { describe, expect, it } from 'vitest';
import { findOrCreateResponse, personOwner, saveAnswer, setResponseStatus } from '../src/db/form-responses.js';
import { currentProgramme } from '../src/db/programmes.js';
import type { AnswerValue } from '../src/forms/types.js';
import { escapeHtml } from '../src/i18n.js';
import { chunkMessages } from '../src/message-chunks.js';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };
const clock = () => new TestClock(new Date('2025-11-10T09:00:00Z'));

/** A submitted application as the form engine stores it, with whatever extra answers a test needs. */
async function seedApplication(bot: TestBot, user: TelegramUser, extra: Record<string, AnswerValue> = {}): Promise<number> {
  await user.send('/start');
  const { db } = bot.app.deps;
  const person = await db.person.findUniqueOrThrow({ where: { telegramId: BigInt(user.id) } });
  const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
  const response = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'application', ownerKey: personOwner(person.id) });
  const at = new Date('2025-11-09T10:00:00Z');
  const answers: Record<string, AnswerValue> = {
    full_name: 'Olena Mentor',
    email: `${user.id}@example.org`,
    expertise_areas: { choices: ['international_cooperation'] },
    ...extra,
  };
  for (const [questionId, value] of Object.entries(answers)) {
    await saveAnswer(db, { responseId: response.id, questionId, value, answeredById: person.id, at });
  }
  await setResponseStatus(db, response.id, 'submitted', at);
  return response.id;
}

async function coordinatorOf(bot: TestBot): Promise<TelegramUser> {
  const user = bot.user({ id: COORDINATOR_ID, first_name: 'Iryna', last_name: 'Koval', language_code: 'en' });
  await user.send('/start');
  return user;
}

describe('a coordinator reading an application', () => {
  it('sees every long answer in full, split over messages that Telegram accepts, and gets the CV file', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const coordinator = await coordinatorOf(bot);
    const applicant = bot.user({ id: 3001, language_code: 'en' });
    // 1500 characters with HTML-special characters, ending in a marker the old 200-character cut lost.
    const long = `${'Twinning & <partnerships> '.repeat(57)}THE-END`;
    const motivation = `${'Motivation & more. '.repeat(100)}MOTIVATION-END`;
    const id = await seedApplication(bot, applicant, {
      experience_description: long,
      motivation,
      context_comment: 'x'.repeat(1990),
      cv: { kind: 'file', fileId: 'cv-file-42', fileName: 'olena-cv.pdf', mimeType: 'application/pdf', size: 1000 },
    });

    const opened = await coordinator.send(`/application_${id}`);
    // The fake server parses the HTML like Telegram: a cut tag or entity would have been refused.
    expect(opened.text).toContain(escapeHtml(long));
    expect(opened.text).toContain(escapeHtml(motivation));
    expect(opened.text).toContain('x'.repeat(1990));
    for (const text of opened.texts) expect(text.length).toBeLessThanOrEqual(4096);
    expect(bot.api.callsOf('sendMessage').filter((c) => c.error)).toEqual([]);
    const [document] = opened.documents;
    expect(document?.payload).toMatchObject({ chat_id: COORDINATOR_ID, document: 'cv-file-42' });
  });
});

describe('splitting a long HTML line', () => {
  it('cuts only outside tags and entities, each piece under the limit', () => {
    const line = `1. <b>Question</b>\n${'word &amp; <i>more</i> '.repeat(300)}`;
    const pieces = chunkMessages([line], { limit: 1000 });
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(1000);
      expect(piece.match(/<i>/g)?.length ?? 0).toBe(piece.match(/<\/i>/g)?.length ?? 0);
      expect(piece).not.toMatch(/&(?!amp;)|<[^>]*$/);
    }
    expect(pieces.join(' ').replace(/\s+/g, ' ').trim()).toBe(line.replace(/\s+/g, ' ').trim());
  });
});

describe('an accepted mentor’s application', () => {
  it('shows the decision, offers no withdrawing, and leaving tells the coordinators and the paired team', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    const coordinator = await coordinatorOf(bot);
    const mentor = bot.user({ id: 3101, first_name: 'Olena', language_code: 'en' });
    const member = bot.user({ id: 3102, first_name: 'Taras', language_code: 'en' });
    await member.send('/start');
    const id = await seedApplication(bot, mentor);
    const { db } = bot.app.deps;

    // Before a decision is sent, the applicant sees none (a waiting one can still be undone).
    await coordinator.send(`/application_${id}`);
    await coordinator.press('✅ Accept');
    expect((await mentor.send('/myapplication')).text).toContain('Decision: not yet');
    await coordinator.press('📨 Send');

    const mine = await mentor.send('/myapplication');
    expect(mine.text).toContain('Decision: ✅ accepted');
    expect(mine.text).not.toContain('apply again');
    expect(mentor.buttons()).toEqual(['✏️ Change', 'Leave the programme']);
    const withdraw = await mentor.pressData('app|withdraw');
    expect(withdraw.callbackAnswer).toContain('can no longer be withdrawn');
    await mentor.pressData('app|withdraw_yes');
    expect((await db.formResponse.findUniqueOrThrow({ where: { id } })).status).toBe('submitted');

    // A team paired with the mentor.
    const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
    const mentorRow = await db.mentor.findUniqueOrThrow({ where: { applicationId: id } });
    const memberPerson = await db.person.findUniqueOrThrow({ where: { telegramId: 3102n } });
    const team = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', createdById: memberPerson.id } });
    await db.teamMember.create({ data: { teamId: team.id, personId: memberPerson.id } });
    await db.pair.create({ data: { programmeId: programme.id, mentorId: mentorRow.id, teamId: team.id, createdById: memberPerson.id, publishedAt: new Date() } });

    await mentor.press('Leave the programme');
    const kept = await mentor.press('No, stay');
    expect(kept.text).toContain('you stay a mentor');
    await mentor.press('Leave the programme');
    const left = await mentor.press('Yes, leave');
    expect(left.text).toContain('You have left the programme');
    expect(coordinator.lastBotText()).toContain(`Mentor Olena Mentor (application #${id}) has left the programme. Active pairs: 1.`);
    expect(member.lastBotText()).toContain('Your mentor Olena Mentor has left the programme.');
    expect((await db.formResponse.findUniqueOrThrow({ where: { id } })).status).toBe('withdrawn');
    expect(await db.auditEntry.findFirst({ where: { action: 'mentor_left' } })).not.toBeNull();

    expect((await mentor.send('/myapplication')).text).toContain('You have left the programme.');
    expect((await mentor.send('/apply')).text).toContain('cannot be submitted again');

    // Matching no longer offers the mentor who left, and a pin to a new team is refused.
    const other = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: memberPerson.id } });
    expect((await coordinator.send(`/match pin ${mentorRow.id} ${other.id}`)).text).toBe(
      `Olena Mentor (mentor #${mentorRow.id}) has left the programme and takes no new teams.`,
    );
    expect(await db.matchConstraint.count()).toBe(0);
  });

  it('tells the coordinators when an accepted mentor changes the application, even after the deadline', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: clock() });
    await openCall(bot);
    const coordinator = bot.user({ id: COORDINATOR_ID });
    const mentor = bot.user({ id: 3201, language_code: 'en' });
    await mentor.send('/start apply');
    await answerApplication(mentor, { name: 'Dace Liepa' });
    await mentor.pressCallback('f|s|review|');
    const { id } = await bot.app.deps.db.formResponse.findFirstOrThrow({ where: { formId: 'application', status: 'submitted' } });
    await coordinator.send(`/application_${id}`);
    await coordinator.press('✅ Accept');
    await coordinator.press('📨 Send');
    await coordinator.send('/call close');

    await mentor.send('/myapplication');
    await mentor.pressCallback('app|edit');
    await mentor.pressCallback('f|x|city|');
    await mentor.send('Riga');
    const updated = await mentor.pressCallback('f|s|review|');
    expect(updated.text).toContain('Your application has been updated.');
    expect(coordinator.lastBotText()).toBe(`✏️ Accepted mentor Dace Liepa changed their application #${id}. Open it: /application_${id}`);
  });
});
