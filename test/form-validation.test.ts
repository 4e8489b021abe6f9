import { describe, expect, it } from 'vitest';
import { firstUnanswered, isComplete, missingRequired, positionOf, previousQuestion, visibleQuestions } from '../src/forms/engine/navigation.js';
import { expectation } from '../src/forms/engine/render.js';
import { FORMS } from '../src/forms/index.js';
import { validateInput } from '../src/forms/engine/validation.js';
import { createI18n } from '../src/i18n.js';
import type { FormDefinition, Question } from '../src/forms/types.js';

const text = (t: string) => ({ kind: 'text' as const, text: t });
const q = <T extends Question>(question: T) => question;

describe('answers are checked by question type', () => {
  it('short and long text respect their limits', () => {
    expect(validateInput(q({ id: 'a', type: 'short_text', maxLength: 5 }), text(' Kyiv '))).toEqual({ value: 'Kyiv' });
    expect(validateInput(q({ id: 'a', type: 'short_text', maxLength: 5 }), text('Zaporizhzhia'))).toEqual({ error: 'too_long', params: { max: 5, length: 12 } });
    expect(validateInput(q({ id: 'a', type: 'long_text' }), text('x'.repeat(4001)))).toMatchObject({ error: 'too_long', params: { max: 4000 } });
    expect(validateInput(q({ id: 'a', type: 'short_text' }), text('   '))).toEqual({ error: 'text_expected' });
    expect(validateInput(q({ id: 'a', type: 'short_text' }), { kind: 'other' })).toEqual({ error: 'text_expected' });
  });

  it('numbers: decimal comma, spaces, integers and range', () => {
    const population = q({ id: 'p', type: 'number', min: 0, max: 50_000_000, integer: true });
    expect(validateInput(population, text('42 000'))).toEqual({ value: 42000 });
    expect(validateInput(population, text('42,5'))).toEqual({ error: 'integer_expected' });
    expect(validateInput(population, text('-3'))).toEqual({ error: 'number_range', params: { min: 0, max: 50_000_000 } });
    expect(validateInput(population, text('many'))).toEqual({ error: 'number_expected' });
    expect(validateInput(q({ id: 'b', type: 'number' }), text('12,75'))).toEqual({ value: 12.75 });
    expect(validateInput(q({ id: 'b', type: 'number', min: 0 }), text('-5'))).toEqual({ error: 'number_min', params: { min: 0 } });
    expect(validateInput(q({ id: 'b', type: 'number', max: 10 }), text('11'))).toEqual({ error: 'number_max', params: { max: 10 } });
  });

  it('say limits as numbers are written in the reader’s language', async () => {
    const i18n = await createI18n('en');
    const population = q({ id: 'p', type: 'number', min: 0, max: 50_000_000, integer: true });
    expect(expectation(population, i18n.t('en'))).toBe('Send a number from 0 to 50,000,000.');
    expect(expectation(population, i18n.t('pl'))).toBe('Wyślij liczbę od 0 do 50\u00a0000\u00a0000.');
    expect(i18n.t('uk')('form.errors.number_min', { min: 0 })).toBe('Число має бути не менше ніж 0.');
  });

  it('e-mail, phone, link and date', () => {
    expect(validateInput(q({ id: 'e', type: 'email' }), text('olena@hromada.gov.ua'))).toEqual({ value: 'olena@hromada.gov.ua' });
    expect(validateInput(q({ id: 'e', type: 'email' }), text('olena@'))).toEqual({ error: 'email_invalid' });
    expect(validateInput(q({ id: 'p', type: 'phone' }), text('+380 67 123 45 67'))).toEqual({ value: '+380 67 123 45 67' });
    expect(validateInput(q({ id: 'p', type: 'phone' }), text('12345'))).toEqual({ error: 'phone_invalid' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('example.org/report'))).toEqual({ value: 'https://example.org/report' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('not a link'))).toEqual({ error: 'url_invalid' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('javascript://alert(1)'))).toEqual({ error: 'url_invalid' });
    expect(validateInput(q({ id: 'd', type: 'date' }), text('21.11.2025'))).toEqual({ value: '2025-11-21' });
    expect(validateInput(q({ id: 'd', type: 'date' }), text('31.02.2025'))).toEqual({ error: 'date_invalid' });
  });

  it('documents: kind, size, or a link where allowed', () => {
    const cv = q({ id: 'cv', type: 'document', mimeTypes: ['application/pdf'], maxBytes: 1024 * 1024, acceptUrl: true });
    const file = { kind: 'document' as const, fileId: 'F1', fileName: 'cv.pdf', mimeType: 'application/pdf', size: 2000 };
    expect(validateInput(cv, file)).toEqual({ value: { kind: 'file', fileId: 'F1', fileName: 'cv.pdf', mimeType: 'application/pdf', size: 2000 } });
    expect(validateInput(cv, { ...file, mimeType: 'image/png' })).toEqual({ error: 'document_type' });
    expect(validateInput(cv, { ...file, size: 5 * 1024 * 1024 })).toEqual({ error: 'document_too_large', params: { max: 1 } });
    expect(validateInput(cv, text('https://cloud.example.org/cv.pdf'))).toEqual({ value: { kind: 'url', url: 'https://cloud.example.org/cv.pdf' } });
    expect(validateInput({ ...cv, acceptUrl: false }, text('https://cloud.example.org/cv.pdf'))).toEqual({ error: 'document_expected' });
    expect(validateInput(cv, { kind: 'other' })).toEqual({ error: 'document_or_link_expected' });
  });

  it('choice questions want their buttons', () => {
    expect(validateInput(q({ id: 'c', type: 'single_choice', options: ['a'] }), text('a'))).toEqual({ error: 'use_buttons' });
    expect(validateInput(q({ id: 'y', type: 'yes_no' }), { kind: 'other' })).toEqual({ error: 'use_buttons' });
  });
});

describe('moving through a form', () => {
  const form: FormDefinition = {
    id: 'test',
    sections: [
      { id: 's1', questions: [q({ id: 'ready', type: 'yes_no' }), q({ id: 'why_not', type: 'short_text', showIf: (a) => a.ready === false })] },
      { id: 's2', questions: [q({ id: 'phone', type: 'phone', required: false }), q({ id: 'name', type: 'short_text' })] },
    ],
  };

  it('shows a question only when earlier answers make it relevant', () => {
    expect(visibleQuestions(form, { ready: true }).map((x) => x.id)).toEqual(['ready', 'phone', 'name']);
    expect(visibleQuestions(form, { ready: false }).map((x) => x.id)).toEqual(['ready', 'why_not', 'phone', 'name']);
    expect(positionOf(form, { ready: false }, 'phone')).toEqual({ index: 3, total: 4 });
  });

  it('counts a question that a pending answer may bring in, so the total does not grow as the person goes', () => {
    expect(positionOf(form, {}, 'ready')).toEqual({ index: 1, total: 4 });
    expect(positionOf(form, { ready: true }, 'phone')).toEqual({ index: 2, total: 3 });
    // One of two questions follows, whichever kind is chosen: "1 of 7", then "2 of 7".
    const registration = FORMS.team_registration;
    expect(positionOf(registration, {}, 'kind').total).toBe(7);
    expect(positionOf(registration, { kind: 'municipality' }, 'name').total).toBe(7);
    expect(positionOf(registration, { kind: 'person' }, 'name').total).toBe(7);
  });

  it('continues at the first unanswered question; a skip counts as answered but not as given', () => {
    expect(firstUnanswered(form, { ready: true })?.id).toBe('phone');
    expect(firstUnanswered(form, { ready: true, phone: null })?.id).toBe('name');
    expect(missingRequired(form, { ready: true, phone: null }).map((x) => x.id)).toEqual(['name']);
    expect(isComplete(form, { ready: true, phone: null, name: 'Olena' })).toBe(true);
    expect(isComplete(form, { ready: false, phone: null, name: 'Olena' })).toBe(false);
  });

  it('ignores answers to questions the form no longer has', () => {
    expect(isComplete(form, { ready: true, name: 'Olena', removed_question: 'x' })).toBe(true);
    expect(previousQuestion(form, { ready: true }, 'phone')?.id).toBe('ready');
  });
});
