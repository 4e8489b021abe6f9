import { describe, expect, it } from 'vitest';
import { CEFR_LEVELS, THEMES, THEME_INCLUDES, WORKING_LANGUAGES, expandThemes, isTheme } from '../src/domain/themes.js';
import { FORMS, isFormId } from '../src/forms/index.js';
import { APPLICATION_EXPERTISE } from '../src/forms/mentor-application.js';
import { NEEDS_ANALYSIS_HANDBOOK_MAP } from '../src/forms/needs-analysis.js';
import { textKeys, type Answers, type FormDefinition, type Question } from '../src/forms/types.js';
import { readLocale } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';

type Tree = { [key: string]: string | Tree };

const locales = Object.fromEntries(LOCALES.map((l) => [l, readLocale(l) as Tree]));
const forms = Object.values(FORMS) as FormDefinition[];

function lookup(tree: Tree, key: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const allQuestions = (form: FormDefinition): Question[] => form.sections.flatMap((s) => s.questions);
const question = (form: FormDefinition, id: string): Question => {
  const found = allQuestions(form).find((q) => q.id === id);
  if (!found) throw new Error(`${form.id} has no question ${id}`);
  return found;
};
const optionsOf = (q: Question): readonly string[] =>
  q.type === 'single_choice' || q.type === 'multiple_choice' ? q.options : [];

/** Every key the definitions imply, per the textKeys convention (hints are optional and checked apart). */
function requiredKeys(form: FormDefinition): string[] {
  const keys = [textKeys.title(form.id)];
  for (const section of form.sections) {
    keys.push(textKeys.section(form.id, section.id));
    for (const q of section.questions) {
      keys.push(textKeys.question(form.id, q.id));
      for (const option of optionsOf(q)) keys.push(textKeys.option(form.id, q.id, option));
      if (q.type === 'multiple_choice' && q.other) keys.push(textKeys.option(form.id, q.id, 'other'));
      if (q.type === 'consent') keys.push(textKeys.consent(form.id, q.id));
    }
  }
  return keys;
}

const snakeCase = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

describe('form definitions', () => {
  it('are registered under their own id', () => {
    for (const [key, form] of Object.entries(FORMS)) expect(form.id).toBe(key);
    expect(Object.keys(FORMS).sort()).toEqual(
      ['application', 'good_practice', 'needs_analysis', 'programme_evaluation', 'stakeholder', 'strengths_profile', 'team_registration'].sort(),
    );
    expect(isFormId('application')).toBe(true);
    expect(isFormId('toString')).toBe(false);
  });

  it.each(forms.map((f) => [f.id, f] as const))('%s: section and question ids are unique snake_case', (_, form) => {
    const sectionIds = form.sections.map((s) => s.id);
    expect(new Set(sectionIds).size).toBe(sectionIds.length);
    const ids = allQuestions(form).map((q) => q.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'duplicate question ids').toEqual([]);
    for (const id of [...sectionIds, ...ids]) expect(id).toMatch(snakeCase);
    for (const section of form.sections) expect(section.questions.length).toBeGreaterThan(0);
  });

  it.each(forms.map((f) => [f.id, f] as const))('%s: choices and bounds are well formed', (_, form) => {
    for (const q of allQuestions(form)) {
      const options = optionsOf(q);
      expect(new Set(options).size, `${q.id} options are unique`).toBe(options.length);
      for (const option of options) expect(option).toMatch(/^[A-Za-z0-9_]+$/);
      if (q.type === 'single_choice' || q.type === 'multiple_choice') expect(options.length).toBeGreaterThan(1);
      if (q.type === 'multiple_choice' && q.other) expect(options).not.toContain('other');
      if (q.type === 'number' && q.min !== undefined && q.max !== undefined) expect(q.min).toBeLessThan(q.max);
      if (q.type === 'scale') expect(q.min).toBeLessThan(q.max);
      if (q.type === 'consent') expect(q.required).not.toBe(false);
    }
  });
});

describe('form texts', () => {
  it.each(LOCALES)('%s has every text the definitions need', (locale) => {
    const missing = forms.flatMap(requiredKeys).filter((key) => {
      const value = lookup(locales[locale]!, key);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(missing).toEqual([]);
  });

  it('hints exist in all languages or in none', () => {
    for (const form of forms) {
      for (const q of allQuestions(form)) {
        const present = LOCALES.filter((l) => typeof lookup(locales[l]!, textKeys.hint(form.id, q.id)) === 'string');
        expect([0, LOCALES.length], `${form.id}.${q.id} hint in ${present.join()}`).toContain(present.length);
      }
    }
  });

  it.each(LOCALES)('%s has no texts for questions, sections or options that do not exist', (locale) => {
    const expected = new Set(forms.flatMap(requiredKeys));
    for (const form of forms) for (const q of allQuestions(form)) {
      expected.add(textKeys.hint(form.id, q.id));
      expected.add(textKeys.label(form.id, q.id));
    }
    const formsTree = lookup(locales[locale]!, 'forms') as Tree;
    const stray = [...flatten(formsTree, 'forms.').keys()].filter((key) => !expected.has(key));
    expect(stray).toEqual([]);
  });

  it.each(LOCALES)('%s texts fit Telegram: short, and no raw HTML besides <b> and <i>', (locale) => {
    for (const form of forms) {
      for (const q of allQuestions(form)) {
        const text = lookup(locales[locale]!, textKeys.question(form.id, q.id)) as string;
        const hint = lookup(locales[locale]!, textKeys.hint(form.id, q.id));
        expect(text.length, `${form.id}.${q.id}`).toBeLessThan(350);
        if (typeof hint === 'string') expect(hint.length, `${form.id}.${q.id} hint`).toBeLessThan(200);
        for (const option of optionsOf(q)) {
          const label = lookup(locales[locale]!, textKeys.option(form.id, q.id, option)) as string;
          expect(label.length, `${form.id}.${q.id}.${option}`).toBeLessThanOrEqual(60);
        }
      }
    }
    const all = [...flatten(lookup(locales[locale]!, 'forms') as Tree).values()];
    for (const text of all) {
      const withoutTags = text.replace(/<\/?(b|i)>/g, '');
      expect(withoutTags, text).not.toMatch(/[<>&]/);
    }
  });

  it('theme and language labels exist in every language', () => {
    for (const locale of LOCALES) {
      for (const theme of THEMES) expect(lookup(locales[locale]!, `themes.${theme}`), `${locale} ${theme}`).toEqual(expect.any(String));
      for (const code of WORKING_LANGUAGES) {
        expect(lookup(locales[locale]!, `working_languages.${code}`), `${locale} ${code}`).toEqual(expect.any(String));
      }
    }
  });

  it('option labels over themes and languages are the shared labels', () => {
    const shared: [string, string, string][] = [
      ['needs_analysis', 'themes', 'themes'],
      ['strengths_profile', 'policy_areas', 'themes'],
      ['application', 'expertise_areas', 'themes'],
      ['needs_analysis', 'working_languages', 'working_languages'],
      ['application', 'working_languages', 'working_languages'],
    ];
    for (const locale of LOCALES) {
      for (const [formId, questionId, namespace] of shared) {
        const form = FORMS[formId as keyof typeof FORMS];
        for (const option of optionsOf(question(form, questionId))) {
          expect(lookup(locales[locale]!, textKeys.option(formId, questionId, option)), `${locale} ${formId}.${questionId}.${option}`).toBe(
            lookup(locales[locale]!, `${namespace}.${option}`),
          );
        }
      }
    }
  });
});

describe('themes', () => {
  it('are unique and the needs analysis and the strengths profile offer exactly them, with other', () => {
    expect(new Set(THEMES).size).toBe(THEMES.length);
    for (const q of [question(FORMS.needs_analysis, 'themes'), question(FORMS.strengths_profile, 'policy_areas')]) {
      expect(q.type).toBe('multiple_choice');
      if (q.type !== 'multiple_choice') continue;
      expect([...q.options]).toEqual([...THEMES]);
      expect(q.other).toBe(true);
    }
  });

  it('every area of expertise in the application is a theme', () => {
    const q = question(FORMS.application, 'expertise_areas');
    expect(q.type === 'multiple_choice' && q.other).toBe(true);
    expect([...optionsOf(q)]).toEqual([...APPLICATION_EXPERTISE]);
    for (const option of optionsOf(q)) expect(isTheme(option), option).toBe(true);
  });

  it('broad themes expand only to other themes', () => {
    for (const [broad, narrower] of Object.entries(THEME_INCLUDES)) {
      expect(isTheme(broad)).toBe(true);
      for (const theme of narrower ?? []) expect(isTheme(theme) && theme !== broad).toBe(true);
    }
    expect(expandThemes(['international_cooperation', 'nonsense'])).toEqual(
      new Set(['international_cooperation', ...THEME_INCLUDES.international_cooperation!]),
    );
  });

  it('working languages and English levels come from the shared lists', () => {
    for (const q of [question(FORMS.application, 'working_languages'), question(FORMS.needs_analysis, 'working_languages')]) {
      expect(q.type === 'multiple_choice' && q.other).toBe(true);
      expect([...optionsOf(q)]).toEqual([...WORKING_LANGUAGES]);
    }
    const english = question(FORMS.application, 'english_level');
    expect(english.type).toBe('single_choice');
    expect([...optionsOf(english)]).toEqual([...CEFR_LEVELS]);
  });
});

describe('mentor application', () => {
  const form = FORMS.application;

  it('ends with the required consent', () => {
    const last = allQuestions(form).at(-1)!;
    expect(last.type).toBe('consent');
    expect(last.required).not.toBe(false);
    expect(allQuestions(form).filter((q) => q.type === 'consent')).toHaveLength(1);
  });

  it('has 4 or 5 sections', () => {
    expect(form.sections.length).toBeGreaterThanOrEqual(4);
    expect(form.sections.length).toBeLessThanOrEqual(5);
  });

  it('consent text tells what is stored, and mentions /mydata and /forget in every language', () => {
    for (const locale of LOCALES) {
      const consent = lookup(locales[locale]!, textKeys.consent('application', 'consent')) as string;
      expect(consent).toContain('/mydata');
      expect(consent).toContain('/forget');
      expect(consent).toMatch(/CV|резюме/);
    }
  });

  it('asks what would help only when a readiness answer is no', () => {
    const followUp = question(form, 'availability_conditions');
    expect(followUp.required).toBe(false);
    const show = followUp.showIf!;
    const allYes: Answers = { ready_six_months: true, ready_to_travel: true, ready_for_meetings: true };
    expect(show(allYes)).toBe(false);
    expect(show({})).toBe(false);
    for (const id of ['ready_six_months', 'ready_to_travel', 'ready_for_meetings']) {
      expect(question(form, id).type).toBe('yes_no');
      expect(show({ ...allYes, [id]: false }), id).toBe(true);
    }
  });

  it('accepts a CV as PDF, DOC or DOCX up to 10 MB, or a link', () => {
    const cv = question(form, 'cv');
    expect(cv.type).toBe('document');
    if (cv.type !== 'document') return;
    expect([...cv.mimeTypes].sort()).toEqual(
      ['application/msword', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'].sort(),
    );
    expect(cv.maxBytes).toBe(10 * 1024 * 1024);
    expect(cv.acceptUrl).toBe(true);
  });

  it('bounds the years of experience and the free texts', () => {
    expect(question(form, 'experience_years')).toMatchObject({ type: 'number', min: 0, max: 60, integer: true });
    expect(question(form, 'experience_description')).toMatchObject({ type: 'long_text', maxLength: 2000 });
    expect(question(form, 'motivation')).toMatchObject({ type: 'long_text', maxLength: 2000 });
    expect(question(form, 'context_knowledge')).toMatchObject({ type: 'scale', min: 1, max: 5 });
    expect(question(form, 'email').type).toBe('email');
    expect(question(form, 'phone')).toMatchObject({ type: 'phone', required: false });
  });
});

describe('needs analysis (handbook Annex 2)', () => {
  const form = FORMS.needs_analysis;
  const sectionOf = (id: string) => form.sections.find((s) => s.questions.some((q) => q.id === id))?.id;

  it('has the three sections of the handbook', () => {
    expect(form.sections.map((s) => s.id)).toEqual(['main', 'local_context', 'national_context']);
  });

  it('covers all 22 handbook questions, each in its section', () => {
    expect(Object.keys(NEEDS_ANALYSIS_HANDBOOK_MAP).map(Number)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    for (const [n, ids] of Object.entries(NEEDS_ANALYSIS_HANDBOOK_MAP)) {
      const expected = Number(n) <= 11 ? 'main' : Number(n) <= 16 ? 'local_context' : 'national_context';
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(sectionOf(id), `Q${n} ${id}`).toBe(expected);
    }
    const mapped = Object.values(NEEDS_ANALYSIS_HANDBOOK_MAP).flat();
    expect(new Set(mapped).size).toBe(mapped.length);
    const extra = allQuestions(form).map((q) => q.id).filter((id) => !mapped.includes(id));
    expect(extra.sort()).toEqual(['themes', 'working_languages']);
  });

  it('requires the main part except questions 2 and 11, and leaves the national part optional', () => {
    const optionalMain = new Set([...NEEDS_ANALYSIS_HANDBOOK_MAP[2]!, ...NEEDS_ANALYSIS_HANDBOOK_MAP[11]!]);
    for (const q of form.sections[0]!.questions) expect(q.required !== false, q.id).toBe(!optionalMain.has(q.id));
    for (const q of form.sections[2]!.questions) expect(q.required, q.id).toBe(false);
  });

  it('splits population and budget into numbers and free text', () => {
    expect(question(form, 'population')).toMatchObject({ type: 'number', integer: true, min: 0, max: 50_000_000 });
    expect(question(form, 'annual_budget')).toMatchObject({ type: 'number', min: 0, required: false });
    expect(question(form, 'policy_area_budget')).toMatchObject({ type: 'long_text', required: false });
    expect(question(form, 'target_groups').type).toBe('long_text');
  });

  it('takes long answers in several messages', () => {
    for (const q of allQuestions(form).filter((q) => q.type === 'long_text')) {
      expect(q, q.id).toMatchObject({ multiMessage: true, maxLength: 4000 });
    }
  });
});

describe('other forms', () => {
  it('strengths profile: strengths, local and national context', () => {
    const form = FORMS.strengths_profile;
    expect(form.sections.map((s) => s.id)).toEqual(['strengths', 'local_context', 'national_context']);
    expect(question(form, 'good_practice')).toMatchObject({ type: 'long_text', multiMessage: true });
    expect(question(form, 'population')).toMatchObject({ type: 'number', integer: true, required: false });
    for (const q of form.sections[2]!.questions) expect(q.required, q.id).toBe(false);
  });

  it('good practice: every field of Annex 4', () => {
    const ids = allQuestions(FORMS.good_practice).map((q) => q.id);
    expect(ids).toEqual([
      'name', 'location', 'lead_agencies', 'context_rationale', 'description', 'resources',
      'results', 'success_factors', 'risks', 'transferability', 'contact_person', 'further_information',
    ]);
    expect(question(FORMS.good_practice, 'further_information')).toMatchObject({ type: 'url', required: false });
    expect(question(FORMS.good_practice, 'contact_person').required).toBe(false);
  });

  it('programme evaluation: ratings, action plan status and comments', () => {
    const form = FORMS.programme_evaluation;
    expect(question(form, 'satisfaction')).toMatchObject({ type: 'scale', min: 1, max: 5 });
    expect(question(form, 'usefulness')).toMatchObject({ type: 'scale', min: 1, max: 5 });
    expect([...optionsOf(question(form, 'action_plan_status'))]).toEqual(['adopted', 'presented', 'in_preparation', 'not_yet']);
    expect(question(form, 'would_recommend').type).toBe('yes_no');
    expect(question(form, 'improvements').required).toBe(false);
    expect(question(form, 'anything_else').required).toBe(false);
  });
});
