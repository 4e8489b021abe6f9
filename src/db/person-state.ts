import type { Database, Person } from './database.js';
import { asBoolean, asDate, directSql } from './direct-sql.js';
import { ANSWERS_AS_JSON, responseFromRow, type ResponseSnapshot } from './form-responses.js';

/**
 * What handling one update needs to know about the person behind it, read in one
 * statement at its start (src/middleware/person-context.ts): their row, the
 * conversations plugin's state for their chat, and the form they are in, if any,
 * with its answers and the programme's consent text. Nothing of it is cached
 * between updates: several instances may share the database, and a role or an
 * answer changed by another one is seen at the next update.
 */
export interface PersonState {
  /** Null for someone new. */
  person: Person | null;
  /** The stored conversation state of the chat (JSON), or null. */
  conversationState: string | null;
  formSession: FormSessionState | null;
}

export interface FormSessionState {
  responseId: number;
  sectionId: string | null;
  askedQuestionId: string | null;
  returnToReview: boolean;
  /** The stored answer to the asked question is a long answer still being written (FormSession.gathering). */
  gathering: boolean;
  /** The response the session points to; undefined when it is gone. */
  response?: ResponseSnapshot;
  consentText: string | null;
}

interface Row {
  p_id: unknown;
  p_telegramId: unknown;
  p_firstName: string;
  p_lastName: string | null;
  p_username: string | null;
  p_language: string;
  p_languageChosen: unknown;
  p_role: string;
  p_blockedAt: unknown;
  p_createdAt: unknown;
  p_updatedAt: unknown;
  cs_value: string | null;
  fs_responseId: unknown;
  fs_sectionId: string | null;
  fs_askedQuestionId: string | null;
  fs_returnToReview: unknown;
  fs_gathering: unknown;
  fr_id: unknown;
  fr_programmeId: unknown;
  fr_formId: string | null;
  fr_ownerKey: string | null;
  fr_status: string | null;
  fr_submittedAt: unknown;
  pr_consentText: string | null;
  fr_answers: string | null;
}

/**
 * The statement's text around its two values (the Telegram id, the chat's key), for each database.
 * It starts from a row of its own so that it gives the chat's conversation state for someone new too.
 */
const stateQuery = (answers: string): readonly string[] => [
  `SELECT p."id" AS "p_id", p."telegramId" AS "p_telegramId", p."firstName" AS "p_firstName", p."lastName" AS "p_lastName",
           p."username" AS "p_username", p."language" AS "p_language", p."languageChosen" AS "p_languageChosen", p."role" AS "p_role",
           p."blockedAt" AS "p_blockedAt", p."createdAt" AS "p_createdAt", p."updatedAt" AS "p_updatedAt",
           cs."value" AS "cs_value",
           fs."responseId" AS "fs_responseId", fs."sectionId" AS "fs_sectionId", fs."askedQuestionId" AS "fs_askedQuestionId",
           fs."returnToReview" AS "fs_returnToReview", fs."gathering" AS "fs_gathering",
           fr."id" AS "fr_id", fr."programmeId" AS "fr_programmeId", fr."formId" AS "fr_formId", fr."ownerKey" AS "fr_ownerKey",
           fr."status" AS "fr_status", fr."submittedAt" AS "fr_submittedAt",
           pr."consentText" AS "pr_consentText",
           ${answers} AS "fr_answers"
    FROM (SELECT 1 AS "one") AS "always"
    LEFT JOIN "Person" p ON p."telegramId" = `,
  `
    LEFT JOIN "ConversationState" cs ON cs."key" = `,
  `
    LEFT JOIN "FormSession" fs ON fs."personId" = p."id"
    LEFT JOIN "FormResponse" fr ON fr."id" = fs."responseId"
    LEFT JOIN "Programme" pr ON pr."id" = fr."programmeId"`,
];
const STATE_QUERY = { sqlite: stateQuery(ANSWERS_AS_JSON.sqlite), postgresql: stateQuery(ANSWERS_AS_JSON.postgresql) };

/** The person with this Telegram id and what goes with them. */
export async function loadPersonState(db: Database, telegramId: bigint, conversationKey: string): Promise<PersonState> {
  // One statement both databases read alike but for the answers' JSON: Prisma would send one query per table.
  const direct = directSql(db);
  const rows = await direct.query<Row>({ strings: STATE_QUERY[direct.provider], values: [telegramId, conversationKey] });
  const first = rows[0]!;
  if (first.p_id === null || first.p_id === undefined) return { person: null, conversationState: first.cs_value, formSession: null };
  const person: Person = {
    id: Number(first.p_id),
    telegramId: BigInt(first.p_telegramId as bigint),
    firstName: first.p_firstName,
    lastName: first.p_lastName,
    username: first.p_username,
    language: first.p_language,
    languageChosen: asBoolean(first.p_languageChosen),
    role: first.p_role,
    blockedAt: asDate(first.p_blockedAt),
    createdAt: asDate(first.p_createdAt)!,
    updatedAt: asDate(first.p_updatedAt)!,
  };
  let formSession: FormSessionState | null = null;
  if (first.fs_responseId !== null && first.fs_responseId !== undefined) {
    formSession = {
      responseId: Number(first.fs_responseId),
      sectionId: first.fs_sectionId,
      askedQuestionId: first.fs_askedQuestionId,
      returnToReview: asBoolean(first.fs_returnToReview),
      gathering: asBoolean(first.fs_gathering),
      consentText: first.pr_consentText,
    };
    if (first.fr_id !== null && first.fr_id !== undefined) {
      formSession.response = responseFromRow({
        id: first.fr_id,
        programmeId: first.fr_programmeId,
        formId: first.fr_formId!,
        ownerKey: first.fr_ownerKey!,
        status: first.fr_status!,
        submittedAt: first.fr_submittedAt,
        answers: first.fr_answers,
      });
    }
  }
  return { person, conversationState: first.cs_value, formSession };
}
