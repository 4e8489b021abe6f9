import { describe, expect, it } from 'vitest';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };

/** Longer than any shortened preview (the question showed 300 characters, the review 200). */
const LONG_EXPERIENCE =
  'Twelve years of twinning projects between Lviv and Wrocław, three EU-funded programmes on urban mobility, ' +
  'a network of forty municipalities for energy efficiency, and mentoring of young officials in grant writing ' +
  'and project management across the region. Since 2020 I also chair the working group on cross-border ' +
  'cooperation & <public> procurement of the association of Ukrainian cities.';

async function storedAnswer(bot: Awaited<ReturnType<typeof startTestBot>>, questionId: string): Promise<unknown> {
  const row = await bot.app.deps.db.formAnswer.findFirst({ where: { questionId } });
  return row ? JSON.parse(row.value) : undefined;
}

describe('changing an answer', () => {
  it('keeps a long answer when a change from the review is left without Done, and shows it whole', async () => {
    expect(LONG_EXPERIENCE.length).toBeGreaterThan(300);
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 401, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Anna Kowalska' }, 'full_name');
    // Put the long answer in through the review.
    await mentor.pressCallback('f|x|experience_description|');
    await mentor.send(LONG_EXPERIENCE);
    await mentor.pressCallback('f|d|experience_description|');
    expect(await storedAnswer(bot, 'experience_description')).toBe(LONG_EXPERIENCE);

    const asked = await mentor.pressCallback('f|x|experience_description|');
    // Sent as HTML: the whole answer, escaped.
    const escaped = LONG_EXPERIENCE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;');
    expect(asked.text).toContain(`Current answer: ${escaped}`);
    const draft = await mentor.send('Just one line.');
    expect(await storedAnswer(bot, 'experience_description')).toBe(LONG_EXPERIENCE);
    expect(draft.text).toContain('Until then your current answer stays as it is.');

    const review = await mentor.pressCallback('f|r|experience_description|');
    expect(review.text).toContain('Twelve years of twinning projects between Lviv');
    expect(await storedAnswer(bot, 'experience_description')).toBe(LONG_EXPERIENCE);

    // A change confirmed with Done does replace it.
    await mentor.pressCallback('f|x|experience_description|');
    await mentor.send('A new, shorter account.');
    await mentor.pressCallback('f|d|experience_description|');
    expect(await storedAnswer(bot, 'experience_description')).toBe('A new, shorter account.');
  });

  it('offers Keep current answer after Back, which keeps the answer and moves on', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 402, language_code: 'en' });
    await mentor.send('/apply');
    await mentor.send('Olena Bondar');
    await mentor.send('olena@example.org');

    const back = await mentor.pressCallback('f|b|phone|');
    expect(back.text).toContain('Current answer: olena@example.org');
    expect(mentor.buttons()).toContain('Keep current answer »');
    const kept = await mentor.press('Keep current answer »');
    expect(kept.text).toContain('phone number');
    expect(await storedAnswer(bot, 'email')).toBe('olena@example.org');
  });
});

describe('a text over the limit', () => {
  it('can be kept cut to the limit with a button', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 404, language_code: 'en' });
    await mentor.send('/apply');
    const refused = await mentor.send(`Anna ${'x'.repeat(210)}`);
    expect(refused.texts[0]).toBe('That is 215 characters; the limit here is 200. Please shorten it.');
    const kept = await mentor.press('Keep the first 200 characters');
    expect(kept.text).toContain('Which e-mail address');
    expect(await storedAnswer(bot, 'full_name')).toBe(`Anna ${'x'.repeat(195)}`);
  });
});

describe('after submitting', () => {
  it('removes the review buttons, and an old form button says where to go', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 403, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Anna Kowalska' });
    const reviewMessage = mentor.botMessages().at(-1)!;
    const submitted = await mentor.pressCallback('f|s|review|');
    expect(submitted.text).toContain('Thank you! Your application has been received.');
    const after = bot.api.message(mentor.id, reviewMessage.message_id)!;
    expect(after.reply_markup?.inline_keyboard.flat() ?? []).toEqual([]);

    // A ✏️ pressed on the review as it was before submitting.
    const stale = await mentor.pressData('f|x|experience_description|', reviewMessage);
    expect(stale.callbackAnswer).toContain('/myapplication');
  });
});
