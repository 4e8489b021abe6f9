import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { COORDINATOR_ID } from './support/application.js';
import { joinTeam, registerTeam } from './support/teams.js';
import { startTestBot, TestClock } from './support/test-bot.js';

/**
 * Journeys walked to their end as a demanding person would, in more than one language:
 * each test is a place where the bot used to answer beside the point.
 */
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };
// Sunday 15 March 2026, 12:00 in Kyiv; the pair was published on 2 March.
const NOW = '2026-03-15T10:00:00Z';

/** An accepted mentor (Telegram id 501, in `language`) paired with Zhovkva, whose member is 601. */
async function seedPair(db: Database, language: string) {
  const programme = await db.programme.findFirstOrThrow();
  const anna = await db.person.create({ data: { telegramId: 501n, firstName: 'Anna', lastName: 'Kowalska', language, languageChosen: true } });
  const application = await db.formResponse.create({
    data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${anna.id}`, status: 'submitted', submittedAt: new Date(NOW) },
  });
  const mentor = await db.mentor.create({ data: { programmeId: programme.id, personId: anna.id, applicationId: application.id, capacity: 2, acceptedAt: new Date(NOW) } });
  const team = await db.team.create({ data: { programmeId: programme.id, name: 'Zhovkva', country: 'Ukraine', createdById: 1 } });
  const olena = await db.person.create({ data: { telegramId: 601n, firstName: 'Olena', language: 'uk' } });
  await db.teamMember.create({ data: { teamId: team.id, personId: olena.id } });
  return db.pair.create({ data: { programmeId: programme.id, mentorId: mentor.id, teamId: team.id, createdById: 1, publishedAt: new Date('2026-03-02T08:00:00Z') } });
}

describe('a typed message where a button is expected', () => {
  it('/log says which buttons to press and shows the step again; a date typed at the date step is taken (Ukrainian)', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    await seedPair(bot.app.deps.db, 'uk');
    const anna = bot.user({ id: 501, language_code: 'uk' });
    await anna.send('/log');
    const atDate = await anna.send('вчора');
    expect(atDate.texts[0]).toBe(
      'Натисніть «Сьогодні, 15.03» або «Учора, 14.03» під повідомленням нижче або надішліть дату у форматі ДД.ММ.РРРР (наприклад, 14.03.2026).',
    );
    expect(atDate.texts[1]).toContain('Час менторства з Zhovkva');
    expect(anna.buttons()).toEqual(['Сьогодні, 15.03', 'Учора, 14.03']);

    const typedDate = await anna.send('12.03.2026');
    expect(typedDate.text).toContain('<b>Zhovkva</b>, 12.03.2026\nСкільки часу це забрало?');
    const atAmount = await anna.send('пів дня');
    expect(atAmount.texts).toEqual([
      'На цьому кроці відповідають кнопкою: натисніть «Пів дня» або «Цілий день» під повідомленням нижче.',
      '<b>Zhovkva</b>, 12.03.2026\nСкільки часу це забрало?',
    ]);
    await anna.press('Пів дня');
    const atActivity = await anna.sendSticker();
    expect(atActivity.texts[0]).toMatch(/^На цьому кроці відповідають кнопкою: натисніть «.+» або «.+» під повідомленням нижче\.$/);
    expect(atActivity.texts[1]).toContain('Що ви робили?');
    await anna.press(anna.buttons()[0]!);
    expect(await bot.app.deps.db.mentoringLog.count()).toBe(1);
    // Saved: the next message is the note, and after that nothing waits for a button any more.
    expect((await anna.send('Нотатка')).text).toContain('Нотатку збережено');
    expect((await anna.send('привіт')).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');

    // Another command leaves the step: a message after it is not taken as belonging to /log.
    await anna.send('/log');
    await anna.send('/progress');
    expect((await anna.send('привіт')).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');
    // And /cancel says it stopped something.
    await anna.send('/log');
    expect((await anna.send('/cancel')).text).toBe('Зупинено. Усі ваші відповіді збережено.');
    expect((await anna.send('привіт')).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');
  });

  it('/schedule says which buttons to press at the kind and confirmation steps and shows them again (Polish)', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    await seedPair(bot.app.deps.db, 'pl');
    const anna = bot.user({ id: 501, language_code: 'pl' });
    await anna.send('/schedule');
    const atKind = await anna.send('online');
    expect(atKind.texts[0]).toBe(
      'Na tym etapie odpowiada się przyciskiem: naciśnij «Spotkanie online», «Wizyta», «Wydarzenie programu» lub «Przerwij planowanie» pod wiadomością poniżej.',
    );
    expect(atKind.texts[1]).toContain('Jakiego rodzaju jest to spotkanie?');
    await anna.press('Spotkanie online');
    await anna.send('20.03.2026 14:00');
    await anna.press(/^60/);
    await anna.send('https://meet.example.org/zhovkva');
    const summary = await anna.send('Plan działania');
    const confirmButtons = anna.buttons();
    const atConfirm = await anna.send('tak');
    expect(atConfirm.texts[0]).toContain(`«${confirmButtons[0]}» lub «${confirmButtons[1]}»`);
    expect(atConfirm.texts[1]).toBe(summary.texts.at(-1));
    await anna.press(confirmButtons[0]!);
    expect(await bot.app.deps.db.session.count()).toBe(1);
  });
});

describe('ending a pair', () => {
  it('a typed message at the reason question names the buttons and shows the question again; a button then ends it (Ukrainian)', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    const pair = await seedPair(bot.app.deps.db, 'pl');
    const coordinator = bot.user({ id: COORDINATOR_ID, language_code: 'uk' });
    await coordinator.send(`/pair_${pair.id}`);
    const question = await coordinator.press('Завершити пару');
    const typed = await coordinator.send('Ментор захворів');
    expect(typed.texts[0]).toBe(
      'Причину обирають кнопкою: натисніть «Ментор не може продовжувати», «Команда вийшла з програми», «Пара не склалася», «Менторство завершено», «Інша причина (написати)» або «Скасувати» під повідомленням нижче. Щоб написати своїми словами, спершу натисніть «Інша причина (написати)».',
    );
    expect(typed.texts[1]).toBe(question.texts.at(-1));
    expect((await bot.app.deps.db.pair.findUniqueOrThrow({ where: { id: pair.id } })).status).toBe('active');
    const ended = await coordinator.press('Ментор не може продовжувати');
    expect(ended.text).toContain(`Пару №${pair.id} (Zhovkva ← Anna Kowalska) завершено. Причина: Ментор не може продовжувати.`);
    expect((await bot.app.deps.db.pair.findUniqueOrThrow({ where: { id: pair.id } })).status).toBe('ended');
    // Nothing waits any more.
    expect((await coordinator.send('ще щось')).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');
  });
});

describe('what a person is told fits their role', () => {
  it('/myapplication tells a team member where their team’s work is instead of offering /apply, in their language', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2026-03-10T09:00:00Z')) });
    const { code, coordinator } = await registerTeam(bot);
    const olena = bot.user({ id: 611, language_code: 'uk' });
    await joinTeam(olena, code);
    const ukrainian = await olena.send('/myapplication');
    expect(ukrainian.text).toContain('учасник команди підопічних «Zhovkva community»');
    expect(ukrainian.text).toContain('/team');
    expect(ukrainian.text).not.toContain('/apply');

    const marta = bot.user({ id: 612, language_code: 'pl' });
    await joinTeam(marta, code);
    const polish = await marta.send('/myapplication');
    expect(polish.text).toContain('członek zespołu mentee «Zhovkva community»');
    expect(polish.text).not.toContain('/apply');

    // A coordinator is pointed to the applications, someone new still to /apply.
    expect((await coordinator.send('/myapplication')).text).toContain('/applications');
    expect((await bot.user({ id: 613, language_code: 'en' }).send('/myapplication')).text).toBe(
      'You have not applied yet. Send /apply to start your application.',
    );
  });
});

describe('joining a team by invitation', () => {
  it('a second tap on Join tells nobody twice; a mentor of the programme is told the link is for the team’s staff', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    const { code, id } = await registerTeam(bot);
    const olena = bot.user({ id: 631, language_code: 'uk' });
    await joinTeam(olena, code);
    const taras = bot.user({ id: 632, first_name: 'Taras', language_code: 'uk' });
    await taras.send(`/start team_${code}`);
    const joinedAt = bot.api.calls.length;
    await taras.pressCallback(`tj|${code}`);
    // A double tap arrives as a second press of the same button.
    const again = await taras.pressData(`tj|${code}`);
    expect(again.text).toContain('Ви вже в команді «Zhovkva community».');
    const toldOlena = bot.api.calls.slice(joinedAt).filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === 631);
    expect(toldOlena.map((c) => c.payload.text)).toEqual(['У вашій команді поповнення: Taras.']);
    expect(await bot.app.deps.db.teamMember.count({ where: { teamId: id } })).toBe(2);

    // The team card reads without a dangling dash where no email was given.
    const card = await bot.user({ id: COORDINATOR_ID }).send(`/team_${id}`);
    expect(card.text).toContain('Contact: Oksana Melnyk, head of the development department (no email given)');

    const pair = await seedPair(bot.app.deps.db, 'pl');
    expect(pair.id).toBeGreaterThan(0);
    const anna = bot.user({ id: 501, language_code: 'pl' });
    const refused = await anna.send(`/start team_${code}`);
    expect(refused.text).toContain('Jesteś mentorem w tym programie, więc nie możesz dołączyć do zespołu mentee «Zhovkva community»');
    expect(anna.buttons()).toEqual([]);
  });
});

describe('the support network', () => {
  it('asks before removing a stakeholder a team mate gave, and a second removal says it is gone already (Polish)', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    const { code } = await registerTeam(bot);
    const marta = bot.user({ id: 651, language_code: 'pl' });
    await joinTeam(marta, code);
    await marta.pressCallback('sh|list');
    await marta.pressCallback('sh|add');
    await marta.send('Maria Koval');
    await marta.send('Stowarzyszenie mieszkańców');
    await marta.send('Pomaga przygotować wizyty');
    await marta.pressCallback('f|s|review|');
    await marta.pressCallback('sh|list');
    const asked = await marta.press('✖ 1');
    expect(asked.text).toBe('Usunąć Maria Koval (Stowarzyszenie mieszkańców) z sieci wsparcia? Ten wpis zniknie dla całego zespołu.');
    expect(marta.buttons()).toEqual(['✖ Usuń', 'Zostaw']);
    expect(await bot.app.deps.db.stakeholder.count()).toBe(1);
    const kept = await marta.press('Zostaw');
    expect(kept.text).toContain('1. <b>Maria Koval</b>');

    const { id: stakeholderId } = await bot.app.deps.db.stakeholder.findFirstOrThrow();
    await marta.press('✖ 1');
    const removed = await marta.press('✖ Usuń');
    expect(removed.callbackAnswer).toBeTruthy();
    expect(await bot.app.deps.db.stakeholder.count()).toBe(0);
    expect(removed.text).toContain('Nikogo jeszcze nie dodano.');
    // The ✖ of an older list, pressed again.
    const again = await marta.pressData(`sh|del|${stakeholderId}`);
    expect(again.callbackAnswer).toBe('Tej osoby nie ma już w sieci: ktoś z zespołu usunął ją wcześniej.');
  });
});

describe('the needs analysis menu', () => {
  it('does not tick a section nobody has answered: a section with nothing required says it is optional', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date(NOW)) });
    const { code } = await registerTeam(bot);
    const olena = bot.user({ id: 641, language_code: 'uk' });
    await joinTeam(olena, code);
    const sections = olena.buttons().filter((b) => / · \d+\/\d+/.test(b));
    expect(sections.filter((b) => b.startsWith('✓'))).toEqual([]);
    expect(sections).toContain('Національний і регіональний контекст · 0/6 · за бажанням');
  });
});

describe('/cancel', () => {
  it('drops a broadcast shown as a preview and says nothing was sent; its Send button no longer sends', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2026-03-10T09:00:00Z')) });
    const { code, coordinator } = await registerTeam(bot);
    await joinTeam(bot.user({ id: 621, language_code: 'en' }), code);
    await coordinator.send('/broadcast');
    await coordinator.press(/^Mentee teams/);
    const preview = await coordinator.send('The forum moves to Friday.');
    expect(preview.text).toContain('The forum moves to Friday.');
    expect(coordinator.buttons()).toContain('Send to 1');

    const cancelled = await coordinator.send('/cancel');
    expect(cancelled.text).toBe('Broadcast cancelled: nothing was sent to anyone. Start a new one with /broadcast.');
    const pressed = await coordinator.press(/Send/);
    expect(pressed.callbackAnswer).toBe('This broadcast no longer exists. Start again with /broadcast.');
    expect(await bot.app.deps.db.outgoingMessage.count()).toBe(0);
    expect(await bot.app.deps.db.broadcast.count()).toBe(0);

    // In Ukrainian, too.
    await bot.app.deps.db.person.updateMany({ where: { telegramId: BigInt(COORDINATOR_ID) }, data: { language: 'uk', languageChosen: true } });
    await coordinator.send('/broadcast');
    await coordinator.press(/^Команди громад/);
    await coordinator.send('Форум переноситься на пʼятницю.');
    expect((await coordinator.send('/cancel')).text).toBe('Розсилку скасовано: нікому нічого не надіслано. Нову можна почати з /broadcast.');
  });
});

describe('a new release in the middle of a change', () => {
  /** What another release would have left: the same state under another forms version. */
  async function ageConversationState(bot: Awaited<ReturnType<typeof startTestBot>>) {
    const { db } = bot.app.deps;
    const rows = await db.conversationState.findMany();
    expect(rows).toHaveLength(1);
    const state = JSON.parse(rows[0]!.value) as { version: [number, string] };
    state.version[1] = 'an-older-release';
    await db.conversationState.update({ where: { key: rows[0]!.key }, data: { value: JSON.stringify(state) } });
  }

  it('keeps what was written of a long answer being changed, says so, and Done saves all of it', async () => {
    const { answerApplication, openCall } = await import('./support/application.js');
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 401, language_code: 'uk' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Anna Kowalska' }, 'full_name');
    await mentor.pressCallback('f|x|experience_description|');
    await mentor.send('Перша частина нової відповіді.');
    await mentor.send('Друга частина.');
    await ageConversationState(bot);

    const restarted = await bot.restart();
    const again = restarted.user({ id: 401, language_code: 'uk' });
    const third = await again.send('Третя частина.');
    expect(third.texts[0]).toBe(
      'Поки ви писали цю відповідь, бота оновили. Те, що ви надіслали раніше, збережено (46 символів), і це повідомлення додано до нього.',
    );
    const stored = async () => JSON.parse((await restarted.app.deps.db.formAnswer.findFirstOrThrow({ where: { questionId: 'experience_description' } })).value);
    // Until Done the earlier answer stays.
    expect(await stored()).toBe('Twelve years of twinning projects.');
    await again.pressCallback('f|d|experience_description|');
    expect(await stored()).toBe('Перша частина нової відповіді.\n\nДруга частина.\n\nТретя частина.');
  });

  it('says so when the step could not be kept (the “Other” text of a choice), in Polish, and only once', async () => {
    const { answerApplication, openCall } = await import('./support/application.js');
    const bot = await startTestBot({ env: adminEnv, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 402, language_code: 'pl' });
    await mentor.send('/apply');
    await answerApplication(mentor, { name: 'Marta Nowak' }, 'full_name');
    await mentor.pressCallback('f|x|expertise_areas|');
    await mentor.pressCallback('f|t|expertise_areas|other');
    await mentor.pressCallback('f|d|expertise_areas|');
    await ageConversationState(bot);
    const restarted = await bot.restart();
    const again = restarted.user({ id: 402, language_code: 'pl' });
    const typed = await again.send('Planowanie przestrzenne');
    expect(typed.texts[0]).toBe(
      'Bot został zaktualizowany, gdy to pytanie było otwarte. Wszystkie Twoje odpowiedzi są zapisane; jeśli coś tu było zaznaczone lub wpisane, zrób to jeszcze raz.',
    );
    // The question is put again, with its buttons; the earlier answer is as it was.
    expect(again.buttons().some((b) => b.includes('Inne') || b.includes('Other'))).toBe(true);
    expect(JSON.parse((await restarted.app.deps.db.formAnswer.findFirstOrThrow({ where: { questionId: 'expertise_areas' } })).value)).toEqual({
      choices: ['international_cooperation', 'project_management'],
    });
    // Told once: the old state is gone.
    expect((await again.send('Planowanie przestrzenne')).text).not.toContain('zaktualizowany');
  });
});
