import { createHash } from 'node:crypto';
import type { Conversation } from '@grammyjs/conversations';
import { type Api, type Context, InlineKeyboard } from 'grammy';
import type { AppDeps, BotContext } from '../../context.js';
import {
  type AskedQuestion,
  askedQuestion,
  forgetFormSession,
  loadResponse,
  markAsked,
  type ResponseSnapshot,
  saveAnswerAndMarkAsked,
  saveNewAnswer,
  type ShownAnswer,
} from '../../db/form-responses.js';
import { findPersonById } from '../../db/people.js';
import { findProgramme } from '../../db/programmes.js';
import type { Translate } from '../../i18n.js';
import { chunkMessages } from '../../message-chunks.js';
import { isLocale, type Locale } from '../../locales.js';
import { FORMS, isFormId } from '../index.js';
import type { AnswerValue, FormDefinition, Question } from '../types.js';
import { chosenValue, markAnswered, type SentMessage, storedSelection, tickedOption, toInput } from './answer-input.js';
import { findQuestion, firstUnanswered, missingRequired, nextQuestion, previousQuestion, type StoredAnswers } from './navigation.js';
import {
  answerLines,
  summaryLabel,
  type FormAction,
  formButton,
  isFormButton,
  parseFormButton,
  renderQuestion,
  selectionShown,
} from './render.js';
import { maxLengthOf, validateInput } from './validation.js';

export const FORM_CONVERSATION = 'form';

/** What entering a form asks for. Plain data: it is kept in the conversation's state. */
export interface FormRequest {
  responseId: number;
  /** The Person.id of whoever answers; recorded with each answer. */
  personId: number;
  /** Answer one section only (forms answered section by section). */
  sectionId?: string;
  /** Open the review (or a question of it) instead of the first unanswered question. */
  start?: 'review' | { question: string };
  /**
   * The update that brought the person back answers the question last put to them
   * (as noted in their FormSession; undefined when none was).
   */
  resume?: { asked: AskedQuestion | undefined; carried?: { questionId: string; text: string } };
  /** The response, the programme's consent text and the person's language as just read with the update (form-resume.ts). */
  known?: { response: ResponseSnapshot; consentText: string | null; locale: Locale };
}

export interface SubmitInput {
  deps: AppDeps;
  api: Api;
  /** For links such as t.me/<bot>?start=… */
  botUsername: string;
  response: ResponseSnapshot;
  personId: number;
  locale: Locale;
}

export type SubmitOutcome = { ok: true; messages: string[] } | { ok: false; message: string; leave: boolean };

/** What is particular to one form: how it is submitted and what people are told. */
export interface FormBehaviour {
  /** Shown when someone stops the form: how to come back to it. */
  resumeHintKey: string;
  submitLabelKey: string;
  reviewTitleKey: string;
  /** Once submitted, no more answers are taken (until a coordinator reopens it). */
  lockedWhenSubmitted?: boolean;
  /** Shown instead of the question when the response is locked. */
  lockedMessageKey?: string;
  /** Runs once when the person presses Submit on a complete review. */
  submit(input: SubmitInput): Promise<SubmitOutcome>;
  /** For section-by-section forms: what to show when a section is done (the section menu). Ends the conversation. */
  afterSection?(input: SubmitInput & { sectionId: string }): Promise<void>;
}

export type FormBehaviours = Partial<Record<string, FormBehaviour>>;

/**
 * A version of the forms' shape: stored conversation state from another version is
 * dropped, and the person continues from their stored answers instead of replaying
 * code that has changed.
 */
export const FORMS_VERSION = createHash('sha256')
  .update(
    JSON.stringify(Object.values(FORMS), (_key, value) => (typeof value === 'function' ? String(value) : value)),
  )
  .digest('hex')
  .slice(0, 16);

type FormConversation = Conversation<BotContext, Context>;

type Target = { kind: 'question'; id: string; returnToReview: boolean } | { kind: 'next' } | { kind: 'review' };

interface Snapshot {
  response: ResponseSnapshot;
  locale: Locale;
  /** The programme's own consent text, when a coordinator set one. */
  consentText: string | null;
}

/**
 * Runs any form. Every accepted answer is written to the database at once, and so
 * is the question put to the person (FormSession). A run of the conversation ends
 * as soon as a new question or the review is shown; the person's next message
 * enters it again (src/features/form-resume.ts) at that question. So the
 * conversation only lives within one question: its state can be thrown away at any
 * moment (a crash, a restart, a new release) without losing anything, and the
 * plugin never replays more than one question's steps.
 */
export function createFormConversation(deps: AppDeps, behaviours: FormBehaviours) {
  return async function form(conversation: FormConversation, entering: Context, request: FormRequest): Promise<void> {
    // The person's language and the programme's texts do not change within one run.
    let settings: Omit<Snapshot, 'response'> | undefined = request.known && { locale: request.known.locale, consentText: request.known.consentText };
    // The response as last read, with the answers given since: within one update nothing else is
    // read again. After waiting for another update it is read afresh (a team mate may have
    // answered or submitted meanwhile).
    let current: Snapshot | undefined = request.known && { response: request.known.response, ...settings! };
    let waits = 0;
    let readAfterWaits = 0;
    // An accepted answer not yet written: it goes in one transaction with the note of the
    // question asked next, which is written before that question is sent (tracking.markAsked).
    // Every other way on writes it first (flush).
    let unsaved: { questionId: string; value: AnswerValue | null; shown: ShownAnswer } | undefined;
    const newAnswer = (questionId: string, value: AnswerValue | null) => ({
      responseId: request.responseId,
      questionId,
      value,
      answeredById: request.personId,
      at: deps.clock.now(),
    });
    /**
     * After waiting, the update that came is the one the plugin runs in, and it was read with
     * the person (person-context.ts) moments ago: its form session and response are as fresh as
     * a read now would be, until this run writes something (see written).
     */
    const readWithUpdate = (outer: BotContext) => {
      const session = waits > 0 ? outer.prefetched?.formSession : undefined;
      return session === undefined ? undefined : { session: session?.responseId === request.responseId ? session : null };
    };
    const written = (outer: BotContext) => {
      if (outer.prefetched) delete outer.prefetched.formSession;
    };
    /** Writes the answer waiting to be written, if any, on its own. */
    const flush = async () => {
      const answer = unsaved;
      unsaved = undefined;
      if (answer) {
        await conversation.external((outer) => {
          written(outer);
          return saveNewAnswer(deps.db, newAnswer(answer.questionId, answer.value), answer.shown);
        });
      }
    };
    const snapshot = async () => {
      if (current && readAfterWaits === waits) return current;
      let snap = await conversation.external(async (outer): Promise<Snapshot | undefined> => {
        const known = readWithUpdate(outer)?.session?.response;
        if (known && settings) return { response: known, ...settings };
        const response = await loadResponse(deps.db, request.responseId);
        if (!response) return undefined;
        if (settings) return { response, ...settings };
        const [person, programme] = await Promise.all([findPersonById(deps.db, request.personId), findProgramme(deps.db, response.programmeId)]);
        return { response, locale: isLocale(person?.language) ? person.language : deps.config.defaultLocale, consentText: programme?.consentText ?? null };
      });
      if (snap) settings ??= { locale: snap.locale, consentText: snap.consentText };
      // The answer waiting to be written shows at once; it is written as before (flush, markAsked).
      if (snap && unsaved) {
        unsaved.shown = shownIn(snap, unsaved.questionId);
        snap = withAnswer(snap, unsaved.questionId, unsaved.value);
      }
      current = snap;
      readAfterWaits = waits;
      return snap;
    };
    const withAnswer = (snap: Snapshot, questionId: string, value: AnswerValue | null): Snapshot => ({
      ...snap,
      response: { ...snap.response, answers: { ...snap.response.answers, [questionId]: value } },
    });
    /** Takes an accepted answer: the snapshot shows it at once; it is written with the next marker. */
    const accept = (snap: Snapshot, questionId: string, value: AnswerValue | null) => {
      unsaved = { questionId, value, shown: shownIn(snap, questionId) };
      current = withAnswer(snap, questionId, value);
    };
    /** Saves at once (a long answer gathered over several messages), keeping the snapshot in step. */
    const save = async (questionId: string, value: AnswerValue | null) => {
      await flush();
      const shown = current ? shownIn(current, questionId) : 'unknown';
      await conversation.external((outer) => {
        written(outer);
        return saveNewAnswer(deps.db, newAnswer(questionId, value), shown);
      });
      if (current) current = withAnswer(current, questionId, value);
    };
    const leave = async () => {
      await flush();
      await conversation.external((outer) => {
        written(outer);
        return forgetFormSession(deps.db, request.personId);
      });
    };
    const tracking: Tracking = {
      markAsked: async (asked) => {
        const answer = unsaved;
        unsaved = undefined;
        const waited = waits > 0;
        await conversation.external(async (outer) => {
          written(outer);
          if (!answer) return markAsked(deps.db, request.personId, request.responseId, asked);
          // Once the next question is put, this run ends: the plugin would delete the chat's
          // stored state after it (one more statement). With no other conversation in the chat,
          // it goes in this transaction; a state is only a convenience (see above).
          const alone = waited && isOnlyForm(outer) ? outer.chatId?.toString() : undefined;
          await saveAnswerAndMarkAsked(deps.db, newAnswer(answer.questionId, answer.value), answer.shown, {
            personId: request.personId,
            asked,
            forgetConversationState: alone,
          });
          if (alone !== undefined) outer.prefetched.conversationStateDeleted = true;
        });
      },
      askedNow: () =>
        conversation.external(async (outer) => {
          const read = readWithUpdate(outer);
          if (read) return read.session?.askedQuestionId ?? undefined;
          return (await askedQuestion(deps.db, request.personId, request.responseId))?.questionId;
        }),
      wait: () => {
        waits++;
        return conversation.wait();
      },
    };

    // A pending update always comes with the target it answers (the question last asked, as
    // recorded): coming back (placeAsked) and catching up (catchUp) set both together.
    let pending: Context | undefined = request.resume ? entering : undefined;
    const chat = entering;
    let target: Target =
      request.start === 'review'
        ? { kind: 'review' }
        : request.start
          ? { kind: 'question', id: request.start.question, returnToReview: true }
          : request.resume
            ? placeAsked(request.resume.asked)
            : { kind: 'next' };

    for (;;) {
      const snap = await snapshot();
      if (!snap || !isFormId(snap.response.formId)) {
        await leave();
        return;
      }
      const formDef: FormDefinition = FORMS[snap.response.formId];
      const behaviour = behaviours[formDef.id];
      const t = deps.i18n.t(snap.locale);
      const answers = snap.response.answers;
      const base = { deps, api: entering.api, botUsername: entering.me.username, personId: request.personId, locale: snap.locale };

      if (behaviour?.lockedWhenSubmitted && snap.response.status === 'submitted') {
        // Another member submitted while this person was answering.
        await flush();
        if (pending?.callbackQuery) await pending.answerCallbackQuery();
        await chat.reply(t(behaviour.lockedMessageKey ?? 'form.locked'));
        await leave();
        return;
      }

      let question: Question | undefined;
      let returnToReview = false;
      if (target.kind === 'question') {
        question = findQuestion(formDef, target.id)?.question;
        returnToReview = target.returnToReview;
      }
      // A question asked before a new release may be gone from the form: go on from the first unanswered one.
      if (target.kind === 'next' || (target.kind === 'question' && !question)) {
        question = firstUnanswered(formDef, answers, request.sectionId);
        returnToReview = false;
      }

      if (!question) {
        const toSectionMenu = async () => {
          await leave();
          await conversation.external(() => behaviour!.afterSection!({ ...base, response: snap.response, sectionId: request.sectionId! }));
        };
        if (request.sectionId && behaviour?.afterSection && target.kind !== 'review') return toSectionMenu();
        const outcome = await review(conversation, chat, formDef, answers, t, request.sectionId, behaviour, pending, tracking);
        pending = undefined;
        if (outcome.kind === 'shown') return;
        if (outcome.kind === 'stale') {
          ({ target, pending } = catchUp(outcome));
          continue;
        }
        if (outcome.kind === 'change') {
          target = { kind: 'question', id: outcome.questionId, returnToReview: true };
          continue;
        }
        if (outcome.kind === 'menu') return toSectionMenu();
        await flush();
        if (!behaviour) return;
        const result = await conversation.external(async () => {
          const fresh = await loadResponse(deps.db, request.responseId);
          return behaviour.submit({ ...base, response: fresh! });
        });
        if (result.ok) {
          await leave();
          // The review's ✏️ and Submit buttons would only lead nowhere now.
          await outcome.ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
          for (const text of result.messages) await outcome.ctx.reply(text);
          return;
        }
        await outcome.ctx.reply(result.message);
        if (result.leave) {
          await leave();
          return;
        }
        target = { kind: 'review' };
        continue;
      }

      const step = await ask(
        conversation,
        chat,
        formDef,
        question,
        answers,
        t,
        {
          sectionId: request.sectionId,
          returnToReview,
          consentText: snap.consentText,
          save: (value) => save(question!.id, value),
          tracking,
          // A long answer being written when the bot was updated (form-resume.ts) goes on from what was sent.
          carried: pending && request.resume?.carried?.questionId === question.id ? request.resume.carried.text : undefined,
        },
        pending,
        // Asked as recorded: no need to read the record again.
        target.kind === 'question' && target.id === question.id,
      );
      pending = undefined;
      switch (step.kind) {
        case 'shown':
          await flush();
          return;
        case 'stale':
          ({ target, pending } = catchUp(step));
          break;
        case 'answer':
          accept(snap, question.id, step.value);
          target = returnToReview ? { kind: 'review' } : { kind: 'next' };
          break;
        case 'back': {
          const previous = previousQuestion(formDef, answers, question.id, request.sectionId);
          target = previous ? { kind: 'question', id: previous.id, returnToReview: false } : { kind: 'question', id: question.id, returnToReview: false };
          break;
        }
        case 'review':
          target = { kind: 'review' };
          break;
        case 'keep': {
          const next = nextQuestion(formDef, answers, question.id, request.sectionId);
          target = next ? { kind: 'question', id: next.id, returnToReview: false } : { kind: 'next' };
          break;
        }
      }
    }
  };
}

/** The answer a snapshot shows for a question, if any. */
function shownIn(snap: Snapshot, questionId: string): ShownAnswer {
  return questionId in snap.response.answers ? { value: snap.response.answers[questionId] ?? null } : undefined;
}

/** The form is the only conversation going on in the chat, once. */
function isOnlyForm(ctx: BotContext): boolean {
  const active = Object.entries(ctx.conversation.active());
  return active.length === 1 && active[0]![0] === FORM_CONVERSATION && active[0]![1] === 1;
}

/**
 * The stored conversation was one step behind what the person sees (the bot stopped
 * after asking the next question but before noting that it had): the message that
 * arrived answers the question last asked.
 */
type Stale = { kind: 'stale'; asked: string; ctx: Context };

function catchUp(stale: Stale): { target: Target; pending: Context } {
  const target: Target = stale.asked === REVIEW ? { kind: 'review' } : { kind: 'question', id: stale.asked, returnToReview: false };
  return { target, pending: stale.ctx };
}

const REVIEW = 'review';

/** Where a person who comes back with a message is: the question (or review) last put to them. */
function placeAsked(asked: AskedQuestion | undefined): Target {
  if (!asked) return { kind: 'next' };
  if (asked.questionId === REVIEW) return { kind: 'review' };
  return { kind: 'question', id: asked.questionId, returnToReview: asked.returnToReview };
}

interface Tracking {
  /** Notes the question put to the person (with the answer waiting to be written, if any). */
  markAsked(asked: AskedQuestion | null): Promise<void>;
  askedNow(): Promise<string | undefined>;
  /** Waits for the person's next update (after which the form reads the response again). */
  wait(): Promise<Context>;
}

/** 'shown': the question was put to the person; this run of the conversation ends there. */
type Step = { kind: 'answer'; value: AnswerValue | null } | { kind: 'back' } | { kind: 'keep' } | { kind: 'review' } | { kind: 'shown' } | Stale;

interface AskOptions {
  sectionId?: string;
  returnToReview: boolean;
  consentText: string | null;
  tracking: Tracking;
  /** Saves an answer at once (used for long answers gathered over several messages). */
  save: (value: AnswerValue) => Promise<void>;
  /** What was gathered of a long answer before the bot was updated. */
  carried?: string;
}

/** Asks one question until it gets an acceptable answer or a navigation button. */
async function ask(
  conversation: FormConversation,
  chat: Context,
  form: FormDefinition,
  question: Question,
  answers: StoredAnswers,
  t: Translate,
  options: AskOptions,
  pending: Context | undefined,
  /** The record says this question was the one asked (so `pending` answers it). */
  knownAsked: boolean,
): Promise<Step> {
  const current = answers[question.id];
  // Ticks go on from what the person's message shows, even if a team mate answered since.
  const pressedOn = pending?.callbackQuery?.message;
  const selected = selectionShown(question, pressedOn && 'reply_markup' in pressedOn ? pressedOn.reply_markup : undefined) ?? storedSelection(question, current);
  const view = () => renderQuestion(form, question, answers, t, { ...options, selected });
  let questionMessage: SentMessage | undefined;
  const show = async (ctx: Context) => {
    await options.tracking.markAsked({ questionId: question.id, returnToReview: options.returnToReview });
    const { text, keyboard, before } = view();
    try {
      for (const part of before) await ctx.reply(part);
      questionMessage = await ctx.reply(text, { reply_markup: keyboard });
    } catch (error) {
      // The person never saw it: their next message must not be taken as its answer.
      await options.tracking.markAsked(null);
      throw error;
    }
  };
  // One long answer may come in several messages. A first answer is stored as each arrives;
  // a change is kept here until Done, so leaving it half-written never loses the answer it replaces.
  let gathered: string | undefined = options.carried;
  // A first answer carried over was saved as it came: going on with it is no change.
  const changing = current !== undefined && current !== null && current !== options.carried;
  // A text over the limit, kept so that "Keep the first N characters" can use it.
  let tooLong: string | undefined;
  const refuse = async (ctx: Context, checked: { error: string; params?: Record<string, unknown> }, text?: string) => {
    const max = maxLengthOf(question);
    tooLong = checked.error === 'too_long' && text !== undefined && max !== undefined ? text : undefined;
    const keyboard = tooLong !== undefined ? new InlineKeyboard().text(t('form.buttons.trim', { max }), formButton('trim', question.id)) : undefined;
    await ctx.reply(t(`form.errors.${checked.error}`, checked.params), keyboard ? { reply_markup: keyboard } : {});
  };

  // A message that brings the person back answers this question only if it is the one they saw.
  if (pending && !knownAsked && (await options.tracking.askedNow()) !== question.id) {
    if (pending.callbackQuery) await pending.answerCallbackQuery();
    pending = undefined;
  }
  if (!pending) {
    await show(chat);
    return { kind: 'shown' };
  }
  for (;;) {
    const resumed = pending !== undefined;
    const ctx = pending ?? (await options.tracking.wait());
    pending = undefined;
    if (!resumed) {
      const asked = await options.tracking.askedNow();
      if (asked !== undefined && asked !== question.id) return { kind: 'stale', asked, ctx };
    }

    if (ctx.callbackQuery) {
      if (!resumed && !isFormButton(ctx.callbackQuery.data)) await conversation.skip({ next: true });
      const button = parseFormButton(ctx.callbackQuery.data);
      const outcome = button && button.questionId === question.id ? await press(ctx, button.action, button.argument) : undefined;
      if (outcome === 'handled') continue;
      if (outcome) return outcome;
      await ctx.answerCallbackQuery({ text: t('form.stale_button'), show_alert: true });
      // A button of the question just before, answered already: the bot may have stopped after
      // noting this question as asked but before sending it. Show it, or the person is stuck.
      if (resumed && button && button.questionId in answers && previousQuestion(form, answers, question.id, options.sectionId)?.id === button.questionId) {
        await show(ctx);
        return { kind: 'shown' };
      }
      continue;
    }

    const message = ctx.message;
    if (!message) continue; // an edited message changes nothing
    if (message.text?.startsWith('/')) {
      // Other commands belong to the rest of the bot; the form waits where it is.
      await conversation.skip({ next: true });
    }
    const input = toInput(message);
    if (question.type === 'long_text' && question.multiMessage && input.kind === 'text') {
      const combined = gathered === undefined ? input.text.trim() : `${gathered}\n\n${input.text.trim()}`;
      const checked = validateInput(question, { kind: 'text', text: combined });
      if ('error' in checked) {
        await refuse(ctx, checked, combined);
        continue;
      }
      gathered = checked.value as string;
      const keyboard = new InlineKeyboard().text(t('form.buttons.done'), formButton('done', question.id));
      if (changing) {
        if (options.returnToReview) keyboard.text(t('form.buttons.to_review'), formButton('review', question.id));
        await ctx.reply(t('form.long_text_draft', { length: gathered.length, max: maxLengthOf(question) }), { reply_markup: keyboard });
        continue;
      }
      await options.save(gathered);
      await ctx.reply(t('form.long_text_stored', { length: gathered.length, max: maxLengthOf(question) }), { reply_markup: keyboard });
      continue;
    }
    const checked = validateInput(question, input);
    if ('error' in checked) {
      await refuse(ctx, checked, input.kind === 'text' ? input.text.trim() : undefined);
      await show(ctx);
      continue;
    }
    return { kind: 'answer', value: checked.value };
  }

  /** A button of this question; 'handled' keeps waiting, undefined means the button makes no sense here. */
  async function press(ctx: Context, action: FormAction, argument: string): Promise<Step | 'handled' | undefined> {
    switch (action) {
      case 'choose': {
        const value = chosenValue(form, question, argument, t);
        if (value === undefined) return undefined;
        await ctx.answerCallbackQuery();
        await markAnswered(ctx, questionMessage, form, question, value, t);
        return { kind: 'answer', value };
      }
      case 'toggle': {
        if (question.type !== 'multiple_choice') return undefined;
        const option = tickedOption(question, argument);
        if (!option) return undefined;
        if (selected.has(option)) selected.delete(option);
        else if (question.maxSelected && selected.size >= question.maxSelected) {
          await ctx.answerCallbackQuery({ text: t('form.errors.too_many_selected', { max: question.maxSelected }), show_alert: true });
          return 'handled';
        } else selected.add(option);
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: view().keyboard }).catch(() => undefined);
        return 'handled';
      }
      case 'done': {
        if (question.type === 'multiple_choice') {
          if (selected.size === 0) {
            await ctx.answerCallbackQuery({ text: t('form.errors.choose_at_least_one'), show_alert: true });
            return 'handled';
          }
          await ctx.answerCallbackQuery();
          const choices = question.options.filter((o) => selected.has(o));
          let other: string | undefined;
          if (selected.has('other')) {
            other = await askForOther(options.tracking, ctx, form, question, t);
            if (other === undefined) return 'handled';
          }
          const value = other ? { choices, other } : { choices };
          await markAnswered(ctx, questionMessage, form, question, value, t);
          return { kind: 'answer', value };
        }
        if (question.type === 'long_text' && gathered !== undefined) {
          await ctx.answerCallbackQuery();
          await ctx.reply(t('form.long_text_saved', { length: gathered.length }));
          return { kind: 'answer', value: gathered };
        }
        return undefined;
      }
      case 'agree':
        if (question.type !== 'consent') return undefined;
        await ctx.answerCallbackQuery();
        await markAnswered(ctx, questionMessage, form, question, true, t);
        return { kind: 'answer', value: true };
      case 'skip':
        if (question.required !== false) return undefined;
        await ctx.answerCallbackQuery();
        return { kind: 'answer', value: null };
      case 'back':
        await ctx.answerCallbackQuery();
        return { kind: 'back' };
      case 'trim': {
        const max = maxLengthOf(question);
        if (tooLong === undefined || max === undefined) return undefined;
        const checked = validateInput(question, { kind: 'text', text: tooLong.slice(0, max).trimEnd() });
        if ('error' in checked) return undefined;
        await ctx.answerCallbackQuery();
        await ctx.reply(t('form.long_text_saved', { length: (checked.value as string).length }));
        return { kind: 'answer', value: checked.value };
      }
      case 'keep':
        if (current === undefined || current === null) return undefined;
        await ctx.answerCallbackQuery();
        return { kind: 'keep' };
      case 'review':
        if (!options.returnToReview) return undefined;
        await ctx.answerCallbackQuery();
        return { kind: 'review' };
      default:
        return undefined;
    }
  }
}

async function askForOther(tracking: Tracking, ctx: Context, form: FormDefinition, question: Question, t: Translate): Promise<string | undefined> {
  await ctx.reply(t('form.other_prompt', { question: summaryLabel(form, question, t) }));
  const reply = await tracking.wait();
  const text = reply.message?.text?.trim();
  if (!text || text.startsWith('/')) {
    if (reply.callbackQuery) await reply.answerCallbackQuery({ text: t('form.other_prompt', { question: summaryLabel(form, question, t) }), show_alert: true });
    else await reply.reply(t('form.errors.text_expected'));
    return undefined;
  }
  if (text.length > OTHER_MAX_LENGTH) {
    await reply.reply(t('form.errors.too_long', { max: OTHER_MAX_LENGTH, length: text.length }));
    return undefined;
  }
  return text;
}

const OTHER_MAX_LENGTH = 200;

type ReviewOutcome = { kind: 'change'; questionId: string } | { kind: 'submit'; ctx: Context } | { kind: 'menu' } | { kind: 'shown' } | Stale;

/** All answers with a Change button for each, and Submit once nothing required is missing. */
async function review(
  conversation: FormConversation,
  chat: Context,
  form: FormDefinition,
  answers: StoredAnswers,
  t: Translate,
  sectionId: string | undefined,
  behaviour: FormBehaviour | undefined,
  pending: Context | undefined,
  tracking: Tracking,
): Promise<ReviewOutcome> {
  const lines = answerLines(form, answers, t, sectionId);
  const missing = missingRequired(form, answers, sectionId);
  const keyboard = new InlineKeyboard();
  lines.forEach(({ question }, i) => {
    keyboard.text(`✏️ ${i + 1}`, formButton('change', question.id));
    if (i % 5 === 4) keyboard.row();
  });
  keyboard.row();
  // A section's review leads back to the form's menu; the whole form's review to Submit.
  const sectionMenu = sectionId !== undefined && behaviour?.afterSection !== undefined;
  if (sectionMenu) keyboard.text(t('form.buttons.to_menu'), formButton('menu', 'review'));
  else if (missing.length === 0 && behaviour) keyboard.text(t(behaviour.submitLabelKey), formButton('submit', 'review'));
  const header = `<b>${t(behaviour?.reviewTitleKey ?? 'form.review_title')}</b>\n${t('form.review_hint')}`;
  const footer = missing.length > 0 ? t('form.review_missing', { count: missing.length }) : '';
  const messages = chunkMessages([header, ...lines.map((l) => l.line), ...(footer ? [`<b>${footer}</b>`] : [])], { separator: '\n\n' });
  if (!pending) {
    await tracking.markAsked({ questionId: REVIEW, returnToReview: false });
    for (const [i, text] of messages.entries()) {
      await chat.reply(text, i === messages.length - 1 ? { reply_markup: keyboard } : {});
    }
    return { kind: 'shown' };
  }
  for (;;) {
    const resumed = pending !== undefined;
    const ctx = pending ?? (await tracking.wait());
    pending = undefined;
    if (!resumed) {
      const asked = await tracking.askedNow();
      if (asked !== undefined && asked !== REVIEW) return { kind: 'stale', asked, ctx };
    }
    if (ctx.callbackQuery) {
      if (!resumed && !isFormButton(ctx.callbackQuery.data)) await conversation.skip({ next: true });
      const button = parseFormButton(ctx.callbackQuery.data);
      if (button?.action === 'change' && lines.some((l) => l.question.id === button.questionId)) {
        await ctx.answerCallbackQuery();
        return { kind: 'change', questionId: button.questionId };
      }
      if (button?.action === 'submit' && missing.length === 0 && behaviour && !sectionMenu) {
        await ctx.answerCallbackQuery();
        return { kind: 'submit', ctx };
      }
      if (button?.action === 'menu' && sectionMenu) {
        await ctx.answerCallbackQuery();
        return { kind: 'menu' };
      }
      await ctx.answerCallbackQuery({ text: t('form.stale_button'), show_alert: true });
      continue;
    }
    if (ctx.message?.text?.startsWith('/') && !resumed) await conversation.skip({ next: true });
    if (ctx.message) await ctx.reply(t('form.review_use_buttons'));
  }
}
