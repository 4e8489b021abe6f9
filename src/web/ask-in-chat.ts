import type { Api } from 'grammy';
import type { AppDeps } from '../context.js';
import type { Person } from '../db/database.js';
import { markAsked, type ResponseSnapshot, rememberFormSession } from '../db/form-responses.js';
import { renderQuestion } from '../forms/engine/render.js';
import type { FormDefinition, Question } from '../forms/types.js';
import type { Translate } from '../i18n.js';

/**
 * A file is answered in the chat (Telegram delivers files to the bot, not to the
 * page). From the page the person asks the chat to put this question now: the chat
 * asks it as its own form does, and the file sent next is that question's answer,
 * taken and saved by the chat's form engine; the chat then goes on from the first
 * unanswered question.
 */
export async function askInChat(
  deps: AppDeps,
  api: Api,
  person: Person,
  form: FormDefinition,
  response: ResponseSnapshot,
  question: Question,
  t: Translate,
  consentText: string | null,
): Promise<void> {
  await rememberFormSession(deps.db, person.id, response.id);
  // Noted before it is sent, as the chat does: the next message answers it.
  await markAsked(deps.db, person.id, response.id, { questionId: question.id, returnToReview: false });
  const { text, keyboard, before } = renderQuestion(form, question, response.answers, t, { returnToReview: false, consentText });
  const chatId = Number(person.telegramId);
  try {
    for (const part of before) await api.sendMessage(chatId, part);
    await api.sendMessage(chatId, text, { reply_markup: keyboard });
  } catch (error) {
    // Never seen: the next message must not be taken as its answer.
    await markAsked(deps.db, person.id, response.id, null);
    throw error;
  }
}
