import type { AnswerValue } from '../forms/types.js';
import type { Database } from './database.js';
import { deleteResponse, findOrCreateResponse, findResponse, personOwner, saveAnswer } from './form-responses.js';

/**
 * The step of /log a mentor was last shown (a response of the internal form "log_step",
 * one per person). The choices themselves travel in the buttons; this only lets a typed
 * message in between be answered with the step again instead of "not understood".
 */
export const LOG_STEP_FORM = 'log_step';

export type LogStep =
  | { step: 'pair'; date?: string }
  | { step: 'date'; pairId: number }
  | { step: 'amount'; pairId: number; date: string }
  | { step: 'activity'; pairId: number; date: string; amount: string };

const key = (programmeId: number, personId: number) => ({ programmeId, formId: LOG_STEP_FORM, ownerKey: personOwner(personId) });

export async function noteLogStep(db: Database, programmeId: number, personId: number, step: LogStep, at: Date): Promise<void> {
  const response = await findOrCreateResponse(db, key(programmeId, personId));
  // Stored as its JSON text: a step is not one of the forms' answer shapes.
  const value: AnswerValue = JSON.stringify({ ...step, at: at.toISOString() });
  await saveAnswer(db, { responseId: response.id, questionId: 'step', value, answeredById: personId, at });
}

/** The step shown since `since`, if the mentor has not finished or left it. */
export async function currentLogStep(db: Database, programmeId: number, personId: number, since: Date): Promise<LogStep | undefined> {
  const response = await findResponse(db, key(programmeId, personId));
  const stored = response?.answers.step;
  if (typeof stored !== 'string') return undefined;
  try {
    const parsed = JSON.parse(stored) as LogStep & { at?: string };
    if (!parsed.at || Date.parse(parsed.at) < since.getTime()) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

export async function forgetLogStep(db: Database, programmeId: number, personId: number): Promise<boolean> {
  const existing = await findResponse(db, key(programmeId, personId));
  if (existing) await deleteResponse(db, existing.id);
  return existing !== undefined;
}
