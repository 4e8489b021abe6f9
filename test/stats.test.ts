import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { startTestBot, TestClock } from './support/test-bot.js';

const COORDINATOR = 900;
const env = { ADMIN_IDS: String(COORDINATOR) };
const NOW = new Date('2026-03-02T08:00:00Z');
const day = 24 * 60 * 60_000;

async function seedProgramme(db: Database) {
  const programme = await db.programme.update({
    where: { id: (await db.programme.findFirstOrThrow()).id },
    data: { name: 'Cities4Cities', callOpen: true, applicationDeadline: new Date('2026-03-20T21:59:00Z') },
  });
  const application = async (status: string, decisions: Array<{ decision: string; undone?: boolean; at: string }> = []) => {
    const person = await db.person.create({ data: { telegramId: BigInt(1000 + (await db.person.count())), firstName: 'P', language: 'en' } });
    const response = await db.formResponse.create({
      data: { programmeId: programme.id, formId: 'application', ownerKey: `person:${person.id}`, status, submittedAt: status === 'draft' ? null : NOW },
    });
    for (const d of decisions) {
      await db.applicationDecision.create({
        data: { responseId: response.id, decision: d.decision, message: '', decidedById: 1, decidedAt: new Date(d.at), undoneAt: d.undone ? NOW : null },
      });
    }
    return { person, response };
  };
  await application('submitted');
  await application('submitted', [{ decision: 'shortlisted', at: '2026-02-01' }]);
  const mentorA = await application('submitted', [
    { decision: 'shortlisted', at: '2026-02-01' },
    { decision: 'accepted', at: '2026-02-05' },
  ]);
  const mentorB = await application('submitted', [{ decision: 'accepted', at: '2026-02-05' }]);
  await application('submitted', [
    { decision: 'shortlisted', at: '2026-02-01' },
    { decision: 'rejected', at: '2026-02-05', undone: true },
  ]);
  await application('submitted', [{ decision: 'rejected', at: '2026-02-05' }]);
  await application('withdrawn', [{ decision: 'shortlisted', at: '2026-02-01' }]);
  await application('draft');
  await application('draft');

  const mentor = async (a: typeof mentorA) =>
    db.mentor.create({ data: { programmeId: programme.id, personId: a.person.id, applicationId: a.response.id, acceptedAt: NOW } });
  const [mA, mB] = [await mentor(mentorA), await mentor(mentorB)];
  await db.formAnswer.create({ data: { responseId: mentorA.response.id, questionId: 'full_name', value: '"Anna Kowalska"', answeredById: 1, answeredAt: NOW } });

  const team = (name: string) => db.team.create({ data: { programmeId: programme.id, name, country: 'Ukraine', createdById: 1 } });
  const bucha = await team('Bucha');
  const irpin = await team('Irpin');
  await team('Invited only');
  const joined = await team('Joined');
  const answering = await team('Answering');
  const member = async (teamId: number) => {
    const person = await db.person.create({ data: { telegramId: BigInt(5000 + (await db.person.count())), firstName: 'M', language: 'uk' } });
    await db.teamMember.create({ data: { teamId, personId: person.id } });
  };
  for (const t of [bucha, irpin, joined, answering]) await member(t.id);
  const analysis = await db.formResponse.create({ data: { programmeId: programme.id, formId: 'needs_analysis', ownerKey: `team:${answering.id}` } });
  await db.formAnswer.create({ data: { responseId: analysis.id, questionId: 'challenges', value: '"Roads"', answeredById: 1, answeredAt: NOW } });
  await db.formResponse.create({ data: { programmeId: programme.id, formId: 'needs_analysis', ownerKey: `team:${irpin.id}`, status: 'submitted', submittedAt: NOW } });

  const pair = await db.pair.create({ data: { programmeId: programme.id, mentorId: mA.id, teamId: bucha.id, createdById: 1, publishedAt: NOW } });
  await db.pair.create({ data: { programmeId: programme.id, mentorId: mB.id, teamId: irpin.id, status: 'ended', createdById: 1, publishedAt: NOW, endedAt: NOW } });

  const session = (startsAt: Date, status = 'scheduled') =>
    db.session.create({ data: { programmeId: programme.id, pairId: pair.id, kind: 'visit', startsAt, organiserId: 1, status } });
  await session(new Date(NOW.getTime() + 3 * day));
  await session(new Date(NOW.getTime() + 5 * day), 'cancelled');
  await session(new Date(NOW.getTime() + 45 * day));
  await session(new Date(NOW.getTime() - day), 'held');

  const event = (title: string, startsAt: Date, extra: { audience?: string; cancelledAt?: Date } = {}) =>
    db.programmeEvent.create({
      data: { programmeId: programme.id, title, startsAt, place: 'Kyiv', capacity: 40, audience: extra.audience ?? 'everyone', createdById: 1, cancelledAt: extra.cancelledAt },
    });
  const forum = await event('Spring forum', new Date('2026-03-12T07:00:00Z'));
  await event('Cancelled training', new Date(NOW.getTime() + 4 * day), { cancelledAt: NOW });
  await event('Draft workshop', new Date(NOW.getTime() + 4 * day), { audience: '' });
  for (let i = 0; i < 3; i++) {
    await db.eventRegistration.create({ data: { eventId: forum.id, personId: i + 1, status: i < 2 ? 'registered' : 'waitlisted', registeredAt: NOW } });
  }
}

describe('/stats', () => {
  it('counts applications by decision, teams and pairs by status, and lists the next 30 days', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(NOW) });
    await seedProgramme(bot.app.deps.db);
    const coordinator = bot.user({ id: COORDINATOR });
    await coordinator.send('/stats');
    expect(coordinator.lastBotText()).toBe(
      [
        'Cities4Cities at a glance',
        '',
        'Call for mentors: open',
        'Deadline: 20.03.2026 23:59 (Kyiv time)',
        '',
        'Applications: 7 (drafts still being written: 2)',
        'New: 1 · Shortlisted: 2 · Accepted: 2 · Rejected: 1 · Withdrawn: 1',
        'Mentors: 2',
        '',
        'Mentee teams: 5',
        'Invited: 1 · Joined: 1 · Answering the needs analysis: 1 · Needs analysis submitted: 1 · Working with a mentor: 1',
        'Pairs: active 1, ended 1',
        '',
        'Next 30 days (Kyiv time)',
        'Sessions: 1',
        '• 05.03.2026 10:00 — Visit — Anna Kowalska – Bucha',
        'Events: 1',
        '• 12.03.2026 09:00 — Spring forum, Kyiv (registered: 2 of 40)',
      ].join('\n'),
    );
  });

  it('says when nothing is planned and the deadline has passed, in the coordinator’s language', async () => {
    const bot = await startTestBot({ env, clock: new TestClock(NOW) });
    const db = bot.app.deps.db;
    await db.programme.updateMany({ data: { name: 'Громади', applicationDeadline: new Date('2026-02-01T10:00:00Z') } });
    const coordinator = bot.user({ id: COORDINATOR, language_code: 'uk' });
    await coordinator.send('/stats');
    const text = coordinator.lastBotText();
    expect(text).toContain('Конкурс для менторів: закритий');
    expect(text).toContain('Дедлайн: 01.02.2026 12:00');
    expect(text).toContain('(минув)');
    expect(text).toContain('Заявки: 0 (чернеток, які ще заповнюються: 0)');
    expect(text).toContain('Найближчі 30 днів\nНічого не заплановано.');
  });

  it('is refused to anyone who is not a coordinator', async () => {
    const bot = await startTestBot({ env });
    const replies = await bot.user({ id: 1001, language_code: 'pl' }).send('/stats');
    expect(replies.text).toBe('To jest dostępne tylko dla koordynatorów programu.');
  });
});
