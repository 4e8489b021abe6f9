import { describe, expect, it } from 'vitest';
import { exampleDeadline } from '../src/domain/deadline.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;

describe('/call deadline', () => {
  it('refuses a deadline in the past, so the call is not closed for applicants by mistake', async () => {
    const clock = new TestClock(new Date('2026-12-04T10:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR), TIMEZONE: 'Europe/Kyiv' }, clock });
    const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' });
    await coordinator.send('/start');
    await coordinator.send('/call open');

    const refused = await coordinator.send('/call deadline 21.11.2025 23:59');
    expect(refused.text).toContain('21.11.2025');
    expect(refused.text).toContain('has already passed');
    expect(refused.text).not.toContain('Deadline set');

    const status = await coordinator.send('/call');
    expect(status.text).toContain('No deadline is set.');
    expect(status.text).toContain('The call is open.');
    // The example in the help is a date a coordinator could actually use.
    expect(status.text).toContain('/call deadline 03.01.2027 23:59');

    const accepted = await coordinator.send('/call deadline 10.01.2027 18:00');
    expect(accepted.text).toContain('Deadline set');
  });

  it('says when a call marked open has a deadline that has passed', async () => {
    const clock = new TestClock(new Date('2026-12-04T10:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR), TIMEZONE: 'Europe/Kyiv' }, clock });
    const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'uk' });
    await coordinator.send('/start');
    await coordinator.send('/call open');
    await coordinator.send('/call deadline 05.12.2026 12:00');
    clock.advance(2 * 24 * 3600_000);
    const status = await coordinator.send('/call');
    expect(status.text).toContain('дедлайн минув');
    expect(status.text).not.toContain('Конкурс відкрито.');
  });

  it('gives an example deadline about a month ahead in the programme’s zone', () => {
    expect(exampleDeadline(new Date('2026-12-04T23:30:00Z'), 'Europe/Kyiv')).toBe('04.01.2027 23:59');
    expect(exampleDeadline(new Date('2026-12-04T10:00:00Z'), 'Europe/Warsaw')).toBe('03.01.2027 23:59');
  });

  it('names the programme’s zone in words, and adds the applicant’s likely own time where it differs', async () => {
    const clock = new TestClock(new Date('2026-12-04T10:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR), TIMEZONE: 'Europe/Kyiv' }, clock });
    const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' });
    await coordinator.send('/start');
    await coordinator.send('/call open');
    const set = await coordinator.send('/call deadline 03.01.2027 23:59');
    expect(set.text).toContain('Deadline set: 03.01.2027 23:59 (Kyiv time)');
    expect(set.text).not.toMatch(/EET|GMT/);

    const marta = bot.user({ id: 71, first_name: 'Marta', language_code: 'pl' });
    await marta.send('/start');
    const polish = await marta.send('/apply');
    expect(polish.text).toContain('03.01.2027 23:59 (czasu kijowskiego; 22:59 czasu warszawskiego)');

    const oksana = bot.user({ id: 72, first_name: 'Oksana', language_code: 'uk' });
    await oksana.send('/start');
    const ukrainian = await oksana.send('/apply');
    expect(ukrainian.text).toContain('03.01.2027 23:59 (за київським часом)');
    expect(ukrainian.text).not.toMatch(/EET|GMT/);
  });

  it('lets a coordinator name the programme, per language where wanted, and applicants read that name', async () => {
    const clock = new TestClock(new Date('2026-12-04T10:00:00Z'));
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR), TIMEZONE: 'Europe/Kyiv' }, clock });
    const coordinator = bot.user({ id: COORDINATOR, first_name: 'Iryna', language_code: 'en' });
    await coordinator.send('/start');
    await coordinator.send('/call open');
    expect((await coordinator.send('/call name Cities4Cities 2027')).text).toContain('The programme is now called «Cities4Cities 2027».');
    expect((await coordinator.send('/call name uk Міста для міст 2027')).text).toContain('In uk, the programme is now called «Міста для міст 2027».');
    expect((await coordinator.send(`/call name ${'x'.repeat(101)}`)).text).toContain('at most 100');
    expect((await coordinator.send('/call')).text).toContain('Call for mentors — Cities4Cities 2027');

    const oksana = bot.user({ id: 72, first_name: 'Oksana', language_code: 'uk' });
    await oksana.send('/start');
    const ukrainian = await oksana.send('/apply');
    expect(ukrainian.text).toContain('Заявка на роль ментора — Міста для міст 2027');
    expect(ukrainian.text).not.toContain('CityMentor');

    const marta = bot.user({ id: 71, first_name: 'Marta', language_code: 'pl' });
    await marta.send('/start');
    expect((await marta.send('/apply')).text).toContain('Cities4Cities 2027');

    // Only coordinators may rename the programme.
    const refused = await marta.send('/call name Mine');
    expect(refused.text).not.toContain('Mine');
    expect((await coordinator.send('/call')).text).toContain('Cities4Cities 2027');
  });
});
