import { describe, expect, it } from 'vitest';
import { COORDINATOR_COMMANDS, MEMBER_COMMANDS } from '../src/commands.js';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { BUCHA_MEMBERS, MENTOR_ANNA, seedPairs } from './support/progress-seed.js';
import { startTestBot, TestClock } from './support/test-bot.js';
import type { TelegramUser } from './support/telegram-user.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const adminEnv = { ADMIN_IDS: String(COORDINATOR_ID) };

/** Commands named in a text, e.g. "/apply — …". */
const commandsIn = (text: string) => new Set([...text.matchAll(/(?<![\w/<])\/([a-z]+)\b/g)].map((m) => m[1]!));

/** Starts the application and answers its first two questions: the third (the phone) is waiting. */
async function applyUpToPhone(user: TelegramUser, name: string): Promise<{ total: number }> {
  await user.send('/apply');
  await user.send(name);
  const asked = await user.send('mentor@example.org');
  const position = /(?:question|питання) 3 (?:of|з) (\d+)/.exec(asked.text);
  expect(position, 'the phone question is asked').not.toBeNull();
  return { total: Number(position![1]) };
}

describe('/help and /start in the middle of a form', () => {
  it('says in Ukrainian which question of how many waits, and Continue asks exactly it again', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const olena = bot.user({ id: 311, first_name: 'Олена', language_code: 'uk' });
    const { total } = await applyUpToPhone(olena, 'Олена Коваль');
    // A wrong answer first: the form keeps waiting at the same question.
    expect((await olena.send('12345')).text).toContain('Ваш номер телефону');

    const help = await olena.send('/help');
    expect(help.text).toContain(`Ваша заявка чекає на вас на питанні 3 з ${total}.`);
    expect(olena.buttons()).toEqual(['▶️ Продовжити']);

    const again = await olena.press('▶️ Продовжити');
    expect(again.text).toContain(`питання 3 з ${total}`);
    expect(again.text).toContain('Ваш номер телефону');
    expect(again.text).not.toContain('Як вас звати');

    const answered = await olena.send('+380 67 123 4567');
    expect(answered.text).toContain('У якій країні ви працюєте?');
    expect(answered.text).toContain(`питання 4 з ${total}`);
  });

  it('says so at /start in English, and Continue still works after a restart', async () => {
    const first = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(first);
    const anna = first.user({ id: 312, first_name: 'Anna', language_code: 'en' });
    const { total } = await applyUpToPhone(anna, 'Anna Kowalska');

    const start = await anna.send('/start');
    expect(start.text).toContain('Hello, Anna!');
    expect(start.text).toContain(`Your application is waiting at question 3 of ${total}.`);
    expect(anna.buttons()).toEqual(['▶️ Continue']);

    const bot = await first.restart({ clock: beforeDeadline() });
    const annaAgain = bot.user({ id: 312, first_name: 'Anna', language_code: 'en' });
    const again = await annaAgain.press('▶️ Continue');
    expect(again.text).toContain(`question 3 of ${total}`);
    expect(again.text).toContain('Your phone number');

    const answered = await annaAgain.send('+48 601 234 567');
    expect(answered.text).toContain('Which country do you work in?');
    const stored = await bot.app.deps.db.formAnswer.findFirst({ where: { questionId: 'phone' } });
    expect(JSON.parse(stored!.value)).toMatch(/\+48/);
  });

  it('re-asks the question the person went back to, also after a wrong answer', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const ivan = bot.user({ id: 317, language_code: 'en' });
    const { total } = await applyUpToPhone(ivan, 'Ivan Franko');
    expect((await ivan.send('12345')).text).toContain('That does not look like a phone number');
    const back = await ivan.pressCallback('f|b|phone|');
    expect(back.text).toContain('Which e-mail address');

    expect((await ivan.send('/help')).text).toContain(`Your application is waiting at question 2 of ${total}.`);
    const again = await ivan.press('▶️ Continue');
    expect(again.text).toContain(`question 2 of ${total}`);
    expect(again.text).toContain('Which e-mail address');
    expect(again.text).toContain('mentor@example.org');

    const answered = await ivan.send('ivan@example.org');
    expect(answered.text).toContain('Your phone number');
    const stored = await bot.app.deps.db.formAnswer.findFirst({ where: { questionId: 'email' } });
    expect(JSON.parse(stored!.value)).toBe('ivan@example.org');
  });

  it('brings someone back to the review of their answers, from where they can submit', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const oksana = bot.user({ id: 318, language_code: 'en' });
    await oksana.send('/apply');
    await answerApplication(oksana, { name: 'Oksana Bilyk' });

    const help = await oksana.send('/help');
    expect(help.text).toContain('Your application is waiting for you to check your answers.');
    const review = await oksana.press('▶️ Continue');
    expect(review.text).toContain('Your application — please check it before submitting');
    const submitted = await oksana.pressCallback('f|s|review|');
    expect(submitted.text).toContain('Thank you! Your application has been received.');
  });

  it('names the section of a team’s needs analysis, and its choice buttons work after Continue', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2025-11-01T10:00:00Z') });
    const member = bot.user({ id: BUCHA_MEMBERS[1], language_code: 'uk' });
    await member.send('/team');
    await member.pressCallback('na|s|main');
    await member.send('У громаді ніхто не відповідає за міжнародну співпрацю.');
    const second = await member.pressCallback('f|d|challenges|');
    const total = Number(/питання 2 з (\d+)/.exec(second.text)![1]);

    const help = await member.send('/help');
    expect(help.text).toContain(`Розділ аналізу потреб «Потреби та цілі» чекає на вас на питанні 2 з ${total}.`);
    const again = await member.press('▶️ Продовжити');
    expect(again.text).toContain('Яких тем має стосуватися менторство?');
    await member.pressCallback('f|t|themes|0');
    const next = await member.pressCallback('f|d|themes|');
    expect(next.text).toContain(`питання 3 з ${total}`);
    const stored = await bot.app.deps.db.formAnswer.findFirst({ where: { questionId: 'themes' } });
    expect(JSON.parse(stored!.value)).toEqual({ choices: ['international_cooperation_office'] });
  });

  it('tells someone pressing an old Continue that the application was sent, and what to do', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const piotr = bot.user({ id: 313, language_code: 'en' });
    await applyUpToPhone(piotr, 'Piotr Nowak');
    await piotr.send('/help');
    const oldContinue = piotr.botMessages().at(-1)!;

    await answerApplication(piotr, { name: 'Piotr Nowak' }, 'phone');
    await piotr.pressCallback('f|s|review|');

    const stale = await piotr.pressData('fw|c|1', oldContinue);
    expect(stale.text).toBe('The form «Mentor application» has already been sent, so no question is waiting.\nSend /myapplication to see, change or withdraw it.');
    expect(stale.text).not.toMatch(/no longer (works|active)/);
  });

  it('tells someone who stopped the form with /cancel how to go on (Polish)', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const maria = bot.user({ id: 314, language_code: 'pl' });
    await maria.send('/apply');
    await maria.send('Maria Wiśniewska');
    const help = await maria.send('/help');
    expect(help.text).toMatch(/Twoje zgłoszenie czeka na Ciebie przy pytaniu 2 z \d+\./);
    const oldContinue = maria.botMessages().at(-1)!;
    await maria.send('/cancel');

    const stale = await maria.pressData('fw|c|1', oldContinue);
    expect(stale.text).toContain('Formularz «Zgłoszenie mentora» jest wstrzymany');
    expect(stale.text).toContain('/apply');
  });

  it('answers forged Continue buttons clearly, and never opens someone else’s form', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const owner = bot.user({ id: 315, language_code: 'en' });
    await applyUpToPhone(owner, 'Owner Person');
    const intruder = bot.user({ id: 316, language_code: 'en' });
    await intruder.send('/start');

    const garbage = await intruder.pressData('fw|c|abc');
    expect(garbage.callbackAnswer).toBe('I did not make this button, so it does nothing. Send /help to see where you are.');

    const foreign = await intruder.pressData('fw|c|1');
    expect(foreign.text).toBe('This form is already finished or no longer exists, so no question is waiting. Send /help to see what you can do now.');
    expect(foreign.text).not.toContain('phone');
  });
});

describe('/help shows the commands of the person’s role and state', () => {
  it('shows someone who has not applied how to apply, and an applicant their application', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await openCall(bot);
    const newcomer = bot.user({ id: 321, language_code: 'uk' });
    const before = await newcomer.send('/help');
    expect(before.text).toContain('Щоб стати ментором, надішліть /apply');
    const shown = commandsIn(before.text);
    for (const c of ['apply', 'help', 'language', 'cancel']) expect(shown).toContain(c);
    for (const c of ['myapplication', 'log', 'strengths', 'team', 'plan', 'grant', 'applications']) expect(shown).not.toContain(c);

    await newcomer.send('/apply');
    await answerApplication(newcomer, { name: 'Олег Петренко' });
    await newcomer.pressCallback('f|s|review|');
    const after = commandsIn((await newcomer.send('/help')).text);
    expect(after).toContain('myapplication');
    expect(after).not.toContain('apply');
    expect(after).not.toContain('log');
  });

  it('shows mentors and team members their work, and coordinators theirs too', async () => {
    const bot = await startTestBot({ env: adminEnv, clock: beforeDeadline() });
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2025-11-01T10:00:00Z') });
    const everyCommand = new Set<string>([...MEMBER_COMMANDS, ...COORDINATOR_COMMANDS]);

    const mentor = await bot.user({ id: MENTOR_ANNA, language_code: 'en' }).send('/help');
    expect(mentor.text).toContain('You are a mentor in this programme.');
    const mentorCommands = commandsIn(mentor.text);
    for (const c of ['log', 'strengths', 'sessions', 'schedule', 'plan', 'progress']) expect(mentorCommands).toContain(c);
    for (const c of ['apply', 'team', 'grant']) expect(mentorCommands).not.toContain(c);

    const member = await bot.user({ id: BUCHA_MEMBERS[1], language_code: 'uk' }).send('/help');
    expect(member.text).toContain('Ви в команді «Bucha».');
    const memberCommands = commandsIn(member.text);
    for (const c of ['team', 'plan', 'sessions', 'progress']) expect(memberCommands).toContain(c);
    for (const c of ['apply', 'log', 'strengths', 'schedule', 'grant']) expect(memberCommands).not.toContain(c);

    const coordinator = await bot.user({ id: COORDINATOR_ID, language_code: 'en' }).send('/help');
    const coordinatorCommands = commandsIn(coordinator.text);
    for (const c of ['grant', 'applications', 'match', 'schedule']) expect(coordinatorCommands).toContain(c);
    expect(coordinatorCommands).not.toContain('apply');

    // Every command /help names is in Telegram's menu, with the same description.
    for (const c of [...mentorCommands, ...memberCommands, ...coordinatorCommands]) expect(everyCommand).toContain(c);
  });
});
