import { describe, expect, it } from 'vitest';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };

describe('the call for mentors', () => {
  it('takes a whole application in English, with a receipt and a notice to coordinators', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 301, first_name: 'Anna', language_code: 'en' });

    const intro = await mentor.send('/apply');
    expect(intro.text).toContain('Applications are accepted until 21.11.2025 23:59');
    expect(intro.text).toContain('question 1 of');

    const review = await answerApplication(mentor, { name: 'Anna Kowalska', withCv: true });
    expect(review.text).toContain('Your application — please check it before submitting');
    expect(review.text).toContain('Anna Kowalska');

    const submitted = await mentor.pressCallback('f|s|review|');
    expect(submitted.text).toContain('Thank you! Your application has been received.');
    expect(submitted.text).toContain('Head of international relations');

    const coordinator = bot.user({ id: COORDINATOR_ID });
    const notice = coordinator.lastBotText();
    expect(notice).toMatch(/New mentor application #\d+: Anna Kowalska/);
    const open = notice.match(/\/application_\d+/)![0];
    const opened = await coordinator.send(open);
    expect(opened.text).toContain('Anna Kowalska');
    expect(opened.documents[0]?.payload.document).toMatch(/^doc-301-/);
  });
});

describe('answering the application', () => {
  it('refuses bad input with a short explanation and asks again, and says limits before typing', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 302, language_code: 'en' });
    const first = await mentor.send('/apply');
    expect(first.text).toContain('Up to 200 characters.');

    const sticker = await mentor.sendSticker();
    expect(sticker.texts[0]).toBe('I need text here. Please type your answer.');
    expect(sticker.texts[1]).toContain('What is your name?');

    await mentor.send('Petro Shevchenko');
    expect((await mentor.send('petro@')).texts[0]).toBe('That does not look like an e-mail address. Example: name@example.org.');
    await mentor.send('petro@example.org');
    expect((await mentor.send('12345')).texts[0]).toContain('That does not look like a phone number');
    await mentor.send('+48 601 234 567');
    await mentor.send('Poland');
    await mentor.send('Gdańsk');
    await mentor.send('Metropolitan office');
    expect((await mentor.send('x'.repeat(201))).texts[0]).toBe('That is 201 characters; the limit here is 200. Please shorten it.');
    await mentor.send('Coordinator');

    expect((await mentor.send('grant writing')).texts[0]).toBe('Please answer with the buttons under the question.');
    const none = await mentor.pressCallback('f|d|expertise_areas|');
    expect(none.callbackAnswer).toBe('Choose at least one option, then press Done.');
    await mentor.pressCallback('f|t|expertise_areas|5');
    await mentor.pressCallback('f|t|expertise_areas|other');
    const otherPrompt = await mentor.pressCallback('f|d|expertise_areas|');
    expect(otherPrompt.text).toContain('you chose Other. Please write what it is');
    await mentor.send('Urban mobility');

    expect((await mentor.send('sixty-one')).texts[0]).toBe('Please send a number, e.g. 12.');
    expect((await mentor.send('61')).texts[0]).toBe('The number must be from 0 to 60.');
    expect((await mentor.send('7.5')).texts[0]).toBe('Please send a whole number, without decimals.');
    await mentor.send('7');

    const part = await mentor.send('First part of my experience.');
    expect(part.text).toContain('Stored: 28 of 2000 characters');
    await mentor.send('Second part.');
    const saved = await mentor.pressCallback('f|d|experience_description|');
    expect(saved.text).toContain('Saved your answer (42 characters).');
    await mentor.pressCallback('f|c|context_knowledge|3');
    await mentor.pressCallback('f|k|context_comment|');

    const image = await mentor.sendDocument({ file_name: 'cv.png', mime_type: 'image/png', file_size: 1000 });
    expect(image.texts[0]).toBe('This kind of file is not accepted here. Please send PDF, DOC or DOCX.');
    const huge = await mentor.sendDocument({ file_name: 'cv.pdf', mime_type: 'application/pdf', file_size: 30 * 1024 * 1024 });
    expect(huge.texts[0]).toBe('The file is too large: the limit is 10 MB.');
    const link = await mentor.send('linkedin.com/in/petro');
    expect(link.text).toContain('Which languages');

    const answers = await bot.app.deps.db.formAnswer.findMany({ where: { questionId: { in: ['expertise_areas', 'cv', 'experience_description'] } } });
    const stored = Object.fromEntries(answers.map((a) => [a.questionId, JSON.parse(a.value)]));
    expect(stored.expertise_areas).toEqual({ choices: ['grant_funding'], other: 'Urban mobility' });
    expect(stored.cv).toEqual({ kind: 'url', url: 'https://linkedin.com/in/petro' });
    expect(stored.experience_description).toBe('First part of my experience.\n\nSecond part.');
  });

  it('goes back, skips, changes from the review, and pauses with /cancel keeping every answer', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 303, language_code: 'en' });
    await mentor.send('/apply');
    await mentor.send('Olena Bondar');
    await mentor.send('olena@example.org');

    const back = await mentor.pressCallback('f|b|phone|');
    expect(back.text).toContain('Which e-mail address');
    expect(back.text).toContain('Current answer: olena@example.org');
    await mentor.send('olena.bondar@example.org');
    const skipped = await mentor.pressCallback('f|k|phone|');
    expect(skipped.text).toContain('Which country');

    const paused = await mentor.send('/cancel');
    expect(paused.text).toContain('Paused. Every answer you gave is saved.');
    expect(paused.text).toContain('Send /apply to continue');
    expect((await mentor.send('Ukraine')).text).toContain('I did not understand');

    const resumed = await mentor.send('/apply');
    expect(resumed.text).toContain('You have answered 3 of');
    expect(resumed.text).toContain('Which country');

    const review = await answerApplication(mentor, { name: 'unused' }, 'country');
    expect(review.text).toContain('olena.bondar@example.org');
    expect(review.text).toMatch(/Phone<\/b>\n<i>skipped<\/i>/);

    const change = await mentor.pressCallback('f|x|city|');
    expect(change.text).toContain('Current answer: Lviv');
    expect(mentor.buttons()).toContain('Back to the review');
    const backAtReview = await mentor.send('Odesa');
    expect(backAtReview.text).toContain('Your application — please check it before submitting');
    expect(backAtReview.text).toContain('Odesa');
    expect((await mentor.pressCallback('f|s|review|')).text).toContain('Your application has been received');
  });
});

describe('nothing is lost', () => {
  it('continues after a restart of the bot in the middle of the form', async () => {
    const clock = beforeDeadline();
    const first = await startTestBot({ env: adminEnv, clock });
    await openCall(first);
    const before = first.user({ id: 311, language_code: 'en' });
    await before.send('/apply');
    await before.send('Ilze Ozola');
    await before.send('ilze@example.lv');
    await before.pressCallback('f|k|phone|');

    const second = await first.restart({ clock });
    const after = second.user({ id: 311, language_code: 'en' });
    const accepted = await after.send('Latvia');
    expect(accepted.text).toContain('And which city');
    const review = await answerApplication(after, { name: 'unused' }, 'city');
    expect(review.text).toContain('Ilze Ozola');
    expect(review.text).toContain('ilze@example.lv');
    expect(review.text).toContain('Latvia');
  });

  it('keeps every answer across a new release, in the middle of a question too', async () => {
    const clock = beforeDeadline();
    const first = await startTestBot({ env: adminEnv, clock });
    await openCall(first);
    const before = first.user({ id: 312, language_code: 'en' });
    await before.send('/apply');
    await before.send('Jan Nowak');
    await before.send('jan@example.pl');
    const { openDatabase } = await import('../src/db/database.js');
    const { parseDatabaseUrl } = await import('../src/db/database-url.js');
    const raw = await openDatabase(parseDatabaseUrl(first.databaseUrl)!);
    // Between questions nothing is kept in conversation state that a release could invalidate.
    expect(await raw.conversationState.count()).toBe(0);
    await before.pressCallback('f|k|phone|');
    for (const answer of ['Ukraine', 'Lviv', 'City council', 'Head of international relations']) await before.send(answer);
    // One area ticked, Done not pressed yet: the tick is on the question's message, nothing else keeps it.
    await before.pressCallback('f|t|expertise_areas|0');
    expect(await raw.conversationState.count()).toBe(0);
    await before.pressCallback('f|t|expertise_areas|4');
    expect((await before.pressCallback('f|d|expertise_areas|')).text).toContain('How many years');
    await before.send('12');
    // The first part of a long answer: stored at once, with the note that more may follow.
    await before.send('Twelve years of twinning projects.');
    expect(await raw.conversationState.count()).toBe(0);
    await first.stop();

    // What a release with changed forms finds: an answer to a question the form no longer asks.
    const response = await raw.formResponse.findFirstOrThrow();
    await raw.formAnswer.create({
      data: { responseId: response.id, questionId: 'a_question_since_removed', value: '"old"', answeredById: 1, answeredAt: new Date() },
    });
    await raw.$disconnect();

    // The person goes on where they were: a second part adds to the first, Done keeps both.
    const second = await first.restart({ clock });
    const after = second.user({ id: 312, language_code: 'en' });
    expect((await after.send('With Polish cities.')).text).toMatch(/^Stored: 55 of \d+ characters/);
    const done = await after.pressCallback('f|d|experience_description|');
    expect(done.text).toContain('How well do you know the context');
    const areas = await second.app.deps.db.formAnswer.findFirstOrThrow({ where: { questionId: 'expertise_areas' } });
    expect(JSON.parse(areas.value).choices).toHaveLength(2);
    const experience = await second.app.deps.db.formAnswer.findFirstOrThrow({ where: { questionId: 'experience_description' } });
    expect(JSON.parse(experience.value)).toBe('Twelve years of twinning projects.\n\nWith Polish cities.');
    const review = await answerApplication(after, { name: 'unused' }, 'context_knowledge');
    expect(review.text).toContain('Jan Nowak');
    expect(review.text).toContain('jan@example.pl');
    expect(review.text).not.toContain('old');
  });

  it('shows the question noted as asked when the bot stopped before sending it and the person presses the one before', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 316, language_code: 'en' });
    await mentor.send('/apply');
    await mentor.send('Marta');
    await mentor.send('marta@example.org');
    // The phone question is on screen. As if the bot took its Skip, noted the next question as
    // asked, and stopped before sending it: the person sees the phone question still.
    const { db } = bot.app.deps;
    const person = await db.person.findUniqueOrThrow({ where: { telegramId: 316n } });
    const { responseId } = await db.formSession.findUniqueOrThrow({ where: { personId: person.id } });
    await db.formAnswer.create({ data: { responseId, questionId: 'phone', value: 'null', answeredById: person.id, answeredAt: new Date() } });
    await db.formSession.update({ where: { personId: person.id }, data: { askedQuestionId: 'country' } });

    const again = await mentor.pressCallback('f|k|phone|');
    expect(again.callbackAnswer).toBe('This button belongs to an earlier question. Please answer the current one.');
    expect(again.text).toContain('Which country do you work in?');
    expect((await mentor.send('Ukraine')).text).toContain('And which city or municipality?');
    const stored = await db.formAnswer.findMany({ where: { responseId, questionId: { in: ['phone', 'country'] } } });
    expect(Object.fromEntries(stored.map((a) => [a.questionId, JSON.parse(a.value)]))).toEqual({ phone: null, country: 'Ukraine' });
  });

  it('ignores buttons from earlier questions and forged ones without changing any answer', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 313, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Marta' }, 'full_name').then(() => undefined);
    // Back at a question of the review: press buttons that belong to other questions.
    await mentor.pressCallback('f|x|english_level|');
    // A button replayed from the earlier message of another question.
    const stale = await mentor.pressData('f|c|ready_to_travel|1');
    expect(stale.callbackAnswer).toBe('This button belongs to an earlier question. Please answer the current one.');
    const forged = await mentor.pressData('f|c|english_level|99');
    expect(forged.callbackAnswer).toBe('This button belongs to an earlier question. Please answer the current one.');
    const garbage = await mentor.pressData('f|zz|english_level|');
    expect(garbage.callbackAnswer).toBe('This button belongs to an earlier question. Please answer the current one.');

    const stored = await bot.app.deps.db.formAnswer.findMany({ where: { questionId: { in: ['ready_to_travel', 'english_level'] } } });
    expect(Object.fromEntries(stored.map((a) => [a.questionId, JSON.parse(a.value)]))).toEqual({ ready_to_travel: true, english_level: 'B2' });
  });

  it('shows the chosen answer on the question message and takes its buttons away, never on another message', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const mentor = bot.user({ id: 314, language_code: 'en' });
    await mentor.send('/apply');
    await mentor.send('Marta');
    await mentor.send('marta@example.org');
    await mentor.pressCallback('f|k|phone|');
    for (const answer of ['Ukraine', 'Lviv', 'City council', 'Head of international relations']) await mentor.send(answer);
    const [olderQuestion, areasQuestion] = mentor.botMessages().slice(-2);
    // A button replayed on an older message first, then the areas chosen on their own message.
    const stale = await mentor.pressData('f|c|context_knowledge|1', olderQuestion);
    expect(stale.callbackAnswer).toBe('This button belongs to an earlier question. Please answer the current one.');
    await mentor.pressCallback('f|t|expertise_areas|0');
    await mentor.pressCallback('f|t|expertise_areas|4');
    await mentor.pressCallback('f|d|expertise_areas|');

    const areas = bot.api.message(314, areasQuestion!.message_id)!;
    expect(areas.text).toBe('In which areas do you have experience? Choose all that apply.\n✓ International cooperation, Project management');
    expect(areas.reply_markup?.inline_keyboard ?? []).toEqual([]);
    expect(bot.api.message(314, olderQuestion!.message_id)!.text).toBe(olderQuestion!.text);
  });
});

describe('the deadline', () => {
  it('is stated when the form opens, warned about on the last day, and enforced after', async () => {
    const clock = beforeDeadline();
    const bot = await startTestBot({ env: adminEnv, clock });
    await openCall(bot);
    const mentor = bot.user({ id: 321, language_code: 'en' });

    const early = await mentor.send('/apply');
    expect(early.text).toContain('Applications are accepted until 21.11.2025 23:59');
    expect(early.text).not.toContain('Less than 24 hours');
    await answerApplication(mentor, { name: 'Late Applicant' });

    clock.set('2025-11-21T10:00:00Z'); // 12:00 in Kyiv on the last day
    const lastDay = await mentor.send('/apply');
    expect(lastDay.text).toContain('Less than 24 hours are left: the call closes on 21.11.2025 23:59');

    clock.set('2025-11-21T22:00:00Z'); // 00:00 in Kyiv, one minute after the deadline
    const refused = await mentor.pressCallback('f|s|review|');
    expect(refused.text).toContain('The call for mentors closed on 21.11.2025 23:59');
    const response = await bot.app.deps.db.formResponse.findFirstOrThrow({ where: { formId: 'application' } });
    expect(response.status).toBe('draft');
    expect((await mentor.send('/apply')).text).toContain('The call for mentors closed');
  });

  it('accepts a submission in the last minute before the deadline', async () => {
    const clock = beforeDeadline();
    const bot = await startTestBot({ env: adminEnv, clock });
    await openCall(bot);
    const mentor = bot.user({ id: 322, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Just In Time' });
    clock.set('2025-11-21T21:59:30Z'); // 23:59:30 in Kyiv
    expect((await mentor.pressCallback('f|s|review|')).text).toContain('Your application has been received');
  });

  it('says so when the call is not open', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    expect((await bot.user({ id: 323 }).send('/apply')).text).toBe(
      'Applications from mentors are not open at the moment. The programme will announce when the call opens.',
    );
  });
});

describe('after submitting', () => {
  it('refuses a second application, lets the mentor change and withdraw until the deadline', async () => {
    const clock = beforeDeadline();
    const bot = await startTestBot({ env: adminEnv, clock });
    await openCall(bot);
    const mentor = bot.user({ id: 331, language_code: 'en' });
    await mentor.send('/start apply');
    await answerApplication(mentor, { name: 'Dace Liepa' });
    await mentor.pressCallback('f|s|review|');

    expect((await mentor.send('/apply')).text).toContain('You have already submitted your application');

    const mine = await mentor.send('/myapplication');
    expect(mine.text).toContain('Submitted on 10.11.2025 11:00');
    expect(mine.text).toContain('Dace Liepa');
    await mentor.pressCallback('app|edit');
    await mentor.pressCallback('f|x|city|');
    await mentor.send('Riga');
    const updated = await mentor.pressCallback('f|s|review|');
    expect(updated.text).toContain('Your application has been updated.');
    expect(updated.text).toContain('Riga');
    const history = await bot.app.deps.db.formAnswerHistory.findMany({ where: { questionId: 'city' } });
    expect(history.map((h) => JSON.parse(h.value))).toEqual(['Lviv']);

    await mentor.send('/myapplication');
    await mentor.pressCallback('app|withdraw');
    const withdrawn = await mentor.pressCallback('app|withdraw_yes');
    expect(withdrawn.text).toContain('Your application has been withdrawn');
    expect(bot.user({ id: COORDINATOR_ID }).lastBotText()).toMatch(/Application #\d+ \(Dace Liepa\) has been withdrawn/);

    clock.set('2025-11-22T08:00:00Z');
    const closed = await mentor.send('/myapplication');
    expect(closed.text).toContain('The call is closed, so the application can no longer be changed or withdrawn.');
    expect(closed.calls.some((c) => c.payload.reply_markup !== undefined)).toBe(false);
  });

  it('refuses edit and withdraw buttons pressed after the deadline', async () => {
    const clock = beforeDeadline();
    const bot = await startTestBot({ env: adminEnv, clock });
    await openCall(bot);
    const mentor = bot.user({ id: 332, language_code: 'en' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Old Buttons' });
    await mentor.pressCallback('f|s|review|');
    await mentor.send('/myapplication');
    clock.set('2025-11-22T08:00:00Z');
    const refused = await mentor.pressCallback('app|withdraw');
    expect(refused.callbackAnswer).toBe('The call is closed, so the application can no longer be changed or withdrawn.');
    const response = await bot.app.deps.db.formResponse.findFirstOrThrow({ where: { formId: 'application' } });
    expect(response.status).toBe('submitted');
  });
});
