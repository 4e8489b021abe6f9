import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { BUCHA_MEMBERS, deliveredTexts, flushOutbox, jobsOf, MENTOR_ANNA, MENTOR_JAN, OUTSIDER, seedPairs } from './support/progress-seed.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const env = { ADMIN_IDS: String(COORDINATOR) };
const DAY = 24 * 60 * 60 * 1000;
// Pairs made on 1 September 2025; six months later, 1 March 2026 at 11:00 in Kyiv, their programme is over.
const PUBLISHED = new Date('2025-09-01T08:00:00Z');
const END = new Date('2026-03-01T09:00:00Z');

const invitations = (texts: string[]) => texts.filter((t) => t.includes('has come to its end') || t.includes('добігла кінця'));
const reminders = (texts: string[]) => texts.filter((t) => t.includes('A gentle reminder: we would be glad to hear') || t.includes('Нагадуємо'));

describe('the end-of-programme evaluation', () => {
  it('invites both sides when the period ends, reminds twice a week apart, and shows coordinators the answers', async () => {
    const clock = new TestClock(new Date(END.getTime() - DAY));
    const bot = await startTestBot({ env, clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: PUBLISHED });
    // Irpin started later: its period is not over yet.
    await bot.app.deps.db.pair.update({ where: { id: seeded.irpinPairId }, data: { publishedAt: new Date('2025-11-01T08:00:00Z') } });
    const { run } = jobsOf(bot);

    await run('evaluation');
    await flushOutbox(bot);
    expect(invitations(deliveredTexts(bot, MENTOR_ANNA))).toEqual([]);
    // Too early: the button says so.
    const early = await bot.user({ id: MENTOR_ANNA }).pressData(`ev8|open|${seeded.buchaPairId}`);
    expect(early.callbackAnswer).toBe('The evaluation opens when your mentoring programme ends.');

    clock.set(END);
    await run('evaluation');
    await bot.api.waitFor(() => invitations(deliveredTexts(bot, BUCHA_MEMBERS[0])).length > 0, 10_000);
    await run('evaluation');
    await flushOutbox(bot);
    expect(invitations(deliveredTexts(bot, MENTOR_ANNA))).toEqual([
      '🎓 Your mentoring programme with Bucha has come to its end. Thank you for taking part!\n\nPlease tell us how it went: the evaluation takes about five minutes, and your answers help make the next programme better.',
    ]);
    expect(invitations(deliveredTexts(bot, BUCHA_MEMBERS[0]))[0]).toContain('Your mentoring programme with Anna Kowalska has come to its end.');
    expect(invitations(deliveredTexts(bot, BUCHA_MEMBERS[1]))).toHaveLength(1);
    expect(invitations(deliveredTexts(bot, MENTOR_JAN))).toEqual([]);

    // A team member answers through the button.
    const member = bot.user({ id: BUCHA_MEMBERS[0] });
    expect(member.buttons()).toEqual(['📝 Fill in the evaluation']);
    const opened = await member.press('📝 Fill in the evaluation');
    expect(opened.text).toContain('There are seven short questions.');
    expect(opened.text).toContain('Overall, how satisfied are you with the mentoring programme?');
    await member.press('5');
    await member.press('4');
    await member.press('Presented, not adopted yet');
    await member.press('Yes');
    await member.send('The visit to Lublin & the good practices.');
    await member.press('Done ✓');
    await member.press('Skip »');
    const review = await member.press('Skip »');
    expect(review.text).toContain('Your evaluation');
    expect((await member.press('✅ Send the evaluation')).text).toContain('Thank you! Your evaluation has been sent to the coordinators.');
    expect((await member.pressData(`ev8|open|${seeded.buchaPairId}`)).callbackAnswer).toBe('You have already sent your evaluation. Thank you!');

    // A week later those who have not answered are reminded, and a week after that once more.
    clock.set(new Date(END.getTime() + 7 * DAY));
    await run('evaluation');
    await bot.api.waitFor(() => reminders(deliveredTexts(bot, MENTOR_ANNA)).length > 0, 10_000);
    await run('evaluation');
    clock.set(new Date(END.getTime() + 10 * DAY));
    await run('evaluation');
    await flushOutbox(bot);
    expect(reminders(deliveredTexts(bot, MENTOR_ANNA))).toEqual([
      'A gentle reminder: we would be glad to hear how the mentoring with Bucha went. The evaluation takes about five minutes.',
    ]);
    expect(reminders(deliveredTexts(bot, BUCHA_MEMBERS[1]))).toHaveLength(1);
    expect(reminders(deliveredTexts(bot, BUCHA_MEMBERS[0]))).toEqual([]);

    clock.set(new Date(END.getTime() + 14 * DAY));
    await run('evaluation');
    await bot.api.waitFor(() => reminders(deliveredTexts(bot, MENTOR_ANNA)).length > 1, 10_000);
    clock.set(new Date(END.getTime() + 28 * DAY));
    await run('evaluation');
    await flushOutbox(bot);
    expect(reminders(deliveredTexts(bot, MENTOR_ANNA))).toHaveLength(2);
expect(reminders(deliveredTexts(bot, BUCHA_MEMBERS[1]))).toHaveLength(2);
    expect(reminders(deliveredTexts(bot, BUCHA_MEMBERS[0]))).toEqual([]);
    expect(invitations(deliveredTexts(bot, MENTOR_ANNA))).toHaveLength(1);

    // Coordinators see the answers and download them.
    const coordinator = bot.user({ id: COORDINATOR });
    const overview = await coordinator.send('/report evaluations');
    expect(overview.text).toContain('End-of-programme evaluation');
    expect(overview.text).toContain('Invited: 3 · answered: 1');
    expect(overview.text).toContain('Average satisfaction: 5 of 5 · usefulness: 4 of 5');
    expect(overview.text).toContain('Would recommend the programme: 1 of 1');
    expect(overview.text).toContain('Action plan: Presented, not adopted yet: 1');
    expect(overview.text).toContain('(mentee team) — Bucha · Anna Kowalska, 01.03.2026');
    expect(overview.text).toContain('The visit to Lublin &amp; the good practices.');
    const download = await coordinator.press('⬇️ Download all (XLSX)');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.documents[0]!.files.document!.content as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(rows).toHaveLength(4);
    expect(rows[0]!.slice(0, 7)).toEqual(['Mentee team', 'Mentor', 'Respondent', 'Role', 'Status', 'Sent', 'Overall, how satisfied are you with the mentoring programme?']);
    const answered = rows.find((r) => r[4] === 'answered')!;
    expect(answered.slice(0, 5)).toEqual(['Bucha', 'Anna Kowalska', 'Person 601', 'mentee team', 'answered']);
    expect(answered.slice(6, 11)).toEqual([5, 4, 'Presented, not adopted yet', 'Yes', 'The visit to Lublin & the good practices.']);
    expect((await bot.app.deps.db.auditEntry.findMany({ orderBy: { id: 'asc' } })).map((a) => a.action)).toEqual(['evaluation.view', 'evaluation.export']);
  });

  it('answers forged and foreign evaluation buttons clearly', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(END) });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: PUBLISHED });
    const outsider = bot.user({ id: OUTSIDER });
    expect((await outsider.pressData(`ev8|open|${seeded.buchaPairId}`)).callbackAnswer).toBe('This evaluation is not available to you.');
    expect((await bot.user({ id: MENTOR_JAN }).pressData(`ev8|open|${seeded.buchaPairId}`)).callbackAnswer).toBe('This evaluation is not available to you.');
    expect((await outsider.pressData('ev8|open|999999')).callbackAnswer).toBe('This evaluation is not available to you.');
    expect((await outsider.pressData('ev8|open|x')).callbackAnswer).toBe('This button is no longer active.');
    expect(await bot.app.deps.db.formResponse.count({ where: { formId: 'programme_evaluation' } })).toBe(0);
  });
});
