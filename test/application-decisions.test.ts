import { describe, expect, it } from 'vitest';
import { findOrCreateResponse, personOwner, saveAnswer, setResponseStatus } from '../src/db/form-responses.js';
import { currentProgramme } from '../src/db/programmes.js';
import type { AnswerValue } from '../src/forms/types.js';
import { escapeHtml } from '../src/i18n.js';
import { chunkMessages } from '../src/message-chunks.js';
import { COORDINATOR_ID } from './support/application.js';
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
