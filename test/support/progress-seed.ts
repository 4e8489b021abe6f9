import { Api } from 'grammy';
import { progressJobs } from '../../src/jobs/progress-jobs.js';
import type { Database } from '../../src/db/database.js';
import { sendDueMessages } from '../../src/outbox/sender.js';
import type { ApiCall } from './fake-bot-api.js';
import type { TestBot } from './test-bot.js';

/**
 * Mentors, mentee teams and pairs as the application, teams and matching features
 * leave them, for tests of what happens while pairs work together.
 */
export const MENTOR_ANNA = 501;
export const MENTOR_JAN = 502;
export const BUCHA_MEMBERS = [601, 602] as const;
export const IRPIN_MEMBER = 603;
export const HOSTOMEL_MEMBER = 604;
export const OUTSIDER = 700;

async function person(db: Database, telegramId: number, firstName: string, language = 'en') {
  return db.person.create({ data: { telegramId: BigInt(telegramId), firstName, language } });
}

async function mentor(db: Database, programmeId: number, telegramId: number, answers: Record<string, string>, language = 'en') {
  const p = await person(db, telegramId, answers.full_name!.split(' ')[0]!, language);
  const application = await db.formResponse.create({
    data: { programmeId, formId: 'application', ownerKey: `person:${p.id}`, status: 'submitted', submittedAt: new Date('2025-11-01T10:00:00Z') },
  });
  for (const [questionId, value] of Object.entries(answers)) {
    await db.formAnswer.create({
      data: { responseId: application.id, questionId, value: JSON.stringify(value), answeredById: p.id, answeredAt: new Date('2025-11-01T10:00:00Z') },
    });
  }
  const row = await db.mentor.create({ data: { programmeId, personId: p.id, applicationId: application.id, acceptedAt: new Date('2025-12-01T10:00:00Z') } });
  return { person: p, mentor: row };
}

async function team(db: Database, programmeId: number, name: string, memberIds: readonly number[], region?: string) {
  const row = await db.team.create({ data: { programmeId, name, country: 'Ukraine', region: region ?? null, createdById: 1 } });
  const members = [];
  for (const id of memberIds) {
    const p = await person(db, id, `Member${id}`, id === BUCHA_MEMBERS[1] ? 'uk' : 'en');
    await db.teamMember.create({ data: { teamId: row.id, personId: p.id, joinedAt: new Date('2025-12-05T10:00:00Z') } });
    members.push(p);
  }
  return { team: row, members };
}

export interface SeededPairs {
  programmeId: number;
  anna: Awaited<ReturnType<typeof mentor>>;
  jan: Awaited<ReturnType<typeof mentor>>;
  bucha: Awaited<ReturnType<typeof team>>;
  irpin: Awaited<ReturnType<typeof team>>;
  hostomel?: Awaited<ReturnType<typeof team>>;
  /** Anna with Bucha. */
  buchaPairId: number;
  /** Jan with Irpin. */
  irpinPairId: number;
  /** Jan with Hostomel, when asked for. */
  hostomelPairId?: number;
}

/** Anna (Lublin) mentors Bucha (two members); Jan (Gdańsk) mentors Irpin and, optionally, Hostomel. */
export async function seedPairs(
  db: Database,
  options: { publishedAt: Date; hostomel?: boolean; programme?: { durationMonths?: number; inactivityDays?: number } },
): Promise<SeededPairs> {
  const programme = await db.programme.findFirstOrThrow();
  if (options.programme) await db.programme.update({ where: { id: programme.id }, data: options.programme });
  const anna = await mentor(db, programme.id, MENTOR_ANNA, { full_name: 'Anna Kowalska', city: 'Lublin', country: 'Poland' });
  const jan = await mentor(db, programme.id, MENTOR_JAN, { full_name: 'Jan Nowak', city: 'Gdańsk', country: 'Poland' });
  const bucha = await team(db, programme.id, 'Bucha', BUCHA_MEMBERS, 'Kyiv region');
  const irpin = await team(db, programme.id, 'Irpin', [IRPIN_MEMBER]);
  const pair = (mentorId: number, teamId: number) =>
    db.pair.create({ data: { programmeId: programme.id, mentorId, teamId, createdById: 1, publishedAt: options.publishedAt } });
  const buchaPair = await pair(anna.mentor.id, bucha.team.id);
  const irpinPair = await pair(jan.mentor.id, irpin.team.id);
  let hostomel;
  let hostomelPairId;
  if (options.hostomel) {
    hostomel = await team(db, programme.id, 'Hostomel', [HOSTOMEL_MEMBER]);
    hostomelPairId = (await pair(jan.mentor.id, hostomel.team.id)).id;
  }
  await person(db, OUTSIDER, 'Outsider');
  return { programmeId: programme.id, anna, jan, bucha, irpin, hostomel, buchaPairId: buchaPair.id, irpinPairId: irpinPair.id, hostomelPairId };
}

/** The bot's progress jobs, talking to the fake Telegram server, run by hand. */
export function jobsOf(bot: TestBot) {
  const api = new Api(bot.api.token, { apiRoot: bot.api.apiRoot });
  const jobs = progressJobs(bot.app.deps, api);
  const run = async (name: string) => {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No job ${name}`);
    await job.run();
  };
  return { jobs, run, api };
}

/** Sends what the outbox has due now (with the bot's own sender, which may be faster), then waits until the bot is quiet. */
export async function flushOutbox(bot: TestBot): Promise<void> {
  const { db, clock } = bot.app.deps;
  await sendDueMessages(bot.app.deps, new Api(bot.api.token, { apiRoot: bot.api.apiRoot }), 'test-pass');
  const unfinished = () => db.outgoingMessage.count({ where: { status: { in: ['pending', 'sending'] }, dueAt: { lte: clock.now() } } });
  const deadline = Date.now() + 10_000;
  while ((await unfinished()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await bot.api.settle(200);
}

/** Messages delivered to a chat (text of what arrived). */
export function deliveredTexts(bot: TestBot, chatId: number, method = 'sendMessage'): string[] {
  return bot.api.calls
    .filter((c: ApiCall) => c.method === method && Number(c.payload.chat_id) === chatId && !c.error)
    .map((c) => String(c.payload.text ?? c.payload.caption ?? ''));
}
