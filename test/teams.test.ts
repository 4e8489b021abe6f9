import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { saveAnswer } from '../src/db/form-responses.js';
import { addStakeholder } from '../src/db/stakeholders.js';
import { needsAnalysisForm } from '../src/forms/needs-analysis.js';
import { COORDINATOR_ID } from './support/application.js';
import { joinTeam, registerTeam } from './support/teams.js';
import { startTestBot, type TestBot } from './support/test-bot.js';

const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };


/** Answers every required question of the needs analysis except `leave`, as if given earlier. */
async function answerMostOfTheAnalysis(bot: TestBot, teamId: number, personId: number, leave: string[]) {
  const { db } = bot.app.deps;
  const response = await db.formResponse.findFirstOrThrow({ where: { formId: 'needs_analysis', ownerKey: `team:${teamId}` } });
  const values: Record<string, unknown> = {
    themes: { choices: ['grant_funding', 'partnership_processes'] },
    working_languages: { choices: ['uk', 'en'] },
    population: 13000,
  };
  for (const question of needsAnalysisForm.sections.flatMap((s) => s.questions)) {
    if (question.required === false || leave.includes(question.id)) continue;
    const value = values[question.id] ?? `Answer to ${question.id}`;
    await saveAnswer(db, { responseId: response.id, questionId: question.id, value: value as string, answeredById: personId, at: new Date() });
  }
  return response.id;
}

describe('mentee teams', () => {
  it('are invited by link, told which team before joining, and refused with a wrong or revoked code', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const { id, code, coordinator } = await registerTeam(bot);
    const olena = bot.user({ id: 401, first_name: 'Olena', language_code: 'uk' });

    const invitation = await olena.send(`/start team_${code}`);
    expect(invitation.text).toContain('Zhovkva community');
    expect(await bot.app.deps.db.teamMember.count()).toBe(0);
    const joined = await olena.pressCallback(`tj|${code}`);
    expect(joined.texts).toHaveLength(2); // a welcome, then the team's menu of sections
    expect(olena.buttons()).toHaveLength(6);

    const wrong = await bot.user({ id: 402, language_code: 'en' }).send('/start team_NotARealCode1');
    expect(wrong.text).toContain('This invitation link does not work');

    await coordinator.send(`/team_${id}`);
    await coordinator.pressCallback(`tm|revoke|${id}`);
    const revoked = await bot.user({ id: 403, language_code: 'en' }).send(`/start team_${code}`);
    expect(revoked.text).toContain('This invitation link does not work');

    const reissued = await coordinator.pressCallback(`tm|reissue|${id}`);
    const newCode = /start=team_([\w-]+)/.exec(reissued.text)![1]!;
    expect(newCode).not.toBe(code);
    expect(newCode).toMatch(/^[\w-]{12}$/);
    expect((await joinTeam(bot.user({ id: 403, language_code: 'en' }), newCode)).text).toContain('Welcome to the team of Zhovkva community!');
  });

  it('lets two members answer one needs analysis, keeping who answered and the earlier answer', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const { code } = await registerTeam(bot);
    const olena = bot.user({ id: 411, first_name: 'Olena', language_code: 'en' });
    const petro = bot.user({ id: 412, first_name: 'Petro', language_code: 'en' });
    await joinTeam(olena, code);
    const joinedToo = await joinTeam(petro, code);
    expect(olena.lastBotText()).toBe('Petro has joined your team.');
    void joinedToo;

    // A long answer in two messages, finished with Done.
    const first = await olena.pressCallback('na|s|main');
    expect(first.text).toContain('Which challenges');
    const part1 = 'Our community has no international cooperation office.';
    const part2 = 'Nobody is responsible for partnerships.';
    expect((await olena.send(part1)).text).toContain(`Stored: ${part1.length} of 4000 characters`);
    await olena.send(part2);
    expect((await olena.pressCallback('f|d|challenges|')).text).toContain(`Saved your answer (${part1.length + 2 + part2.length} characters).`);

    // Petro opens the same section and continues where the team is, not from the start.
    const petroFirst = await petro.pressCallback('na|s|main');
    expect(petroFirst.text).toContain('themes should the mentoring cover');
    await petro.pressCallback('f|t|themes|0');
    await petro.pressCallback('f|d|themes|');

    // Olena's form was at the themes question too: her later answer wins.
    await olena.pressCallback('f|t|themes|4');
    await olena.pressCallback('f|d|themes|');

    const { db } = bot.app.deps;
    const olenaRow = await db.person.findUniqueOrThrow({ where: { telegramId: 411n } });
    const petroRow = await db.person.findUniqueOrThrow({ where: { telegramId: 412n } });
    const current = await db.formAnswer.findFirstOrThrow({ where: { questionId: 'themes' } });
    expect(JSON.parse(current.value)).toEqual({ choices: ['international_cooperation'] });
    expect(current.answeredById).toBe(olenaRow.id);
    const history = await db.formAnswerHistory.findMany({ where: { questionId: 'themes' } });
    expect(history.map((h) => [JSON.parse(h.value), h.answeredById])).toEqual([[{ choices: ['international_cooperation_office'] }, petroRow.id]]);
    const challenges = await db.formAnswer.findFirstOrThrow({ where: { questionId: 'challenges' } });
    expect(JSON.parse(challenges.value)).toBe('Our community has no international cooperation office.\n\nNobody is responsible for partnerships.');
  });

  it('shows sections with progress, submits once complete, and reopens on request', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const { id, code, coordinator } = await registerTeam(bot);
    const olena = bot.user({ id: 421, first_name: 'Olena', language_code: 'en' });
    const petro = bot.user({ id: 422, first_name: 'Petro', language_code: 'en' });
    await joinTeam(olena, code);
    await joinTeam(petro, code);
    const olenaRow = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: 421n } });
    await answerMostOfTheAnalysis(bot, id, olenaRow.id, ['policies_institutions']);

    const menu = await olena.send('/team');
    expect(olena.buttons()).toContain('✓ Needs and goals · 11/13');
    expect(olena.buttons()).toContain('Local context · 2/7');
    expect(menu.text).toContain('questions answered');

    // The section continues at its first open question; the last one ends it and shows the menu again.
    expect((await olena.pressCallback('na|s|local_context')).text).toContain('question 3 of 7');
    await olena.pressCallback('f|k|target_groups|');
    await olena.pressCallback('f|k|annual_budget|');
    await olena.pressCallback('f|k|policy_area_budget|');
    await olena.send('The municipal development strategy 2021-2027.');
    await olena.pressCallback('f|d|policies_institutions|');
    const afterSection = await olena.pressCallback('f|k|other_factors|');
    expect(afterSection.text).toContain('Zhovkva community');
    expect(olena.buttons()).toContain('📋 Check and submit');

    await olena.pressCallback('na|review');
    const submitted = await olena.pressCallback('f|s|review|');
    expect(submitted.text).toContain('The needs analysis has been submitted');
    expect(coordinator.lastBotText()).toContain(`Zhovkva community has submitted its needs analysis (Olena): /team_${id}`);
    expect(petro.lastBotText()).toContain('Olena has submitted your team');

    // Submitted: no more answers, but the team may ask to reopen.
    const locked = await petro.pressCallback('na|s|main');
    expect(locked.callbackAnswer).toContain('has been submitted');
    await petro.send('/team');
    await petro.pressCallback('na|reopen');
    expect(coordinator.lastBotText()).toContain('Petro from Zhovkva community asks to reopen the needs analysis');

    await coordinator.send(`/team_${id}`);
    const analysis = await coordinator.pressCallback(`tm|needs|${id}`);
    expect(analysis.text).toContain('Needs analysis of Zhovkva community');
    const document = analysis.documents[0]!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(document.files.document!.content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toContain('Answered by');
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((r) => r.includes('The municipal development strategy 2021-2027.') && r.includes('Olena'))).toBe(true);

    await coordinator.pressCallback(`tm|reopen|${id}`);
    expect(olena.lastBotText()).toContain('reopened your needs analysis');
    const reopened = await bot.app.deps.db.formResponse.findFirstOrThrow({ where: { formId: 'needs_analysis' } });
    expect(reopened.status).toBe('draft');
  });

  it('keeps the support network to ten stakeholders and refuses the eleventh with the reason', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const { id, code } = await registerTeam(bot);
    const olena = bot.user({ id: 431, first_name: 'Olena', language_code: 'en' });
    await joinTeam(olena, code);
    const olenaRow = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: 431n } });
    for (let i = 1; i <= 9; i++) {
      await addStakeholder(bot.app.deps.db, { teamId: id, name: `Person ${i}`, organisation: 'NGO', role: 'Advice', addedById: olenaRow.id });
    }
    await olena.pressCallback('sh|list');
    await olena.pressCallback('sh|add');
    await olena.send('Maria Koval');
    await olena.send("Residents' association <Zhovkva>");
    const added = await olena.send('Helps prepare the visits');
    expect(added.text).toContain('The new stakeholder');
    expect((await olena.pressCallback('f|s|review|')).text).toContain('Maria Koval has been added to the support network (10/10).');

    const list = await olena.pressCallback('sh|list');
    expect(list.text).toContain("Residents' association &lt;Zhovkva&gt;");
    const refused = await olena.pressCallback('sh|add');
    expect(refused.callbackAnswer).toContain('already has 10 stakeholders');
    expect(await bot.app.deps.db.stakeholder.count()).toBe(10);
  });

  it('lists teams with their status for coordinators and refuses their buttons to others', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const { id, code, coordinator } = await registerTeam(bot);
    expect((await coordinator.send('/teams')).text).toContain('Zhovkva community</b> (Ukraine) — invited, members: 0');
    await joinTeam(bot.user({ id: 441, language_code: 'en' }), code);
    expect((await coordinator.send('/teams')).text).toContain('joined, members: 1');

    const stranger = bot.user({ id: 442, language_code: 'en' });
    for (const data of [`tm|reissue|${id}`, `tm|revoke|${id}`, `tm|needs|${id}`, `tm|reopen|${id}`]) {
      expect((await stranger.pressData(data)).callbackAnswer).toBe("This is for the programme's coordinators only.");
    }
    expect((await stranger.send(`/team_${id}`)).text).toBe("This is for the programme's coordinators only.");
    const team = await bot.app.deps.db.team.findUniqueOrThrow({ where: { id } });
    expect(team.inviteCode).toBe(code);
  });
});

describe('the strengths profile', () => {
  it('is offered only to accepted mentors', async () => {
    const bot = await startTestBot({ env: adminEnv });
    const mentor = bot.user({ id: 451, language_code: 'en' });
    expect((await mentor.send('/strengths')).text).toBe('The strengths profile is for mentors accepted to the programme.');

    const { db } = bot.app.deps;
    const person = await db.person.findUniqueOrThrow({ where: { telegramId: 451n } });
    const programme = await db.programme.findFirstOrThrow();
    await db.mentor.create({ data: { programmeId: programme.id, personId: person.id, applicationId: 1, acceptedAt: new Date() } });
    const offered = await mentor.send('/strengths');
    expect(offered.text).toContain('Please describe your strengths and experience');
    expect(offered.text).toContain('In which areas do you (or your municipality) have particular experience?');
  });
});
