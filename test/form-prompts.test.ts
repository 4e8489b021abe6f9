import { describe, expect, it } from 'vitest';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';

describe('what the application asks for', () => {
  it('says how to attach a CV when a photo is sent, names the question when Other is chosen, and says what happens without consent', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 321, first_name: 'Inga', language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Inga Ozola' });

    // Back at question 8 from the review: choose Other among the areas of experience.
    await mentor.pressCallback('f|x|expertise_areas|');
    await mentor.pressCallback('f|t|expertise_areas|other');
    const other = await mentor.pressCallback('f|d|expertise_areas|');
    expect(other.text).toContain('«Areas of experience» — you chose Other. Please write what it is');

    await mentor.send('Smart villages');
    await mentor.pressCallback('f|x|cv|');
    const photo = await mentor.sendPhoto();
    expect(photo.text).toContain('Photos are not accepted here');
    expect(photo.text).toContain('choose “File”');

    await mentor.pressCallback('f|k|cv|');
    const consent = await mentor.pressCallback('f|x|consent|');
    expect(consent.text).toContain('Without your consent the application cannot be submitted');
  });
});
