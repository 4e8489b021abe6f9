import type { Api } from 'grammy';
import type { AppDeps } from '../context.js';
import type { Person } from '../db/database.js';
import { askedQuestion, loadResponse, markAsked, type ResponseSnapshot, saveAnswer } from '../db/form-responses.js';
import { findPerson } from '../db/people.js';
import { findProgramme } from '../db/programmes.js';
import type { FormBehaviours } from '../forms/engine/form-conversation.js';
import { visibleQuestions } from '../forms/engine/navigation.js';
import { FORMS, isFormId } from '../forms/index.js';
import type { FormDefinition } from '../forms/types.js';
import { isLocale, type Locale } from '../locales.js';
import { mayUseResponse } from './access.js';
import { askInChat } from './ask-in-chat.js';
import { formView, plainText } from './form-view.js';
import { submitFromPage } from './form-submit.js';
import { authenticate } from './init-data.js';
import { checkWebAnswer } from './web-answer.js';

export interface ApiRequest {
  method: string;
  /** The path after /app/api, e.g. /responses/12/answers/city. */
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface FormApiContext {
  deps: AppDeps;
  api: Api;
  botUsername: string;
  behaviours: FormBehaviours;
}

/** The page saves a long answer while it is typed: within this time one person's edits count as one answer in the history. */
export const PAGE_EDIT_WINDOW_MS = 10 * 60 * 1000;

const RESPONSE = /^\/responses\/(\d{1,9})$/;
const ANSWER = /^\/responses\/(\d{1,9})\/answers\/(\w{1,64})$/;
const SUBMIT = /^\/responses\/(\d{1,9})\/submit$/;
const ASK = /^\/responses\/(\d{1,9})\/ask\/(\w{1,64})$/;

/**
 * The page's API. The person is whoever the init data says (never an id the page
 * sends); they may use only their own or their team's responses. Answers are saved
 * with the chat's functions, so history and submit behave as in chat.
 */
export async function handleFormApi(ctx: FormApiContext, request: ApiRequest): Promise<ApiResponse> {
  const { deps } = ctx;
  const user = authenticate(request.authorization, deps.config.botToken);
  if (!user) return { status: 401, body: { error: 'unauthorized' } };
  const person = await findPerson(deps.db, user.telegramId);
  const id = Number((RESPONSE.exec(request.path) ?? ANSWER.exec(request.path) ?? SUBMIT.exec(request.path) ?? ASK.exec(request.path))?.[1]);
  if (!id) return { status: 404, body: { error: 'not_found' } };
  // Someone who never started the bot has no responses at all.
  if (!person) return { status: 403, body: { error: 'forbidden' } };
  const locale: Locale = isLocale(person.language) ? person.language : deps.config.defaultLocale;
  const t = deps.i18n.t(locale);
  const response = await loadResponse(deps.db, id);
  if (!response || !isFormId(response.formId) || !(await mayUseResponse(deps.db, person.id, response))) {
    return { status: 403, body: { error: 'forbidden', message: plainText(t('web.page.forbidden')) } };
  }
  const form: FormDefinition = FORMS[response.formId];
  const behaviour = ctx.behaviours[form.id];
  const view = async (fresh?: ResponseSnapshot) => {
    const current = fresh ?? (await loadResponse(deps.db, id))!;
    const programme = await findProgramme(deps.db, current.programmeId);
    return formView(form, current, behaviour, t, locale, programme?.consentText ?? null);
  };

  if (request.method === 'GET' && RESPONSE.test(request.path)) return { status: 200, body: await view(response) };

  const locked = response.status === 'withdrawn' || (behaviour?.lockedWhenSubmitted === true && response.status === 'submitted');
  const answer = ANSWER.exec(request.path);
  if (request.method === 'PUT' && answer) {
    const questionId = answer[2]!;
    // Only questions the person can see now, as in chat.
    const question = visibleQuestions(form, response.answers).find((q) => q.id === questionId);
    if (!question) return { status: 404, body: { error: 'not_found' } };
    if (locked) return { status: 409, body: { error: 'locked', message: plainText(t(behaviour?.lockedMessageKey ?? 'form.locked')) } };
    const raw = (request.body as { value?: unknown } | null)?.value;
    const checked = raw === undefined ? { error: 'text_expected' } : checkWebAnswer(question, raw);
    if ('error' in checked) {
      return { status: 422, body: { error: checked.error, message: plainText(t(`form.errors.${checked.error}`, checked.params)) } };
    }
    await saveAnswer(deps.db, { responseId: id, questionId, value: checked.value, answeredById: person.id, at: deps.clock.now() }, undefined, {
      amendOwnWithinMs: PAGE_EDIT_WINDOW_MS,
    });
    await settleChat(deps, person, id, questionId);
    return { status: 200, body: await view() };
  }

  const ask = ASK.exec(request.path);
  if (request.method === 'POST' && ask) {
    // Only a file question the person can see now; its answer comes through the chat.
    const question = visibleQuestions(form, response.answers).find((q) => q.id === ask[2] && q.type === 'document');
    if (!question) return { status: 404, body: { error: 'not_found' } };
    if (locked) return { status: 409, body: { error: 'locked', message: plainText(t(behaviour?.lockedMessageKey ?? 'form.locked')) } };
    const programme = await findProgramme(deps.db, response.programmeId);
    await askInChat(deps, ctx.api, person, form, response, question, t, programme?.consentText ?? null);
    return { status: 200, body: await view(response) };
  }

  if (request.method === 'POST' && SUBMIT.test(request.path)) {
    const current = await view(response);
    if (!behaviour || !current.canSubmit) {
      return { status: 409, body: { error: 'not_ready', message: plainText(t('form.review_missing', { count: current.progress.missingRequired })) } };
    }
    const result = await submitFromPage(deps, ctx.api, ctx.botUsername, behaviour, id, person, locale);
    if (!result.ok) return { status: 409, body: { error: 'refused', message: plainText(result.message) } };
    // Some forms hand the submitted draft over and remove it (a stakeholder joins the team's list).
    const fresh = await loadResponse(deps.db, id);
    return { status: 200, body: fresh ? await view(fresh) : { ...current, status: 'submitted', locked: true, canSubmit: false } };
  }
  return { status: 405, body: { error: 'method_not_allowed' } };
}

/**
 * The chat waits for an answer to the question it last asked. Once that question is
 * answered on the page, the chat's next message must not overwrite it: the chat
 * goes on from the first unanswered question instead.
 */
async function settleChat(deps: AppDeps, person: Person, responseId: number, questionId: string): Promise<void> {
  const asked = await askedQuestion(deps.db, person.id, responseId);
  if (asked?.questionId === questionId) await markAsked(deps.db, person.id, responseId, null);
}
