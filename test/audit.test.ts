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
      '<b>10.11.2025 10:06 GMT+1</b> — Iryna Koval: pairs_publish pairs: 4, 5',
      `<b>10.11.2025 10:06 GMT+1</b> — Iryna Koval: set the teams the mentor of /application_${response.id} can take to 2`,
      `<b>10.11.2025 10:05 GMT+1</b> — Iryna Koval: sent the decision “✅ accepted” to /application_${response.id}`,
      `<b>10.11.2025 10:04 GMT+1</b> — Iryna Koval: decided “✅ accepted” on /application_${response.id}`,
      '<b>10.11.2025 10:03 GMT+1</b> — Iryna Koval: took the coordinator role from Maria Nowak',
      '<b>10.11.2025 10:02 GMT+1</b> — Iryna Koval: made Maria Nowak a coordinator',
      '<b>10.11.2025 10:01 GMT+1</b> — Iryna Koval: opened the call for mentors',
      '<b>10.11.2025 10:00 GMT+1</b> — Iryna Koval: set the application deadline to 21.11.2025 23:59 GMT+1',
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
    expect(first.text).toContain('<b>25.11.2025 10:00 GMT+2</b> — Iryna Koval: opened the call for mentors');
    expect(first.text).not.toContain('<b>05.11.2025');
    expect(coordinator.buttons()).toEqual(['Older ▶']);

    const second = await coordinator.press('Older ▶');
    expect(second.text).toContain('Page 2');
    expect(second.text).toContain('<b>05.11.2025 10:00 GMT+2</b> — Iryna Koval: opened the call for mentors');
    expect(second.text).toContain('<b>01.11.2025 10:00 GMT+2</b>');
    expect(second.text).not.toContain('<b>06.11.2025');
    expect(coordinator.buttons()).toEqual(['◀ Newer']);

    const back = await coordinator.press('◀ Newer');
    expect(back.text).toContain('<b>25.11.2025');
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
