import type { ApplicationDecision } from '../generated/sqlite/client.ts';
import type { Decision } from '../domain/application-status.js';
import type { Database } from './database.js';

export type { ApplicationDecision };

/** Ids per `IN (…)` query. */
const ID_CHUNK = 500;

/** The form id of mentor applications (src/forms/mentor-application.ts). */
const APPLICATION_FORM = 'application';

/** A submitted or withdrawn application as the coordinators' review sees it. */
export interface ApplicationRow {
  id: number;
  programmeId: number;
  /** The applicant's Person.id, from the response's owner "person:<id>". */
  personId: number | undefined;
  status: 'submitted' | 'withdrawn';
  submittedAt: Date | null;
  /** The applicant's name as they gave it, or undefined if the answer is missing. */
  name: string | undefined;
  /** Theme ids ticked as areas of expertise. */
  expertise: string[];
  /** Where the applicant works, as typed; undefined when not answered. */
  country: string | undefined;
  city: string | undefined;
  /** Working language codes ticked. */
  languages: string[];
  /** CEFR level, e.g. "B2". */
  englishLevel: string | undefined;
  decisions: ApplicationDecision[];
}

function personIdOf(ownerKey: string): number | undefined {
  const m = /^person:(\d+)$/.exec(ownerKey);
  return m ? Number(m[1]) : undefined;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function expertiseOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object' && 'choices' in value && Array.isArray(value.choices)) {
    return value.choices.filter((v: unknown): v is string => typeof v === 'string');
  }
  return [];
}

const reviewedAnswers = { where: { questionId: { in: ['full_name', 'expertise_areas', 'country', 'city', 'working_languages', 'english_level'] } } };

const textOf = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

type ResponseWithAnswers = {
  id: number;
  programmeId: number;
  ownerKey: string;
  status: string;
  submittedAt: Date | null;
  answers: Array<{ questionId: string; value: string }>;
};

function toRow(response: ResponseWithAnswers, decisions: ApplicationDecision[]): ApplicationRow {
  const answer = (id: string) => {
    const found = response.answers.find((a) => a.questionId === id);
    return found ? parseJson(found.value) : undefined;
  };
  const name = answer('full_name');
  return {
    id: response.id,
    programmeId: response.programmeId,
    personId: personIdOf(response.ownerKey),
    status: response.status === 'withdrawn' ? 'withdrawn' : 'submitted',
    submittedAt: response.submittedAt,
    name: typeof name === 'string' && name.trim() !== '' ? name : undefined,
    expertise: expertiseOf(answer('expertise_areas')),
    country: textOf(answer('country')),
    city: textOf(answer('city')),
    languages: expertiseOf(answer('working_languages')),
    englishLevel: textOf(answer('english_level')),
    decisions,
  };
}

/** Every submitted or withdrawn application of a programme (drafts are the applicants' own business), oldest first. */
export async function listApplications(db: Database, programmeId: number): Promise<ApplicationRow[]> {
  const responses = await db.formResponse.findMany({
    where: { programmeId, formId: APPLICATION_FORM, status: { in: ['submitted', 'withdrawn'] } },
    include: { answers: reviewedAnswers },
    orderBy: { id: 'asc' },
  });
  // A few hundred ids per query: the database refuses a statement with too many parameters (2,000 applications did).
  const byResponse = new Map<number, ApplicationDecision[]>();
  for (let start = 0; start < responses.length; start += ID_CHUNK) {
    const decisions = await db.applicationDecision.findMany({
      where: { responseId: { in: responses.slice(start, start + ID_CHUNK).map((r) => r.id) } },
      orderBy: { id: 'asc' },
    });
    for (const d of decisions) byResponse.set(d.responseId, [...(byResponse.get(d.responseId) ?? []), d]);
  }
  return responses.map((r) => toRow(r, byResponse.get(r.id) ?? []));
}

/** One application, if it exists and is not a draft. */
export async function findApplication(db: Database, responseId: number): Promise<ApplicationRow | undefined> {
  const response = await db.formResponse.findUnique({ where: { id: responseId }, include: { answers: reviewedAnswers } });
  if (!response || response.formId !== APPLICATION_FORM || !['submitted', 'withdrawn'].includes(response.status)) return undefined;
  const decisions = await db.applicationDecision.findMany({ where: { responseId }, orderBy: { id: 'asc' } });
  return toRow(response, decisions);
}

export interface NewDecision {
  responseId: number;
  decision: Decision;
  message: string;
}

/**
 * Records one coordinator action on one or more applications: all its decisions share
 * who and when, and get consecutive ids. A decision not yet sent for the same
 * application is replaced (marked undone) by the new one.
 */
export async function recordDecisions(
  db: Database,
  input: { items: NewDecision[]; decidedById: number; at: Date },
): Promise<{ created: ApplicationDecision[]; replaced: number[] }> {
  return db.$transaction(async (tx) => {
    const responseIds = input.items.map((i) => i.responseId);
    const pending = await tx.applicationDecision.findMany({
      where: { responseId: { in: responseIds }, sentAt: null, undoneAt: null },
      select: { id: true },
    });
    if (pending.length > 0) {
      await tx.applicationDecision.updateMany({ where: { id: { in: pending.map((p) => p.id) } }, data: { undoneAt: input.at } });
    }
    const created: ApplicationDecision[] = [];
    for (const item of input.items) {
      created.push(
        await tx.applicationDecision.create({
          data: { ...item, decidedById: input.decidedById, decidedAt: input.at },
        }),
      );
    }
    return { created, replaced: pending.map((p) => p.id) };
  });
}

export function findDecision(db: Database, id: number): Promise<ApplicationDecision | null> {
  return db.applicationDecision.findUnique({ where: { id } });
}

/**
 * The decisions one coordinator action recorded: ids from `first` to `last` made by
 * the same coordinator at the same moment as `first`.
 */
export async function decisionsOfAction(db: Database, first: number, last: number): Promise<ApplicationDecision[]> {
  const head = await db.applicationDecision.findUnique({ where: { id: first } });
  if (!head) return [];
  return db.applicationDecision.findMany({
    where: { id: { gte: first, lte: last }, decidedById: head.decidedById, decidedAt: head.decidedAt },
    orderBy: { id: 'asc' },
  });
}

/** Undoes those of the decisions not sent yet; returns the ids actually undone. */
export async function undoUnsent(db: Database, ids: number[], at: Date): Promise<number[]> {
  const unsent = await db.applicationDecision.findMany({ where: { id: { in: ids }, sentAt: null, undoneAt: null }, select: { id: true } });
  const undone: number[] = [];
  for (const { id } of unsent) {
    const { count } = await db.applicationDecision.updateMany({ where: { id, sentAt: null, undoneAt: null }, data: { undoneAt: at } });
    if (count === 1) undone.push(id);
  }
  return undone;
}

/**
 * Marks a decision as sent before its message goes out, so that two coordinators
 * pressing Send at once never tell an applicant twice. False if it was sent or undone meanwhile.
 */
export async function claimForSending(db: Database, id: number, at: Date): Promise<boolean> {
  const { count } = await db.applicationDecision.updateMany({ where: { id, sentAt: null, undoneAt: null }, data: { sentAt: at } });
  return count === 1;
}

/** The message could not be delivered for a passing reason: the decision waits to be sent again. */
export async function releaseClaim(db: Database, id: number): Promise<void> {
  await db.applicationDecision.update({ where: { id }, data: { sentAt: null } });
}

/** Replaces the message of those decisions not sent yet; returns how many were changed. */
export async function setUnsentMessage(db: Database, ids: number[], message: string): Promise<number> {
  const { count } = await db.applicationDecision.updateMany({ where: { id: { in: ids }, sentAt: null, undoneAt: null }, data: { message } });
  return count;
}

/** Decisions on the programme's applications that wait to be sent, oldest first. */
export async function unsentDecisions(db: Database, programmeId: number): Promise<ApplicationDecision[]> {
  const pending = await db.applicationDecision.findMany({ where: { sentAt: null, undoneAt: null }, orderBy: { id: 'asc' } });
  if (pending.length === 0) return [];
  const ofProgramme = await db.formResponse.findMany({
    where: { id: { in: [...new Set(pending.map((d) => d.responseId))] }, programmeId, formId: APPLICATION_FORM },
    select: { id: true },
  });
  const ids = new Set(ofProgramme.map((r) => r.id));
  return pending.filter((d) => ids.has(d.responseId));
}
