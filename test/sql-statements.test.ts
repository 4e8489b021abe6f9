import { describe, expect, it } from 'vitest';
import { COORDINATOR_ID, openCall } from './support/application.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';

/**
 * How many SQL statements the bot sends for one form answer, as it logs them per update
 * (src/db/statement-count.ts). A count, not a timing: it grows when a change adds reads or
 * writes to the hot path of a form. BEGIN and COMMIT are counted as one transaction.
 */
const MAX_STATEMENTS_PER_ANSWER = 4;

/**
 * Someone new sending /apply: the update's claim, their state, their row, the programme, the
 * draft, and the note of the first question asked. A call's first hour is many of these at once.
 */
const MAX_STATEMENTS_FOR_FIRST_APPLY = 6;

function sqlOfLastUpdate(bot: TestBot, userId: number): { statements: number; transactions: number } {
  const line = bot.logs.findLast((l) => l.includes('"msg":"update handled"') && l.includes(`"userId":${userId},`));
  if (!line) throw new Error(`no update handled for ${userId}`);
  const entry = JSON.parse(line) as { sql: number; transactions: number };
  return { statements: entry.sql, transactions: entry.transactions };
}

async function answerFirstQuestions(bot: TestBot) {
  await openCall(bot);
  const mentor = bot.user({ id: 601, language_code: 'en' });
  const { db } = bot.app.deps;
  const intro = await mentor.send('/apply');
  expect(intro.texts.at(-1)).toContain('What is your name?');
  const apply = sqlOfLastUpdate(bot, 601);
  const person = await db.person.findUniqueOrThrow({ where: { telegramId: 601n } });

  const typed = await mentor.send('Anna Kowalska');
  expect(typed.text).toContain('e-mail');
  const typedSql = sqlOfLastUpdate(bot, 601);
  // Stored before the next question was sent, with the note of what was asked.
  expect(await db.formAnswer.findFirst({ where: { questionId: 'full_name' } })).toMatchObject({ value: JSON.stringify('Anna Kowalska') });
  expect(await db.formSession.findUnique({ where: { personId: person.id } })).toMatchObject({ askedQuestionId: 'email' });

  await mentor.send('anna@example.org');
  const secondTyped = sqlOfLastUpdate(bot, 601);
  await mentor.pressCallback('f|k|phone|');
  const press = sqlOfLastUpdate(bot, 601);
  expect(await db.formSession.findUnique({ where: { personId: person.id } })).toMatchObject({ askedQuestionId: 'country' });
  for (const text of ['Ukraine', 'Lviv', 'City council', 'Head of international relations']) await mentor.send(text);
  await mentor.pressCallback('f|t|expertise_areas|0');
  const toggle = sqlOfLastUpdate(bot, 601);
  await mentor.pressCallback('f|d|expertise_areas|');
  const done = sqlOfLastUpdate(bot, 601);
  expect(JSON.parse((await db.formAnswer.findFirstOrThrow({ where: { questionId: 'expertise_areas' } })).value)).toMatchObject({ choices: [expect.any(String)] });
  expect(await db.formSession.findUnique({ where: { personId: person.id } })).toMatchObject({ askedQuestionId: 'experience_years' });
  await mentor.send('12');
  const number = sqlOfLastUpdate(bot, 601);
  // A long answer is stored as it comes, then confirmed with Done.
  await mentor.send('Twelve years of twinning projects.');
  const longText = sqlOfLastUpdate(bot, 601);
  await mentor.pressCallback('f|d|experience_description|');
  const longDone = sqlOfLastUpdate(bot, 601);
  expect(await db.formAnswer.findFirst({ where: { questionId: 'experience_description' } })).toMatchObject({ value: JSON.stringify('Twelve years of twinning projects.') });
  expect(await db.formSession.findUnique({ where: { personId: person.id } })).toMatchObject({ askedQuestionId: 'context_knowledge' });
  return { apply, typedSql, secondTyped, press, toggle, number, longText, done, longDone };
}

function expectLean({ apply, done, longDone, ...counts }: Awaited<ReturnType<typeof answerFirstQuestions>>) {
  expect(apply.statements, '/apply: SQL statements').toBeLessThanOrEqual(MAX_STATEMENTS_FOR_FIRST_APPLY);
  expect(apply.transactions, '/apply: transactions').toBe(0);
  for (const [kind, count] of Object.entries(counts)) {
    expect(count.statements, `${kind}: SQL statements`).toBeLessThanOrEqual(MAX_STATEMENTS_PER_ANSWER);
    expect(count.transactions, `${kind}: transactions`).toBeLessThanOrEqual(1);
  }
  // Done after ticks or a long answer: the conversation waited within the question, so its
  // stored state is deleted too (in the same transaction).
  for (const [kind, count] of Object.entries({ done, longDone })) {
    expect(count.statements, `${kind}: SQL statements`).toBeLessThanOrEqual(MAX_STATEMENTS_PER_ANSWER + 1);
    expect(count.transactions, `${kind}: transactions`).toBeLessThanOrEqual(1);
  }
}

describe('a form answer', () => {
  it(`takes at most ${MAX_STATEMENTS_PER_ANSWER} SQL statements and one transaction`, async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    expectLean(await answerFirstQuestions(bot));
  });

  it.skipIf(!testDatabaseUrl)(`takes at most ${MAX_STATEMENTS_PER_ANSWER} SQL statements on PostgreSQL too`, async () => {
    const databaseUrl = await createTestDatabase();
    const bot = await startTestBot({ databaseUrl, env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    expectLean(await answerFirstQuestions(bot));
  });
});
