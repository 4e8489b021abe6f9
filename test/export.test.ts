import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { ApiCall } from './support/fake-bot-api.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const UKRAINIAN_COORDINATOR = 901;
const env = { ADMIN_IDS: `${COORDINATOR},${UKRAINIAN_COORDINATOR}` };
const SECRET = 'The mayor is about to resign';

async function answer(db: Database, responseId: number, answers: Record<string, unknown>) {
  for (const [questionId, value] of Object.entries(answers)) {
    await db.formAnswer.create({ data: { responseId, questionId, value: JSON.stringify(value), answeredById: 1, answeredAt: new Date() } });
  }
}

/** A programme as the other features leave it: applications with decisions, a team with its needs analysis, a pair at work. */
async function seedProgramme(db: Database) {
  const programme = await db.programme.findFirstOrThrow();
  const anna = await db.person.create({ data: { telegramId: 1001n, firstName: 'Anna', language: 'en' } });
  const petro = await db.person.create({ data: { telegramId: 1002n, firstName: 'Petro', language: 'uk' } });
  const application = await db.formResponse.create({
    data: {
      programmeId: programme.id,
      formId: 'application',
      ownerKey: `person:${anna.id}`,
      status: 'submitted',
      submittedAt: new Date('2025-11-10T09:00:00Z'),
    },
  });
  await answer(db, application.id, {
    full_name: 'Anna Kowalska',
    email: 'anna@example.org',
    country: 'Poland',
    city: 'Gdańsk',
    organisation: '=HYPERLINK("http://evil")',
    expertise_areas: { choices: ['international_cooperation', 'grant_funding'], other: 'Twinning' },
    working_languages: { choices: ['pl', 'en'] },
    english_level: 'C1',
  });
  const second = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${petro.id}`, status: 'submitted', submittedAt: new Date('2025-11-12T21:30:00Z') },
  });
  await answer(db, second.id, { full_name: 'Petro Shevchenko', email: 'petro@example.org', country: 'Ukraine', city: 'Lviv' });
  await db.applicationDecision.create({
    data: { responseId: application.id, decision: 'accepted', message: 'Welcome', decidedById: 1, decidedAt: new Date('2025-11-20T10:00:00Z') },
  });
  // An undone rejection leaves the application new.
  await db.applicationDecision.create({
    data: { responseId: second.id, decision: 'rejected', message: 'Sorry', decidedById: 1, decidedAt: new Date('2025-11-20T10:00:00Z'), undoneAt: new Date() },
  });
  // A draft is not an application yet.
  await db.formResponse.create({ data: { programmeId: programme.id, formId: 'application', ownerKey: 'person:999' } });

  const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: anna.id, applicationId: application.id, acceptedAt: new Date() } });
  const team = await db.team.create({
    data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', city: 'Bucha', population: 36971, contactName: 'Olena', createdById: 1 },
  });
  const member = await db.person.create({ data: { telegramId: 2001n, firstName: 'Olena', language: 'uk' } });
  await db.teamMember.create({ data: { teamId: team.id, personId: member.id } });
  await db.team.create({ data: { programmeId: programme.id, name: 'Irpin', country: 'Ukraine', createdById: 1 } });
  const analysis = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'needs_analysis', ownerKey: `team:${team.id}`, status: 'submitted', submittedAt: new Date('2026-01-15T08:00:00Z') },
  });
  await answer(db, analysis.id, {
    challenges: 'Attracting EU funding for the library',
    themes: { choices: ['grant_funding'] },
    population: 36971,
    other_benefits: null,
  });
  const pair = await db.pair.create({
    data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, score: 0.8765, createdById: 1, publishedAt: new Date('2026-02-01T10:00:00Z') },
  });
  await db.session.create({
    data: { programmeId: programme.id, pairId: pair.id, kind: 'online', startsAt: new Date('2026-03-05T08:00:00Z'), organiserId: anna.id, agenda: 'Budget' },
  });
  await db.mentoringLog.create({
    data: { pairId: pair.id, mentorPersonId: anna.id, date: '2026-02-10', amount: 0.5, activity: 'online_session', note: SECRET },
  });
}

async function workbookOf(call: ApiCall): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(call.files.document!.content as unknown as ArrayBuffer);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
const exportDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('citymentor-export-'));

describe('/export', () => {
  it('sends a workbook with a sheet per subject, headers in the coordinator’s language and times in the programme’s zone', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    const dirsBefore = exportDirs().length;

    const replies = await coordinator.send('/export');
    expect(replies.documents).toHaveLength(1);
    const document = replies.documents[0]!;
    expect(document.files.document!.name).toBe('citymentor-2026-03-02.xlsx');
    expect(String(document.payload.caption)).toContain('Times are in Kyiv time. Mentoring notes are private and never exported.');
    expect(String(document.payload.caption)).toContain('Applications: 2');

    const workbook = await workbookOf(document);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Applications', 'Mentee teams', 'Needs analyses', 'Pairs', 'Sessions', 'Mentoring time']);

    const applications = workbook.getWorksheet('Applications')!;
    expect(rowValues(applications, 1)).toEqual([
      'No.',
      'Name',
      'E-mail',
      'Country',
      'City',
      'Organisation',
      'Areas of expertise',
      'Working languages',
      'English level',
      'Status',
      'Submitted',
    ]);
    const anna = rowValues(applications, 2);
    expect(anna.slice(1, 6)).toEqual(['Anna Kowalska', 'anna@example.org', 'Poland', 'Gdańsk', '=HYPERLINK("http://evil")']);
    expect(applications.getRow(2).getCell(6).type).toBe(ExcelJS.ValueType.String);
    expect(anna[6]).toBe('International cooperation, Grant writing and funding, Other: Twinning');
    expect(anna[9]).toBe('Accepted');
    // 09:00 UTC is 11:00 in Kyiv: the cell shows the programme's wall-clock time.
    expect(anna[10]).toEqual(new Date('2025-11-10T11:00:00Z'));
    expect(applications.getRow(2).getCell(11).numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(rowValues(applications, 3)[9]).toBe('New');
    expect(applications.rowCount).toBe(3);

    const teams = workbook.getWorksheet('Mentee teams')!;
    expect(rowValues(teams, 2)).toContain('Working with a mentor');
    expect(rowValues(teams, 3)).toContain('Invited, nobody has joined yet');

    const analyses = workbook.getWorksheet('Needs analyses')!;
    const headers = rowValues(analyses, 1) as string[];
    const challenges = headers.findIndex((h) => /challenges/i.test(h));
    expect(challenges).toBeGreaterThan(3);
    expect(rowValues(analyses, 2)[challenges]).toBe('Attracting EU funding for the library');
    expect(rowValues(analyses, 2)[2]).toBe('Submitted');
    expect(rowValues(analyses, 3)[2]).toBe('Not started');

    expect(rowValues(workbook.getWorksheet('Pairs')!, 2).slice(1, 5)).toEqual(['Anna Kowalska', 'Bucha', 'Active', 0.88]);
    const session = rowValues(workbook.getWorksheet('Sessions')!, 2);
    expect(session).toContain('Online meeting');
    expect(session).toContainEqual(new Date('2026-03-05T10:00:00Z'));
    const log = workbook.getWorksheet('Mentoring time')!;
    expect(rowValues(log, 1)).toEqual(['No.', 'Date', 'Pair no.', 'Mentor', 'Team', 'Days', 'Activity', 'Logged']);
    expect(rowValues(log, 2).slice(1, 7)).toEqual([new Date('2026-02-10T00:00:00Z'), 1, 'Anna Kowalska', 'Bucha', 0.5, 'Online session']);

    // The private note and the session agenda are nowhere in the file.
    const everything: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void everything.push(String(cell.value)))));
    expect(everything.join('\n')).not.toContain(SECRET);
    expect(everything.join('\n')).not.toContain('Budget');

    expect(exportDirs().length).toBe(dirsBefore);
    const audit = await bot.app.deps.db.auditEntry.findMany({ where: { action: 'export' } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ format: 'xlsx', rows: { applications: 2, teams: 2 } });
  });

  it('speaks the coordinator’s language in sheet names and headers', async () => {
    const bot = await startTestBot({ env });
    await seedProgramme(bot.app.deps.db);
    const replies = await bot.user({ id: UKRAINIAN_COORDINATOR, language_code: 'uk' }).send('/export');
    const workbook = await workbookOf(replies.documents[0]!);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Заявки', 'Команди громад', 'Аналізи потреб', 'Пари', 'Зустрічі', 'Час менторства']);
    const applications = workbook.getWorksheet('Заявки')!;
    expect(rowValues(applications, 1).slice(0, 3)).toEqual(['№', "Ім'я", 'Ел. пошта']);
    expect(rowValues(applications, 2)[9]).toBe('Прийнята');
  });

  it('sends CSV files, one per sheet, on request', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ env, clock });
    await seedProgramme(bot.app.deps.db);
    const replies = await bot.user({ id: COORDINATOR }).send('/export csv');
    expect(replies.documents.map((d) => d.files.document!.name)).toEqual([
      'citymentor-applications-2026-03-02.csv',
      'citymentor-teams-2026-03-02.csv',
      'citymentor-needs-analyses-2026-03-02.csv',
      'citymentor-pairs-2026-03-02.csv',
      'citymentor-sessions-2026-03-02.csv',
      'citymentor-mentoring-time-2026-03-02.csv',
    ]);
    const applications = replies.documents[0]!.files.document!.content.toString('utf8');
    expect(applications.startsWith('\uFEFFNo.,Name,E-mail,Country,City,Organisation')).toBe(true);
    expect(applications).toContain('Anna Kowalska,anna@example.org,Poland,Gdańsk');
    expect(applications).toContain('2025-11-10 11:00');
    // A value a spreadsheet would run as a formula is defused.
    expect(applications).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const logs = replies.documents[5]!.files.document!.content.toString('utf8');
    expect(logs).toContain('2026-02-10');
    expect(logs).not.toContain(SECRET);
    expect(String(replies.documents[0]!.payload.caption)).toBe('Applications: 2');
  });

  it('explains what it can do when asked for another format, and works for an empty programme', async () => {
    const bot = await startTestBot({ env });
    const coordinator = bot.user({ id: COORDINATOR });
    expect((await coordinator.send('/export pdf')).text).toBe(
      'Send /export for an Excel workbook, or /export csv for CSV files, one per sheet.',
    );
    const empty = await coordinator.send('/export');
    const workbook = await workbookOf(empty.documents[0]!);
    expect(workbook.getWorksheet('Applications')!.rowCount).toBe(1);
  });

  it('is refused to anyone who is not a coordinator', async () => {
    const bot = await startTestBot({ env });
    const outsider = bot.user({ id: 1001 });
    for (const command of ['/export', '/export csv']) {
      const replies = await outsider.send(command);
      expect(replies.text).toBe("This is for the programme's coordinators only.");
      expect(replies.documents).toHaveLength(0);
    }
    expect(await bot.app.deps.db.auditEntry.count()).toBe(0);
  });
});
