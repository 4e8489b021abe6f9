import type { Database } from '../db/database.js';
import { deleteResponse, findOrCreateResponse, findResponse, personOwner, saveAnswer } from '../db/form-responses.js';
import type { SessionKind } from '../db/sessions.js';
import type { AnswerValue } from '../forms/types.js';

/**
 * What someone is in the middle of in the sessions dialogue, kept in the database
 * (a response of the internal form "session_draft", one per person) so that every
 * answer survives a restart. Button data carries the draft id: buttons of a replaced
 * dialogue no longer act.
 */
export const SESSION_DRAFT_FORM = 'session_draft';

/** A draft untouched for this long no longer takes the person's messages. */
export const DRAFT_TTL_MS = 24 * 60 * 60_000;

export type DraftStep =
  /** Scheduling: */
  | 'pair'
  | 'kind'
  | 'time'
  | 'duration'
  | 'place'
  | 'agenda'
  | 'confirm'
  /** A new time for an existing session (`sessionId`, `sequence`). */
  | 'move'
  /** A participant's proposal of another time for `sessionId`. */
  | 'propose';

export interface SessionDraft {
  id: number;
  step: DraftStep;
  touchedAt: Date;
  pairId?: number;
  kind?: SessionKind;
  startsAt?: Date;
  durationMinutes?: number;
  place?: string | null;
  agenda?: string | null;
  sessionId?: number;
  sequence?: number;
}

type Fields = Omit<SessionDraft, 'id' | 'touchedAt'>;

function key(programmeId: number, personId: number) {
  return { programmeId, formId: SESSION_DRAFT_FORM, ownerKey: personOwner(personId) };
}

export async function loadDraft(db: Database, programmeId: number, personId: number): Promise<SessionDraft | undefined> {
  const response = await findResponse(db, key(programmeId, personId));
  if (!response) return undefined;
  const a = response.answers as Record<string, unknown>;
  if (typeof a.step !== 'string' || typeof a.touchedAt !== 'string') return undefined;
  return {
    id: response.id,
    step: a.step as DraftStep,
    touchedAt: new Date(a.touchedAt),
    ...(typeof a.pairId === 'number' ? { pairId: a.pairId } : {}),
    ...(typeof a.kind === 'string' ? { kind: a.kind as SessionKind } : {}),
    ...(typeof a.startsAt === 'string' ? { startsAt: new Date(a.startsAt) } : {}),
    ...(typeof a.durationMinutes === 'number' ? { durationMinutes: a.durationMinutes } : {}),
    ...('place' in a ? { place: (a.place as string | null) ?? null } : {}),
    ...('agenda' in a ? { agenda: (a.agenda as string | null) ?? null } : {}),
    ...(typeof a.sessionId === 'number' ? { sessionId: a.sessionId } : {}),
    ...(typeof a.sequence === 'number' ? { sequence: a.sequence } : {}),
  };
}

/** Starts a new draft, replacing whatever the person was in the middle of. */
export async function startDraft(
  db: Database,
  programmeId: number,
  personId: number,
  fields: Fields,
  at: Date,
): Promise<SessionDraft> {
  await discardDraft(db, programmeId, personId);
  const response = await findOrCreateResponse(db, key(programmeId, personId));
  await write(db, response.id, personId, fields, at);
  return { id: response.id, touchedAt: at, ...fields };
}

/** Records the given answers (and the next step) of a draft. */
export async function updateDraft(
  db: Database,
  draft: SessionDraft,
  personId: number,
  fields: Partial<Fields>,
  at: Date,
): Promise<SessionDraft> {
  await write(db, draft.id, personId, fields, at);
  return { ...draft, ...fields, touchedAt: at };
}

export async function discardDraft(db: Database, programmeId: number, personId: number): Promise<void> {
  const existing = await findResponse(db, key(programmeId, personId));
  if (existing) await deleteResponse(db, existing.id);
}

async function write(db: Database, responseId: number, personId: number, fields: Partial<Fields>, at: Date): Promise<void> {
  const values: Record<string, unknown> = { ...fields, touchedAt: at.toISOString() };
  if (fields.startsAt) values.startsAt = fields.startsAt.toISOString();
  for (const [questionId, value] of Object.entries(values)) {
    if (value === undefined) continue;
    await saveAnswer(db, { responseId, questionId, value: value as AnswerValue | null, answeredById: personId, at });
  }
}
