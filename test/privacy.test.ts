import { describe, expect, it } from 'vitest';
import { anonymiseExpiredApplications } from '../src/db/personal-data.js';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };

describe('personal data', () => {
  it('is sent to the person with /mydata', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 701, first_name: 'Anna', language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Anna Kowalska', email: 'anna@example.org' });
    const reply = await mentor.send('/mydata');
    const file = reply.documents[0]!.files.document!;
    expect(file.name).toBe('my-data.json');
    const data = JSON.parse(file.content.toString('utf8'));
    expect(data.person.telegramId).toBe('701');
    expect(data.forms[0].answers.email).toBe('anna@example.org');
  });

  it('is deleted with /forget after a confirmation; statistics survive and coordinators are told', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 702, first_name: 'Anna', language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Anna Kowalska', email: 'anna@example.org' });
    await mentor.pressCallback('f|s|review|');

    await mentor.send('/forget');
    expect((await mentor.pressCallback('pv|keep')).text).toBe('Nothing was deleted.');
    await mentor.send('/forget');
    expect((await mentor.pressCallback('pv|forget')).text).toContain('Your personal data has been deleted');
    expect(bot.user({ id: COORDINATOR_ID }).lastBotText()).toMatch(/Person #\d+ asked to delete their personal data/);

    const { db } = bot.app.deps;
    expect(await db.person.findUnique({ where: { telegramId: 702n } })).toBeNull();
    const application = await db.formResponse.findFirstOrThrow({ where: { formId: 'application' }, include: { answers: true } });
    expect(application.status).toBe('submitted');
    const kept = application.answers.map((a) => a.questionId).sort();
    expect(kept).toContain('expertise_areas');
    expect(kept).not.toContain('full_name');
    expect(kept).not.toContain('email');
    expect(JSON.stringify(application.answers)).not.toContain('Anna');

    // Writing again makes a new person with nothing of the old one.
    await mentor.send('/start');
    const fresh = await db.person.findUniqueOrThrow({ where: { telegramId: 702n } });
    const mine = await mentor.send('/myapplication');
    expect(mine.text).toContain('You have not applied yet');
    expect(application.ownerKey).not.toBe(`person:${fresh.id}`);
  });

  it('of applicants who were not accepted is anonymised after the retention period', async () => {
    const clock = new TestClock(new Date('2025-11-10T09:00:00Z'));
    const bot = await startTestBot({ env: adminEnv, clock });
    await openCall(bot);
    const coordinator = bot.user({ id: COORDINATOR_ID });
    expect((await coordinator.send('/privacy retention 6')).text).toContain('anonymised 6 months after');
    expect((await bot.user({ id: 703 }).send('/privacy retention 1')).text).toBe("This is for the programme's coordinators only.");
    const mentor = bot.user({ id: 704, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Kept Until Later' });
    await mentor.pressCallback('f|s|review|');

    const { db } = bot.app.deps;
    expect(await anonymiseExpiredApplications(db, new Date('2026-05-01T00:00:00Z'))).toBe(0);
    expect(await anonymiseExpiredApplications(db, new Date('2026-05-22T00:00:00Z'))).toBe(1);
    const answers = await db.formAnswer.findMany();
    expect(answers.some((a) => a.questionId === 'full_name')).toBe(false);
    expect(answers.some((a) => a.questionId === 'expertise_areas')).toBe(true);
  });

  it('shows the programme consent text a coordinator set', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    await bot.user({ id: COORDINATOR_ID }).send('/privacy consent We keep your answers until June 2026 <for selection only>.');
    const mentor = bot.user({ id: 705, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Reader' });
    const review = await mentor.pressCallback('f|x|consent|');
    expect(review.text).toContain('We keep your answers until June 2026 &lt;for selection only&gt;.');
  });
});
