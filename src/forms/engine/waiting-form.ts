import type { BotContext } from '../../context.js';
import { findGoodPractice } from '../../db/good-practices.js';
import { askedIn, findFormSession, loadResponse, markAsked, type ResponseSnapshot } from '../../db/form-responses.js';
import { findProgramme } from '../../db/programmes.js';
import { parseEvaluationOwner } from '../../db/report-data.js';
import { findTeamOfPerson } from '../../db/teams.js';
import type { Database } from '../../db/database.js';
import type { Translate } from '../../i18n.js';
import { FORMS, type FormId, isFormId } from '../index.js';
import { textKeys } from '../types.js';
import { FORM_CONVERSATION, type FormBehaviours, type FormRequest } from './form-conversation.js';
import { findQuestion, firstUnanswered, positionOf } from './navigation.js';
import { renderQuestion } from './render.js';

/** The question a person's open form waits at (as numbered in the question itself), or its review. */
export type WaitingPlace = { kind: 'question'; questionId: string; returnToReview: boolean; index: number; total: number } | { kind: 'review' };

/** A form the person is in, and where it is waiting for them. */
export interface WaitingForm {
  response: ResponseSnapshot;
  formId: FormId;
  sectionId?: string;
  place: WaitingPlace;
}

/**
 * Where the person's open form is waiting: the question last put to them (or the
 * review), else the first one still unanswered. Undefined when they are in no form.
 */
export async function findWaitingForm(db: Database, personId: number): Promise<WaitingForm | undefined> {
  const session = await findFormSession(db, personId);
  if (!session) return undefined;
  const response = await loadResponse(db, session.responseId);
  if (!response || !isFormId(response.formId)) return undefined;
  const form = FORMS[response.formId];
  const sectionId = session.sectionId ?? undefined;
  const asked = askedIn(session);
  const base = { response, formId: response.formId, ...(sectionId ? { sectionId } : {}) };
  if (asked?.questionId === 'review') return { ...base, place: { kind: 'review' } };
  const at = (questionId: string, returnToReview: boolean) => {
    const { index, total } = positionOf(form, response.answers, questionId, sectionId);
    return index > 0 ? ({ kind: 'question', questionId, returnToReview, index, total } as const) : undefined;
  };
  // A question asked before a new release may be gone from the form: the engine goes on from the first unanswered one.
  const place = (asked && at(asked.questionId, asked.returnToReview)) ?? nextPlace();
  return { ...base, place };

  function nextPlace(): WaitingPlace {
    const next = firstUnanswered(form, response!.answers, sectionId);
    return (next && at(next.id, false)) || { kind: 'review' };
  }
}

/** The form's name as people read it, e.g. "Your application" or "The needs analysis section «Governance»". */
export function waitingFormName(t: Translate, formId: string, sectionId?: string): string {
  if (sectionId && formId === 'needs_analysis') {
    return t('help.waiting.forms.needs_analysis_section', { section: t(textKeys.section(formId, sectionId)), interpolation: { escapeValue: false } });
  }
  return t(`help.waiting.forms.${formId}`);
}

/** "Your application is waiting at question 9 of 22." */
export function waitingText(t: Translate, waiting: WaitingForm): string {
  const form = waitingFormName(t, waiting.formId, waiting.sectionId);
  const raw = { interpolation: { escapeValue: false } };
  return waiting.place.kind === 'question'
    ? t('help.waiting.at_question', { form, index: waiting.place.index, total: waiting.place.total, ...raw })
    : t('help.waiting.at_review', { form, ...raw });
}

/**
 * Puts the waiting question to the person again, exactly as it was asked, and notes
 * it as asked: their next message answers it (src/features/form-resume.ts). The
 * review, and a form locked since, are left to the form engine.
 */
export async function askWaitingAgain(ctx: BotContext, waiting: WaitingForm, behaviours: FormBehaviours): Promise<void> {
  const { db } = ctx.deps;
  const form = FORMS[waiting.formId];
  const behaviour = behaviours[waiting.formId];
  const locked = behaviour?.lockedWhenSubmitted === true && waiting.response.status === 'submitted';
  const found = waiting.place.kind === 'question' ? findQuestion(form, waiting.place.questionId) : undefined;
  if (waiting.place.kind === 'question' && found && !locked) {
    const { question } = found;
    const returnToReview = waiting.place.returnToReview;
    const current = waiting.response.answers[question.id];
    // Ticks of a multiple choice start from the stored answer, as when the question is asked.
    const selected = new Set<string>(
      question.type === 'multiple_choice' && current && typeof current === 'object' && 'choices' in current
        ? [...current.choices, ...(current.other ? ['other'] : [])]
        : [],
    );
    const programme = await findProgramme(db, waiting.response.programmeId);
    const view = renderQuestion(form, question, waiting.response.answers, ctx.t, {
      sectionId: waiting.sectionId,
      returnToReview,
      selected,
      consentText: programme?.consentText ?? null,
    });
    await markAsked(db, ctx.person.id, waiting.response.id, { questionId: question.id, returnToReview });
    try {
      await ctx.reply(view.text, { reply_markup: view.keyboard });
    } catch (error) {
      // Not seen: the next message must not be taken as its answer.
      await markAsked(db, ctx.person.id, waiting.response.id, null);
      throw error;
    }
    return;
  }
  if (ctx.conversation.active(FORM_CONVERSATION)) await ctx.conversation.exit(FORM_CONVERSATION);
  await ctx.conversation.enter(FORM_CONVERSATION, {
    responseId: waiting.response.id,
    personId: ctx.person.id,
    ...(waiting.sectionId ? { sectionId: waiting.sectionId } : {}),
    ...(waiting.place.kind === 'review' && !locked ? { start: 'review' as const } : {}),
  } satisfies FormRequest);
}

/** True when the response is the person's own: theirs, their team's, or a good practice or evaluation of theirs. */
export async function isOwnResponse(db: Database, personId: number, response: ResponseSnapshot): Promise<boolean> {
  const [kind, id] = response.ownerKey.split(':');
  const ownTeam = async (teamId: number) => (await findTeamOfPerson(db, response.programmeId, personId))?.id === teamId;
  if (kind === 'person') return Number(id) === personId;
  if (kind === 'team') return ownTeam(Number(id));
  if (kind === 'pair') return parseEvaluationOwner(response.ownerKey)?.personId === personId;
  if (kind === 'good_practice') {
    const practice = await findGoodPractice(db, Number(id));
    if (!practice) return false;
    const [authorKind, authorId] = practice.authorKey.split(':');
    return authorKind === 'person' ? Number(authorId) === personId : authorKind === 'team' && (await ownTeam(Number(authorId)));
  }
  return false;
}
