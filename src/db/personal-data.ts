import type { Database } from './database.js';

/**
 * Everything stored about one person, across the programme's records: the one place
 * that knows where personal data lives, for /mydata and /forget.
 */
export async function collectPersonalData(db: Database, personId: number) {
  const person = await db.person.findUniqueOrThrow({ where: { id: personId } });
  const ownerKey = `person:${personId}`;
  const responses = await db.formResponse.findMany({
    where: { OR: [{ ownerKey }, { ownerKey: { endsWith: `:person:${personId}` } }] },
    include: { answers: true },
  });
  const teamAnswers = await db.formAnswer.findMany({ where: { answeredById: personId, response: { ownerKey: { startsWith: 'team:' } } } });
  const memberships = await db.teamMember.findMany({ where: { personId }, include: { team: { select: { id: true, name: true } } } });
  const mentor = await db.mentor.findMany({ where: { personId } });
  const decisions = await db.applicationDecision.findMany({ where: { responseId: { in: responses.map((r) => r.id) } } });
  return {
    person: {
      telegramId: person.telegramId.toString(),
      firstName: person.firstName,
      lastName: person.lastName,
      username: person.username,
      language: person.language,
      role: person.role,
      createdAt: person.createdAt,
    },
    forms: responses.map((r) => ({
      form: r.formId,
      status: r.status,
      submittedAt: r.submittedAt,
      answers: Object.fromEntries(r.answers.map((a) => [a.questionId, JSON.parse(a.value) as unknown])),
    })),
    answersGivenForTeams: teamAnswers.map((a) => ({ question: a.questionId, answer: JSON.parse(a.value) as unknown, at: a.answeredAt })),
    teams: memberships.map((m) => ({ team: m.team.name, joinedAt: m.joinedAt })),
    mentor: mentor.map((m) => ({ acceptedAt: m.acceptedAt, capacity: m.capacity })),
    decisionsOnApplication: decisions.filter((d) => d.sentAt && !d.undoneAt).map((d) => ({ decision: d.decision, message: d.message, sentAt: d.sentAt })),
    mentoringLogs: await db.mentoringLog.findMany({ where: { mentorPersonId: personId }, select: { date: true, amount: true, activity: true, note: true } }),
    stakeholdersAdded: await db.stakeholder.findMany({ where: { addedById: personId }, select: { name: true, organisation: true, role: true } }),
    sessionAnswers: await db.sessionRsvp.findMany({ where: { personId }, select: { sessionId: true, answer: true, note: true, answeredAt: true } }),
    eventRegistrations: await db.eventRegistration.findMany({ where: { personId }, select: { eventId: true, status: true, registeredAt: true } }),
  };
}

/**
 * Answers of an application that may stay after its author asked to be forgotten:
 * what coordinators count (expertise, languages, availability, how they heard of the
 * call), nothing that identifies or describes the person.
 */
export const ANONYMOUS_APPLICATION_ANSWERS = [
  'expertise_areas',
  'experience_years',
  'context_knowledge',
  'working_languages',
  'english_level',
  'ready_six_months',
  'ready_to_travel',
  'ready_for_meetings',
  'heard_from',
  'country',
] as const;

/** Deletes a person's personal data; what the programme's statistics need stays, without them. */
export async function forgetPerson(db: Database, personId: number, at: Date): Promise<void> {
  const person = await db.person.findUniqueOrThrow({ where: { id: personId } });
  const ownerKey = `person:${personId}`;
  await db.$transaction(async (tx) => {
    const responses = await tx.formResponse.findMany({ where: { OR: [{ ownerKey }, { ownerKey: { endsWith: `:person:${personId}` } }] } });
    for (const response of responses) {
      if (response.formId === 'application') {
        await anonymiseApplication(tx, response.id);
      } else {
        await tx.formResponse.delete({ where: { id: response.id } });
      }
    }
    // Answers given for a team belong to the team; who gave them does not stay.
    await tx.formAnswer.updateMany({ where: { answeredById: personId }, data: { answeredById: 0 } });
    await tx.formAnswerHistory.updateMany({ where: { answeredById: personId }, data: { answeredById: 0 } });
    await tx.teamMember.deleteMany({ where: { personId } });
    await tx.mentoringLog.updateMany({ where: { mentorPersonId: personId }, data: { note: null } });
    await tx.sessionRsvp.deleteMany({ where: { personId } });
    await tx.eventRegistration.deleteMany({ where: { personId } });
    await tx.formSession.deleteMany({ where: { personId } });
    await tx.mentoringLogStep.deleteMany({ where: { personId } });
    await tx.outgoingMessage.updateMany({ where: { personId, status: 'pending' }, data: { status: 'dropped', error: 'person asked to be forgotten' } });
    await tx.conversationState.deleteMany({ where: { key: person.telegramId.toString() } });
    // The row stays for the records that point at it, with nothing left to identify anyone.
    await tx.person.update({
      where: { id: personId },
      data: { telegramId: BigInt(-personId), firstName: '—', lastName: null, username: null, role: 'member', blockedAt: at },
    });
  });
}

type Transaction = Parameters<Parameters<Database['$transaction']>[0]>[0];

/** Keeps only what statistics need of an application. */
async function anonymiseApplication(tx: Transaction | Database, responseId: number): Promise<void> {
  await tx.formAnswer.deleteMany({ where: { responseId, questionId: { notIn: [...ANONYMOUS_APPLICATION_ANSWERS] } } });
  await tx.formAnswerHistory.deleteMany({ where: { responseId } });
  await tx.applicationDecision.updateMany({ where: { responseId }, data: { message: '' } });
}

/**
 * The retention period: applications that did not lead to a mentor are anonymised once
 * it has passed since the call's deadline. Returns how many were.
 */
export async function anonymiseExpiredApplications(db: Database, now: Date): Promise<number> {
  let count = 0;
  for (const programme of await db.programme.findMany({ where: { retentionMonths: { not: null }, applicationDeadline: { not: null } } })) {
    const until = new Date(programme.applicationDeadline!);
    until.setUTCMonth(until.getUTCMonth() + programme.retentionMonths!);
    if (now < until) continue;
    const accepted = (await db.mentor.findMany({ where: { programmeId: programme.id }, select: { applicationId: true } })).map((m) => m.applicationId);
    const applications = await db.formResponse.findMany({
      where: { programmeId: programme.id, formId: 'application', id: { notIn: accepted }, answers: { some: { questionId: { notIn: [...ANONYMOUS_APPLICATION_ANSWERS] } } } },
      select: { id: true },
    });
    for (const application of applications) await db.$transaction((tx) => anonymiseApplication(tx, application.id));
    count += applications.length;
  }
  return count;
}
