import type { FormDefinition, Question } from '../types.js';
import type { FormRequest } from './form-conversation.js';
import { findQuestion } from './navigation.js';
import { validateInput } from './validation.js';

/**
 * What a person was in the middle of when a new release came: the conversations plugin
 * drops stored state from other code (FORMS_VERSION), and with it a long answer being
 * written over several messages, which lives only there until Done. Its messages are
 * still in the old state's replay log: read them back, so that the next message adds to
 * them instead of starting again.
 */
export interface CarriedChange {
  /** The question the person was answering when the bot was updated. */
  questionId: string;
  questionType: Question['type'];
  /** The long answer gathered so far, as the form would have had it; undefined when there is none to carry. */
  text?: string;
}

interface OldConversation {
  args?: unknown;
  replay?: { receive?: Array<{ returnValue?: unknown }> };
}

/** From the dropped state of the chat's conversations, the form run at `askedQuestionId` of this response, if any. */
export function carriedChange(
  outdated: unknown,
  form: FormDefinition,
  responseId: number,
  askedQuestionId: string | null,
): CarriedChange | undefined {
  const runs = outdated && typeof outdated === 'object' ? (outdated as Record<string, unknown>).form : undefined;
  if (!Array.isArray(runs) || !askedQuestionId) return undefined;
  for (const run of runs as OldConversation[]) {
    const request = parseRequest(run.args);
    if (!request || request.responseId !== responseId) continue;
    const askedThen = request.resume?.asked?.questionId ?? (typeof request.start === 'object' ? request.start.question : undefined);
    if (askedThen !== askedQuestionId) continue;
    const question = findQuestion(form, askedQuestionId)?.question;
    if (!question) return undefined;
    if (question.type !== 'long_text' || !question.multiMessage) return { questionId: askedQuestionId, questionType: question.type };
    // The texts the run received, gathered as the form gathers them: one that made the answer too long was refused.
    let text: string | undefined;
    for (const received of run.replay?.receive ?? []) {
      const typed = typedText(received.returnValue);
      if (typed === undefined) continue;
      const combined = text === undefined ? typed.trim() : `${text}\n\n${typed.trim()}`;
      const checked = validateInput(question, { kind: 'text', text: combined });
      if (!('error' in checked)) text = checked.value as string;
    }
    return { questionId: askedQuestionId, questionType: question.type, ...(text !== undefined ? { text } : {}) };
  }
  return undefined;
}

function parseRequest(args: unknown): FormRequest | undefined {
  try {
    const parsed: unknown = typeof args === 'string' ? JSON.parse(args) : args;
    const first = Array.isArray(parsed) ? (parsed[0] as FormRequest | undefined) : undefined;
    return first && typeof first.responseId === 'number' ? first : undefined;
  } catch {
    return undefined;
  }
}

/** A plain text message (not a command) among the updates a run waited for. */
function typedText(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || typeof (value as { update_id?: unknown }).update_id !== 'number') return undefined;
  const text = (value as { message?: { text?: unknown } }).message?.text;
  return typeof text === 'string' && !text.startsWith('/') ? text : undefined;
}
