import type { InlineKeyboardButton, Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { COORDINATOR_ID, openCall } from './support/application.js';
import { Replies } from './support/telegram-user.js';
import { BUCHA_MEMBERS, MENTOR_ANNA, seedPairs } from './support/progress-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import { webEnv } from './support/web.js';

const env = { ADMIN_IDS: String(COORDINATOR_ID), ...webEnv };
// Pairs made on 1 September 2025 end on 1 March 2026: the evaluation is open.
const PUBLISHED = new Date('2025-09-01T08:00:00Z');
const END = new Date('2026-03-01T09:00:00Z');

type Rows = InlineKeyboardButton[][];
const rowsOf = (message: { reply_markup?: unknown } | undefined): Rows => (message?.reply_markup as { inline_keyboard?: Rows } | undefined)?.inline_keyboard ?? [];

/** The first message the bot sent in answer to an action. */
function firstMessage(replies: Replies): Message {
  const call = replies.calls.find((c) => c.method === 'sendMessage' && !c.error);
  expect(call, 'the bot answered with a message').toBeDefined();
  return call!.result as Message;
}

/** The web_app button on a message, as the page address it opens. */
function pageOf(message: Message): URL {
  const button = rowsOf(message).flat().find((b) => 'web_app' in b) as { web_app: { url: string } } | undefined;
  expect(button, `"Open as a page" on: ${message.text}`).toBeDefined();
  return new URL(button!.web_app.url);
}

/** Checks that the page button on a message (or the first message of replies) opens this person's response of this form, and returns its id. */
async function opensForm(bot: TestBot, message: Message | Replies, formId: string): Promise<number> {
  const url = pageOf(message instanceof Replies ? firstMessage(message) : message);
  expect(url.origin + url.pathname).toBe('https://citymentor.example.org/app/');
  const response = await bot.app.deps.db.formResponse.findUniqueOrThrow({ where: { id: Number(url.searchParams.get('r')) } });
  expect(response.formId).toBe(formId);
  return response.id;
}

describe('"Open as a page" buttons', () => {
  it('are on the first message of the mentor application', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 801, language_code: 'en' });
    const opened = await mentor.send('/apply');
    await opensForm(bot, opened, 'application');
    // Coming back to a started application offers it again.
    await mentor.send('Anna Kowalska');
    await opensForm(bot, await mentor.send('/apply'), 'application');
  });

  it('are on the first message of the needs analysis, strengths profile, good practice, stakeholder and evaluation forms', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(END) });
    const seeded = await seedPairs(bot.app.deps.db, { publishedAt: PUBLISHED });
    const anna = bot.user({ id: MENTOR_ANNA, first_name: 'Anna', language_code: 'en' });
    const member = bot.user({ id: BUCHA_MEMBERS[0], first_name: 'Member', language_code: 'en' });

    // The needs analysis: its first message is the team's menu.
    await opensForm(bot, await member.send('/team'), 'needs_analysis');
    await opensForm(bot, await member.pressCallback('sh|list').then(() => member.pressCallback('sh|add')), 'stakeholder');
    await opensForm(bot, await anna.send('/strengths'), 'strengths_profile');

    await anna.send('/practices');
    const practice = await opensForm(bot, await anna.pressCallback('gp|add'), 'good_practice');
    await anna.send('Riga partnership office');
    // Editing it later offers the page again.
    const practiceRow = await bot.app.deps.db.goodPractice.findFirstOrThrow();
    await anna.send('/practices');
    expect(await opensForm(bot, await anna.pressData(`gp|e|${practiceRow.id}`), 'good_practice')).toBe(practice);

    const evaluation = await opensForm(bot, await anna.pressData(`ev8|open|${seeded.buchaPairId}`), 'programme_evaluation');
    await anna.press('5');
    // Half answered: opening it again offers the page on the first message too.
    expect(await opensForm(bot, await anna.pressData(`ev8|open|${seeded.buchaPairId}`), 'programme_evaluation')).toBe(evaluation);
  });

  it('are beside every section of the needs analysis menu, each opening its own section', async () => {
    const bot = await startTestBot({ env });
    await seedPairs(bot.app.deps.db, { publishedAt: PUBLISHED });
    const member = bot.user({ id: BUCHA_MEMBERS[0], language_code: 'en' });
    const menu = firstMessage(await member.send('/team'));
    const analysisId = await opensForm(bot, menu, 'needs_analysis');
    const sectionRows = rowsOf(menu).filter((row) => row.some((b) => 'callback_data' in b && b.callback_data.startsWith('na|s|')));
    expect(sectionRows.map((row) => row.map((b) => b.text))).toEqual([
      ['Needs and goals · 0/13', '📄 As a page'],
      ['Local context · 0/7', '📄 As a page'],
      ['National and regional context · 0/6 · optional', '📄 As a page'],
    ]);
    for (const row of sectionRows) {
      const sectionId = (row[0] as { callback_data: string }).callback_data.split('|')[2];
      const url = new URL((row[1] as { web_app: { url: string } }).web_app.url);
      expect([url.searchParams.get('r'), url.searchParams.get('s')]).toEqual([String(analysisId), sectionId]);
    }
  });

  it('are not there without PUBLIC_URL', async () => {
    const bot = await startTestBot();
    await seedPairs(bot.app.deps.db, { publishedAt: PUBLISHED });
    const member = bot.user({ id: BUCHA_MEMBERS[0], language_code: 'en' });
    const menu = firstMessage(await member.send('/team'));
    expect(rowsOf(menu).flat().filter((b) => 'web_app' in b)).toEqual([]);
    expect(rowsOf(menu).flat().filter((b) => 'callback_data' in b && b.callback_data.startsWith('na|s|'))).toHaveLength(3);
  });
});
