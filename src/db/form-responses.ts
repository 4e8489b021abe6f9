import type { StoredAnswers } from '../forms/engine/navigation.js';
import type { AnswerValue } from '../forms/types.js';
import type { FormSession } from '../generated/sqlite/client.ts';
import type { Database } from './database.js';
import { asDate, asNumber, directSql, executeInTransaction, sql, type Statement } from './direct-sql.js';

export type ResponseStatus = 'draft' | 'submitted' | 'withdrawn';

/** A response as the rest of the bot sees it: plain data, safe to keep in conversation state. */
export interface ResponseSnapshot {
  id: number;
  programmeId: number;
  formId: string;
  ownerKey: string;
  status: ResponseStatus;
  submittedAt: string | null;
  answers: StoredAnswers;
}

export const personOwner = (personId: number) => `person:${personId}`;
export const teamOwner = (teamId: number) => `team:${teamId}`;

export async function findOrCreateResponse(
  db: Database,
  key: { programmeId: number; formId: string; ownerKey: string },
): Promise<ResponseSnapshot> {
  const now = new Date();
  // One insert that leaves an existing response alone; only an existing one is read.
  const [created] = await directSql(db).query<{ id: unknown }>(sql`INSERT INTO "FormResponse" ("programmeId", "formId", "ownerKey", "status", "createdAt", "updatedAt")
    VALUES (${key.programmeId}, ${key.formId}, ${key.ownerKey}, ${'draft'}, ${now}, ${now})
    ON CONFLICT ("programmeId", "formId", "ownerKey") DO NOTHING RETURNING "id"`);
  if (created) return { id: asNumber(created.id), ...key, status: 'draft', submittedAt: null, answers: {} };
  return (await findResponse(db, key))!;
}

export async function findResponse(
  db: Database,
  key: { programmeId: number; formId: string; ownerKey: string },
): Promise<ResponseSnapshot | undefined> {
  const direct = directSql(db);
  const [row] = await direct.query<ResponseRow>({
    strings: RESPONSE_BY_KEY[direct.provider],
    values: [key.programmeId, key.formId, key.ownerKey],
  });
  return row ? responseFromRow(row) : undefined;
}

export async function loadResponse(db: Database, responseId: number): Promise<ResponseSnapshot | undefined> {
  const direct = directSql(db);
  const [row] = await direct.query<ResponseRow>({ strings: RESPONSE_BY_ID[direct.provider], values: [responseId] });
  return row ? responseFromRow(row) : undefined;
}

/**
 * The form's answers as one JSON object text ({"question": value}): one row to read instead
 * of one per answer, each repeating the person's columns (several times cheaper with 20 answers).
 */
export const ANSWERS_AS_JSON = {
  sqlite: `(SELECT json_group_object(fa."questionId", json(fa."value")) FROM "FormAnswer" fa WHERE fa."responseId" = fr."id")`,
  postgresql: `(SELECT json_object_agg(fa."questionId", fa."value"::json)::text FROM "FormAnswer" fa WHERE fa."responseId" = fr."id")`,
};

// A response with its answers in one statement.
const responseQuery = (answers: string, where: readonly string[]): readonly string[] => [
  `SELECT fr."id", fr."programmeId", fr."formId", fr."ownerKey", fr."status", fr."submittedAt", ${answers} AS "answers"
    FROM "FormResponse" fr WHERE ${where[0]}`,
  ...where.slice(1),
];
const BY_ID = ['fr."id" = ', ''];
const BY_KEY = ['fr."programmeId" = ', ' AND fr."formId" = ', ' AND fr."ownerKey" = ', ''];
const RESPONSE_BY_ID = { sqlite: responseQuery(ANSWERS_AS_JSON.sqlite, BY_ID), postgresql: responseQuery(ANSWERS_AS_JSON.postgresql, BY_ID) };
const RESPONSE_BY_KEY = { sqlite: responseQuery(ANSWERS_AS_JSON.sqlite, BY_KEY), postgresql: responseQuery(ANSWERS_AS_JSON.postgresql, BY_KEY) };

/** A response as a plain-SQL statement reads it, with ANSWERS_AS_JSON as `answers`. */
export interface ResponseRow {
  id: unknown;
  programmeId: unknown;
  formId: string;
  ownerKey: string;
  status: string;
  submittedAt: unknown;
  answers: string | null;
}

export function responseFromRow(row: ResponseRow): ResponseSnapshot {
  return {
    id: asNumber(row.id),
    programmeId: asNumber(row.programmeId),
    formId: row.formId,
    ownerKey: row.ownerKey,
    status: row.status as ResponseStatus,
    submittedAt: asDate(row.submittedAt)?.toISOString() ?? null,
    answers: row.answers === null ? {} : (JSON.parse(row.answers) as StoredAnswers),
  };
}

/**
 * Stores one answer the moment it is accepted. A different earlier answer is moved to
 * the history with who gave it and when, so that when two team members change the same
 * answer the later one wins and nothing is lost.
 */
export async function saveAnswer(db: Database, answer: NewAnswer, marker?: Marker, options: SaveOptions = {}): Promise<void> {
  const value = JSON.stringify(answer.value);
  await db.$transaction(async (tx) => {
    const key = { responseId_questionId: { responseId: answer.responseId, questionId: answer.questionId } };
    const previous = await tx.formAnswer.findUnique({ where: key });
    const amending =
      previous !== null &&
      options.amendOwnWithinMs !== undefined &&
      previous.answeredById === answer.answeredById &&
      answer.at.getTime() - new Date(previous.answeredAt).getTime() <= options.amendOwnWithinMs;
    if (previous && previous.value !== value && !amending) {
      await tx.formAnswerHistory.create({
        data: {
          responseId: previous.responseId,
          questionId: previous.questionId,
          value: previous.value,
          answeredById: previous.answeredById,
          answeredAt: previous.answeredAt,
          replacedAt: answer.at,
        },
      });
    }
    await tx.formAnswer.upsert({
      where: key,
      create: { responseId: answer.responseId, questionId: answer.questionId, value, answeredById: answer.answeredById, answeredAt: answer.at },
      update: { value, answeredById: answer.answeredById, answeredAt: answer.at },
    });
    if (marker) await executeInTransaction(tx, directSql(db).provider, writeMarker(answer.responseId, marker, answer.at));
    if (marker?.forgetConversationState !== undefined) await tx.conversationState.deleteMany({ where: { key: marker.forgetConversationState } });
  });
}

export interface SaveOptions {
  /**
   * The same person changing their own answer again within this time replaces it
   * without a history entry: a page saves a long answer while it is typed, and the
   * history should keep what each person answered, not every few words.
   */
  amendOwnWithinMs?: number;
}

export interface NewAnswer {
  responseId: number;
  questionId: string;
  value: AnswerValue | null;
  answeredById: number;
  at: Date;
}

/** Which question (or "review") is put to the person next; null when none is. */
export interface Marker {
  personId: number;
  asked: AskedQuestion | null;
  /** The chat whose stored conversation state goes too (ConversationState.key), if any. */
  forgetConversationState?: string;
  /** The answer just stored is a long one still being written, to the question asked (FormSession.gathering). */
  gathering?: boolean;
}

/** The answer the person's form showed for a question when they answered it: none, or this value. */
export type ShownAnswer = { value: AnswerValue | null } | undefined;

/**
 * Stores an accepted answer together with the note of the question put to the person next
 * (see markAsked), in one transaction, before that question is sent. What the form showed
 * (`shown`) picks the cheapest way that gives what saveAnswer gives: with no answer shown, a
 * plain insert; with the same answer shown (a long answer stored as it came, now confirmed),
 * only who and when change. Should another answer have arrived since (a team mate's), those
 * change nothing, and saveAnswer then replaces it, keeping it in the history.
 */
export async function saveAnswerAndMarkAsked(db: Database, answer: NewAnswer, shown: ShownAnswer, marker: Marker): Promise<void> {
  const quick = quickWrite(answer, shown);
  if (!quick) return saveAnswer(db, answer, marker);
  const forget = marker.forgetConversationState;
  const alsoForget = forget !== undefined ? [sql`DELETE FROM "ConversationState" WHERE "key" = ${forget}`] : [];
  const [written] = await directSql(db).transaction([quick, writeMarker(answer.responseId, marker, answer.at), ...alsoForget]);
  if (written === 0) await saveAnswer(db, answer);
}

/** Stores an answer as saveAnswer does, the cheapest way what the form showed allows (see saveAnswerAndMarkAsked). */
export async function saveNewAnswer(db: Database, answer: NewAnswer, shown: ShownAnswer | 'unknown'): Promise<void> {
  const quick = quickWrite(answer, shown);
  if (!quick || (await directSql(db).execute(quick)) === 0) await saveAnswer(db, answer);
}

/** The one-statement write for a first answer or a confirmed one; undefined when the answer changes. */
function quickWrite(answer: NewAnswer, shown: ShownAnswer | 'unknown'): Statement | undefined {
  if (shown === 'unknown') return undefined;
  const value = JSON.stringify(answer.value);
  // A first answer; it changes nothing (0 rows) when there is one already.
  if (shown === undefined) {
    return sql`INSERT INTO "FormAnswer" ("responseId", "questionId", "value", "answeredById", "answeredAt")
      VALUES (${answer.responseId}, ${answer.questionId}, ${value}, ${answer.answeredById}, ${answer.at})
      ON CONFLICT ("responseId", "questionId") DO NOTHING`;
  }
  if (JSON.stringify(shown.value) !== value) return undefined;
  return sql`UPDATE "FormAnswer" SET "answeredById" = ${answer.answeredById}, "answeredAt" = ${answer.at}
    WHERE "responseId" = ${answer.responseId} AND "questionId" = ${answer.questionId} AND "value" = ${value}`;
}

/** Notes the question asked in the person's FormSession (on the path of every answer: plain SQL, see direct-sql.ts). */
function writeMarker(responseId: number, marker: Marker, at: Date): Statement {
  return sql`UPDATE "FormSession" SET "askedQuestionId" = ${marker.asked?.questionId ?? null},
    "returnToReview" = ${marker.asked?.returnToReview ?? false}, "gathering" = ${marker.gathering ?? false}, "updatedAt" = ${at}
    WHERE "personId" = ${marker.personId} AND "responseId" = ${responseId}`;
}

export async function setResponseStatus(db: Database, responseId: number, status: ResponseStatus, at: Date): Promise<void> {
  await db.formResponse.update({
    where: { id: responseId },
    data: {
      status,
      ...(status === 'submitted' ? { submittedAt: at, withdrawnAt: null } : {}),
      ...(status === 'withdrawn' ? { withdrawnAt: at } : {}),
    },
  });
}

export function answerHistory(db: Database, responseId: number, questionId: string) {
  return db.formAnswerHistory.findMany({ where: { responseId, questionId }, orderBy: { replacedAt: 'asc' } });
}

export function answerAuthors(db: Database, responseId: number) {
  return db.formAnswer.findMany({ where: { responseId }, select: { questionId: true, answeredById: true, answeredAt: true } });
}

// ---- Which form a person is in ----

/** Notes the form the person is in: nothing of it asked yet, or `asked`, about to be sent. One statement (plain SQL). */
export async function rememberFormSession(db: Database, personId: number, responseId: number, sectionId?: string, asked?: AskedQuestion): Promise<void> {
  await directSql(db).execute(sql`INSERT INTO "FormSession" ("personId", "responseId", "sectionId", "askedQuestionId", "returnToReview", "gathering", "updatedAt")
    VALUES (${personId}, ${responseId}, ${sectionId ?? null}, ${asked?.questionId ?? null}, ${asked?.returnToReview ?? false}, ${false}, ${new Date()})
    ON CONFLICT ("personId") DO UPDATE SET "responseId" = excluded."responseId", "sectionId" = excluded."sectionId",
      "askedQuestionId" = excluded."askedQuestionId", "returnToReview" = excluded."returnToReview", "gathering" = excluded."gathering",
      "updatedAt" = excluded."updatedAt"`);
}

export function findFormSession(db: Database, personId: number) {
  return db.formSession.findUnique({ where: { personId } });
}

/** True when the person was in a form. */
export async function forgetFormSession(db: Database, personId: number): Promise<boolean> {
  const { count } = await db.formSession.deleteMany({ where: { personId } });
  return count > 0;
}

export async function countResponsesByStatus(db: Database, programmeId: number, formId: string): Promise<Record<ResponseStatus, number>> {
  const groups = await db.formResponse.groupBy({ by: ['status'], where: { programmeId, formId }, _count: { _all: true } });
  const count = (status: ResponseStatus) => groups.find((g) => g.status === status)?._count._all ?? 0;
  return { draft: count('draft'), submitted: count('submitted'), withdrawn: count('withdrawn') };
}

export async function deleteResponse(db: Database, responseId: number): Promise<void> {
  await db.formResponse.deleteMany({ where: { id: responseId } });
}

/** Responses of one form for several owners, e.g. the needs analyses of all teams. */
export async function responsesOf(db: Database, programmeId: number, formId: string, ownerKeys: string[]): Promise<Map<string, ResponseSnapshot>> {
  const rows = await db.formResponse.findMany({ where: { programmeId, formId, ownerKey: { in: ownerKeys } }, select: { id: true } });
  const snapshots = await Promise.all(rows.map((r) => loadResponse(db, r.id)));
  return new Map(snapshots.filter((s): s is ResponseSnapshot => s !== undefined).map((s) => [s.ownerKey, s]));
}

/** The team id of a response owned by a team ("team:<id>"), or undefined. */
export function teamIdOf(ownerKey: string): number | undefined {
  const match = /^team:(\d+)$/.exec(ownerKey);
  return match ? Number(match[1]) : undefined;
}

/** The question (or "review") last put to a person, and whether it was opened from the review. */
export interface AskedQuestion {
  questionId: string;
  returnToReview: boolean;
}

/** The question a session says was last asked, if any. */
export function askedIn(session: Pick<FormSession, 'askedQuestionId' | 'returnToReview'>): AskedQuestion | undefined {
  return session.askedQuestionId ? { questionId: session.askedQuestionId, returnToReview: session.returnToReview } : undefined;
}

/** Notes which question (or "review") is being put to the person, before it is sent; null when sending it failed. */
export async function markAsked(db: Database, personId: number, responseId: number, asked: AskedQuestion | null): Promise<void> {
  await directSql(db).execute(writeMarker(responseId, { personId, asked }, new Date()));
}

/** The question last put to the person in this response, if any, and whether it was opened from the review. */
export async function askedQuestion(db: Database, personId: number, responseId: number): Promise<AskedQuestion | undefined> {
  const session = await db.formSession.findUnique({ where: { personId } });
  return session?.responseId === responseId ? askedIn(session) : undefined;
}
