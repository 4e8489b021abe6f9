import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { BUCHA_MEMBERS, MENTOR_ANNA, MENTOR_JAN, OUTSIDER, seedPairs } from './support/progress-seed.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const START = new Date('2026-03-05T10:00:00Z');

async function readWorkbook(content: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = (index: number) =>
    workbook.worksheets[index]!.getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : v)));
  return { names: workbook.worksheets.map((w) => w.name), about: sheet(0), rows: sheet(1) };
}

describe('/plan — the action plan (Annex 6)', () => {
  it('shows the header, takes rows in a dialogue that survives a restart, changes them and tracks their status', async () => {
    const clock = new TestClock(START);
    let bot = await startTestBot({ clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    let anna = bot.user({ id: MENTOR_ANNA });

    const empty = await anna.send('/plan');
    expect(empty.text).toContain('Action plan');
    expect(empty.text).toContain('Mentoring scheme: CityMentor');
    expect(empty.text).toContain('Mentee city: Bucha (Kyiv region, Ukraine)');
    expect(empty.text).toContain('Mentor city: Lublin, Poland — Anna Kowalska');
    expect(empty.text).toContain('Date / version: 05.03.2026, draft (no version saved yet)');
    expect(empty.text).toContain('No actions yet.');

    expect((await anna.press('➕ Add an action')).text).toContain('step 1 of 6');
    expect((await anna.send('Create an international cooperation department')).text).toContain('step 2 of 6');
    await anna.send('A department with two staff & a budget line');
    await anna.send('March–May 2026');
    await anna.send('Deputy mayor');
    expect((await anna.press('Skip ⏭')).text).toContain('Measuring success');
    const added = await anna.send('The council adopts the department’s statute');
    expect(added.text).toContain('Action 1 is in the plan.');
    expect(added.text).toContain('1. 🗓 <b>Create an international cooperation department</b> — <i>Planned</i>');
    expect(added.text).toContain('Expected results: A department with two staff &amp; a budget line');
    expect(added.text).toContain('Resources and partners: —');

    // The second row is half written when the bot restarts: nothing is lost.
    await anna.press('➕ Add an action');
    await anna.send('Find first international partners');
    await anna.send('Two letters of intent');
    bot = await bot.restart({ clock });
    anna = bot.user({ id: MENTOR_ANNA });
    expect((await anna.send('By the end of 2026')).text).toContain('step 4 of 6');
    await anna.send('Head of the department');
    await anna.send('Cities4Cities network');
    expect((await anna.send('Signed letters')).text).toContain('Action 2 is in the plan.');

    // A team member opens the same plan and moves the first action on.
    const member = bot.user({ id: BUCHA_MEMBERS[0] });
    const plan = await member.send('/plan');
    expect(plan.text).toContain('2. 🗓 <b>Find first international partners</b>');
    const card = await member.press(/^1\. Create an international/);
    expect(card.text).toContain('Action 1 of 2');
    const moved = await member.press('In progress');
    expect(moved.callbackAnswer).toBe('Status: In progress');
    expect(member.lastBotText()).toContain('Status: 🔄 In progress');
    expect(member.buttons()).toContain('• In progress');

    // Changing one field asks for it alone, showing what is there now.
    const asked = await member.press('✏️ Timeline');
    expect(asked.text).toContain('Now: March–May 2026');
    const changed = await member.send('April–June 2026');
    expect(changed.text).toContain('Saved: Timeline.');
    expect(changed.text).toContain('<b>Timeline</b>: April–June 2026');

    const rows = await bot.app.deps.db.actionPlanRow.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.action, r.status, r.timeline])).toEqual([
      ['Create an international cooperation department', 'in_progress', 'April–June 2026'],
      ['Find first international partners', 'planned', 'By the end of 2026'],
    ]);

    // Deleting asks first.
    await member.send('/plan');
    await member.press(/^2\. Find first/);
    const confirm = await member.press('🗑 Delete this action');
    expect(confirm.text).toContain('Delete action 2 “Find first international partners” from the plan?');
    const deleted = await member.press('Yes, delete');
    expect(deleted.callbackAnswer).toBe('The action was deleted.');
    expect(member.lastBotText()).toContain('Create an international cooperation department');
    expect(member.lastBotText()).not.toContain('Find first');
    expect(await bot.app.deps.db.actionPlanRow.count({ where: { plan: { pairId: seeded.buchaPairId } } })).toBe(1);
  });

  it('shows a long field whole when it is changed, and Cancel keeps it as it was', async () => {
    const clock = new TestClock(START);
    const bot = await startTestBot({ clock });
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    const anna = bot.user({ id: MENTOR_ANNA, first_name: 'Anna' });
    const results = `${'A department with two staff, a budget line and a statute adopted by the council. '.repeat(10)}The end.`;
    expect(results.length).toBeGreaterThan(800);
    await anna.send('/plan');
    await anna.press('➕ Add an action');
    for (const answer of ['Open an international office', results, 'Q2 2026', 'Mayor', 'Budget 2026', 'Office opened']) await anna.send(answer);
    await anna.press(/^1\. Open an international office/);
    const asked = await anna.press('✏️ Expected results');
    expect(asked.text).toContain(`Now: ${results}`);
    expect((await anna.press('✖️ Cancel')).text).toContain('Stopped. Nothing was changed.');
    expect((await bot.app.deps.db.actionPlanRow.findFirstOrThrow()).results).toBe(results);
  });

  it('saves numbered versions and sends the plan as a spreadsheet with its header', async () => {
    const clock = new TestClock(START);
    const bot = await startTestBot({ clock });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    const anna = bot.user({ id: MENTOR_ANNA, first_name: 'Anna' });
    await anna.send('/plan');
    await anna.press('➕ Add an action');
    for (const answer of ['Open an international office', 'An office with a head', 'Q2 2026', 'Mayor', 'Budget 2026', 'Office opened']) await anna.send(answer);

    const saved = await anna.press('💾 Save version');
    expect(saved.text).toContain('Version 1 of the plan is saved (05.03.2026).');
    expect(saved.text).toContain('Date / version: 05.03.2026, version 1');
    expect((await anna.press('💾 Save version')).callbackAnswer).toBe('Nothing has changed since version 1.');

    clock.set('2026-03-12T10:00:00Z');
    await anna.press(/^1\. Open an international/);
    await anna.press('Done');
    const changed = await anna.send('/plan');
    expect(changed.text).toContain('Date / version: 12.03.2026, draft (changed since version 1 of 05.03.2026)');
    expect((await anna.press('💾 Save version')).text).toContain('Version 2 of the plan is saved (12.03.2026).');

    const versions = await bot.app.deps.db.actionPlanVersion.findMany({ orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, JSON.parse(v.snapshot)[0].status])).toEqual([
      [1, 'planned'],
      [2, 'done'],
    ]);
    expect((await bot.app.deps.db.actionPlan.findUniqueOrThrow({ where: { pairId: seeded.buchaPairId } })).version).toBe(2);

    const download = await anna.press('⬇️ Download (XLSX)');
    const document = download.documents[0]!;
    expect(document.files.document!.name).toBe(`action-plan-${seeded.buchaPairId}-v2.xlsx`);
    expect(document.payload.caption).toBe('Action plan — Bucha (12.03.2026, version: 2)');
    const workbook = await readWorkbook(document.files.document!.content);
    expect(workbook.names).toEqual(['Plan', 'Actions']);
    expect(workbook.about).toEqual([
      ['Field', 'Value'],
      ['Mentoring scheme', 'CityMentor'],
      ['Mentee city', 'Bucha (Kyiv region, Ukraine)'],
      ['Mentor city', 'Lublin, Poland — Anna Kowalska'],
      ['Date', '12.03.2026'],
      ['Version', '2'],
    ]);
    expect(workbook.rows).toEqual([
      ['No.', 'Action', 'Expected results', 'Timeline', 'Who leads', 'Resources and partners', 'Measuring success', 'Status'],
      [1, 'Open an international office', 'An office with a head', 'Q2 2026', 'Mayor', 'Budget 2026', 'Office opened', 'Done'],
    ]);

    // An earlier version can be downloaded as it was.
    await anna.send('/plan');
    await anna.press('📜 Versions');
    expect(anna.lastBotText()).toContain('Version 1 — 05.03.2026, saved by Anna (actions: 1)');
    const first = await anna.press('⬇️ Version 1');
    const old = await readWorkbook(first.documents[0]!.files.document!.content);
    expect(old.about[5]).toEqual(['Version', '1']);
    expect(old.rows[1]!.at(-1)).toBe('Planned');
  });

  it('lets someone in several pairs pick one, and stops a row on Cancel', async () => {
    const bot = await startTestBot({ clock: new TestClock(START) });
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z'), hostomel: true });
    const jan = bot.user({ id: MENTOR_JAN });
    const choice = await jan.send('/plan');
    expect(choice.text).toContain('Which action plan do you want to open?');
    expect(jan.buttons()).toEqual(['Plan with Irpin', 'Plan with Hostomel']);
    expect((await jan.press('Plan with Hostomel')).text).toContain('Mentee city: Hostomel (Ukraine)');

    await jan.press('➕ Add an action');
    expect((await jan.press('✖️ Cancel')).text).toContain('Stopped. Nothing was added to the plan.');
    expect((await jan.send('Some words')).text).toBe('I did not understand that. Send /help to see what I can do.');
    expect(await bot.app.deps.db.actionPlanRow.count()).toBe(0);

    await jan.press('➕ Add an action');
    expect((await jan.sendSticker()).text).toBe('Please send the answer as a text message.');
    expect((await jan.send('x'.repeat(1001))).text).toContain('That is too long (1001 characters)');
  });

  it('refuses people outside the pair, forged and stale buttons, and changes nothing', async () => {
    const bot = await startTestBot({ clock: new TestClock(START) });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: new Date('2026-01-10T10:00:00Z') });
    const anna = bot.user({ id: MENTOR_ANNA });
    await anna.send('/plan');
    await anna.press('➕ Add an action');
    for (const answer of ['Action A', 'Results A', 'Soon', 'Me', 'None', 'Done when done']) await anna.send(answer);
    const row = await bot.app.deps.db.actionPlanRow.findFirstOrThrow();
    const plan = await bot.app.deps.db.actionPlan.findFirstOrThrow();

    const outsider = bot.user({ id: OUTSIDER });
    expect((await outsider.send('/plan')).text).toContain('You are not in an active pair yet');
    for (const data of [`ap|o|${seeded.buchaPairId}`, `ap|st|${row.id}|d`, `ap|ef|${row.id}|0`, `ap|dly|${row.id}`, `ap|sv|${seeded.buchaPairId}`, `ap|x|${seeded.buchaPairId}`, `ap|add|${seeded.buchaPairId}`]) {
      const replies = await outsider.pressData(data);
      expect(replies.callbackAnswer, data).toBe('This action plan is not available to you.');
    }
    // Jan mentors another team: not this plan.
    expect((await bot.user({ id: MENTOR_JAN }).pressData(`ap|st|${row.id}|d`)).callbackAnswer).toBe('This action plan is not available to you.');
    for (const data of ['ap|st|1|x', 'ap|o|abc', 'ap|sk|999|2', `ap|cx|999`, 'ap|zz']) {
      expect((await anna.pressData(data)).callbackAnswer, data).toBe('This button is no longer active.');
    }
    expect(await bot.app.deps.db.actionPlanRow.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'planned', action: 'Action A' });
    expect(await bot.app.deps.db.actionPlanVersion.count({ where: { planId: plan.id } })).toBe(0);
    expect(await bot.app.deps.db.actionPlanRow.count()).toBe(1);

    // Once the pair has ended, its plan is closed to changes.
    await bot.app.deps.db.pair.update({ where: { id: seeded.buchaPairId }, data: { status: 'ended', endedAt: START } });
    expect((await anna.pressData(`ap|st|${row.id}|d`)).callbackAnswer).toBe('This action plan is not available to you.');
  });
});
