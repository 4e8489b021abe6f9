import { describe, expect, it } from 'vitest';
import { recordAudit } from '../src/db/audit.js';
import { findOrCreateResponse, personOwner, saveAnswer, setResponseStatus } from '../src/db/form-responses.js';
import { currentProgramme } from '../src/db/programmes.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const MINUTE = 60_000;

async function coordinatorOf(bot: TestBot) {
  const user = bot.user({ id: COORDINATOR, first_name: 'Iryna', last_name: 'Koval', language_code: 'en' });
  await user.send('/start');
  const person = await bot.app.deps.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(COORDINATOR) } });
  return { user, personId: person.id };
}

describe('/audit', () => {
  it('shows who did what and when, newest first, in the programme’s time zone', async () => {
    const clock = new TestClock(new Date('2025-11-10T09:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR), TIMEZONE: 'Europe/Warsaw' }, clock });
    const { user: coordinator } = await coordinatorOf(bot);
    expect((await coordinator.send('/audit')).text).toContain('No coordinator actions have been recorded yet.');

    await coordinator.send('/call deadline 21.11.2025 23:59');
    clock.advance(MINUTE);
    await coordinator.send('/call open');
    clock.advance(MINUTE);
    const maria = bot.user({ id: 63, first_name: 'Maria', last_name: 'Nowak', language_code: 'pl' });
    await maria.send('/start');
    await coordinator.send('/grant 63');
    clock.advance(MINUTE);
    await coordinator.send('/revoke 63');
    clock.advance(MINUTE);

    // An application, accepted and sent by the coordinator.
    const applicant = bot.user({ id: 70, language_code: 'en' });
    await applicant.send('/start');
    const { db } = bot.app.deps;
    const person = await db.person.findUniqueOrThrow({ where: { telegramId: 70n } });
    const programme = await currentProgramme(db, { timeZone: 'Europe/Warsaw' });
    const response = await findOrCreateResponse(db, { programmeId: programme.id, formId: 'application', ownerKey: personOwner(person.id) });
    await saveAnswer(db, { responseId: response.id, questionId: 'full_name', value: 'Anna Smith', answeredById: person.id, at: clock.now() });
    await setResponseStatus(db, response.id, 'submitted', clock.now());
    await coordinator.send(`/application_${response.id}`);
    await coordinator.press('✅ Accept');
    clock.advance(MINUTE);
    await coordinator.press('📨 Send');
    clock.advance(MINUTE);
    await coordinator.press('➕ One team more');
    // Another feature's action without a text of its own.
    await recordAudit(db, { actorId: (await coordinatorOf(bot)).personId, action: 'pairs_publish', details: { pairs: [4, 5] }, at: clock.now() });

    const audit = await coordinator.send('/audit');
    const lines = audit.text.split('\n').filter((l) => l.startsWith('<b>1'));
    expect(lines).toEqual([
      '<b>10.11.2025 10:06</b> — Iryna Koval: pairs_publish pairs: 4, 5',
      `<b>10.11.2025 10:06</b> — Iryna Koval: set the teams the mentor of /application_${response.id} can take to 2`,
      `<b>10.11.2025 10:05</b> — Iryna Koval: sent the decision “✅ accepted” to /application_${response.id}`,
      `<b>10.11.2025 10:04</b> — Iryna Koval: decided “✅ accepted” on /application_${response.id}`,
      '<b>10.11.2025 10:03</b> — Iryna Koval: took the coordinator role from Maria Nowak',
      '<b>10.11.2025 10:02</b> — Iryna Koval: made Maria Nowak a coordinator',
      '<b>10.11.2025 10:01</b> — Iryna Koval: opened the call for mentors',
      '<b>10.11.2025 10:00</b> — Iryna Koval: set the application deadline to 21.11.2025 23:59 (Warsaw time)',
    ]);
    expect(audit.last?.payload.reply_markup).toBeUndefined();
  });

  it('pages twenty entries at a time', async () => {
    const clock = new TestClock(new Date('2025-11-10T09:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR) }, clock });
    const { user: coordinator, personId } = await coordinatorOf(bot);
    for (let i = 0; i < 25; i++) {
      await recordAudit(bot.app.deps.db, {
        actorId: personId,
        action: i % 2 === 0 ? 'call_open' : 'call_close',
        details: {},
        at: new Date(Date.UTC(2025, 10, 1 + i, 8)),
      });
    }
    const first = await coordinator.send('/audit');
    expect(first.text).toContain('Page 1');
    expect(first.text.split('\n').filter((l) => l.startsWith('<b>'))).toHaveLength(21);
    expect(first.text).toContain('<b>25.11.2025 10:00</b> — Iryna Koval: opened the call for mentors');
    expect(first.text).not.toContain('<b>05.11.2025');
    expect(coordinator.buttons()).toEqual(['Older ▶']);

    const second = await coordinator.press('Older ▶');
    expect(second.text).toContain('Page 2');
    expect(second.text).toContain('<b>05.11.2025 10:00</b> — Iryna Koval: opened the call for mentors');
    expect(second.text).toContain('<b>01.11.2025 10:00</b>');
    expect(second.text).not.toContain('<b>06.11.2025');
    expect(coordinator.buttons()).toEqual(['◀ Newer']);

    const back = await coordinator.press('◀ Newer');
    expect(back.text).toContain('<b>25.11.2025');
  });

  it('describes every kind of action in words, naming teams, mentors, pairs, sessions and events, never as raw JSON', async () => {
    const clock = new TestClock(new Date('2026-03-10T09:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR) }, clock });
    const { user: coordinator, personId } = await coordinatorOf(bot);
    const { db } = bot.app.deps;
    const programme = await db.programme.findFirstOrThrow();
    const anna = await db.person.create({ data: { telegramId: 501n, firstName: 'Anna', lastName: 'Kowalska', language: 'pl' } });
    const application = await db.formResponse.create({ data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${anna.id}`, status: 'submitted' } });
    const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: anna.id, applicationId: application.id, capacity: 2, acceptedAt: clock.now() } });
    const team = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', createdById: personId } });
    const pair = await db.pair.create({ data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, createdById: personId, publishedAt: clock.now() } });
    const session = await db.session.create({
      data: { programmeId: programme.id, pairId: pair.id, kind: 'online', startsAt: new Date('2026-03-12T12:00:00Z'), organiserId: personId },
    });
    const event = await db.programmeEvent.create({
      data: { programmeId: programme.id, title: 'Spring forum', startsAt: new Date('2026-04-01T07:00:00Z'), place: 'Kyiv', capacity: 40, audience: 'everyone', createdById: personId },
    });
    const entries: Array<[string, Record<string, unknown>]> = [
      ['team.create', { teamId: team.id }],
      ['match.publish', { mode: 'one', pairs: [{ pairId: pair.id, mentorId: mentor.id, teamId: team.id, score: 0.8 }] }],
      ['sessions.schedule', { sessionId: session.id, pairId: pair.id }],
      ['sessions.reschedule', { sessionId: session.id, from: '2026-03-12T12:00:00.000Z', to: '2026-03-13T08:30:00.000Z' }],
      ['broadcast.confirm', { broadcastId: 1, audience: 'mentors', recipients: 12, blocked: 0 }],
      ['event.cancel', { eventId: event.id, told: 7 }],
      ['report.view', { month: '2026-02' }],
      ['visit.plan', { pairId: pair.id, number: 2, plannedFor: '2026-04-15' }],
      ['pair.end', { pairId: pair.id, mentorId: mentor.id, teamId: team.id, reason: 'finished' }],
      ['export', { format: 'csv', rows: 40 }],
    ];
    for (const [action, details] of entries) {
      await recordAudit(db, { actorId: personId, action, details, at: clock.now() });
      clock.advance(MINUTE);
    }
    const audit = await coordinator.send('/audit');
    expect(audit.text).toContain('Times are in Kyiv time.');
    expect(audit.text).not.toMatch(/[{}]|GMT|Europe\//);
    const lines = audit.text.split('\n').filter((l) => l.startsWith('<b>1')).map((l) => l.replace(/^<b>[^<]+<\/b> — Iryna Koval: /, ''));
    expect(lines.reverse()).toEqual([
      'registered the team Zhovkva',
      'published pairs: Anna Kowalska – Zhovkva',
      'scheduled a session of Anna Kowalska – Zhovkva for 12.03.2026 14:00',
      'moved the session of Anna Kowalska – Zhovkva from 12.03.2026 14:00 to 13.03.2026 10:30',
      'sent a broadcast to Mentors (12 recipients)',
      'cancelled the event «Spring forum» (7 people told)',
      'opened the report for February 2026',
      'planned visit 2 of Anna Kowalska – Zhovkva for 15.04.2026',
      `ended the pair Anna Kowalska – Zhovkva (${bot.app.deps.i18n.t('en')('pairs.end_reasons.finished')})`,
      'downloaded the programme data (CSV)',
    ]);

    // In Ukrainian too, with the zone in words.
    await db.person.update({ where: { id: personId }, data: { language: 'uk', languageChosen: true } });
    const ukrainian = await coordinator.send('/audit');
    expect(ukrainian.text).toContain('Час указано за київським часом.');
    expect(ukrainian.text).toContain('перенесення зустрічі Anna Kowalska – Zhovkva з 12.03.2026 14:00 на 13.03.2026 10:30');
    expect(ukrainian.text).toContain('перегляд звіту за лютий 2026');
  });

  it('is for coordinators only', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR) } });
    await coordinatorOf(bot);
    const stranger = bot.user({ id: 71, language_code: 'uk' });
    expect((await stranger.send('/audit')).text).toBe('Це доступно лише координаторам програми.');
    expect((await stranger.pressData('au|0')).callbackAnswer).toBe('Це доступно лише координаторам програми.');
    expect(await bot.app.deps.db.auditEntry.count()).toBe(0);
  });
});
