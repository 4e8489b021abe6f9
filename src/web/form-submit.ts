import type { Api } from 'grammy';
import type { AppDeps } from '../context.js';
import { findFormSession, forgetFormSession, loadResponse } from '../db/form-responses.js';
import type { Person } from '../db/database.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import type { Locale } from '../locales.js';

/**
 * Submit from the page, as the chat's review does it: the form's own submit runs on
 * the stored answers, and its messages (the receipt) go to the person's chat. The
 * chat no longer waits in this form afterwards.
 */
export async function submitFromPage(
  deps: AppDeps,
  api: Api,
  botUsername: string,
  behaviour: FormBehaviour,
  responseId: number,
  person: Person,
  locale: Locale,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const response = await loadResponse(deps.db, responseId);
  if (!response) return { ok: false, message: deps.i18n.t(locale)('errors.generic') };
  const result = await behaviour.submit({ deps, api, botUsername, response, personId: person.id, locale });
  const leave = async () => {
    const session = await findFormSession(deps.db, person.id);
    if (session?.responseId === responseId) await forgetFormSession(deps.db, person.id);
  };
  if (result.ok) {
    await leave();
    for (const text of result.messages) await api.sendMessage(Number(person.telegramId), text);
    return { ok: true };
  }
  if (result.leave) await leave();
  return { ok: false, message: result.message };
}
