import { THEMES, WORKING_LANGUAGES } from '../domain/themes.js';
import type { FormDefinition } from './types.js';

const longText = { type: 'long_text', multiMessage: true, maxLength: 4000 } as const;

/**
 * The mentee team's needs analysis: the handbook's Annex 2, all 22 questions.
 * Handbook question → question id(s):
 *  1 challenges            2 cross_cutting_themes  3 reasons            4 learning_from_others
 *  5 expected_impact       6 key_actors            7 actor_relations    8 resources
 *  9 obstacles            10 action_plan_people   11 other_benefits
 * 12 situation_trends     13 population + target_groups
 * 14 annual_budget + policy_area_budget           15 policies_institutions
 * 16 other_factors
 * 17 context_typical      18 association_relations 19 government_support
 * 20 shared_goals         21 national_other_factors 22 association_exchange
 * Added for matching: themes, working_languages.
 */
export const needsAnalysisForm: FormDefinition = {
  id: 'needs_analysis',
  sections: [
    {
      id: 'main',
      questions: [
        { id: 'challenges', ...longText },
        { id: 'themes', type: 'multiple_choice', options: THEMES, other: true },
        { id: 'cross_cutting_themes', ...longText, required: false },
        { id: 'reasons', ...longText },
        { id: 'learning_from_others', ...longText },
        { id: 'expected_impact', ...longText },
        { id: 'key_actors', ...longText },
        { id: 'actor_relations', ...longText },
        { id: 'resources', ...longText },
        { id: 'obstacles', ...longText },
        { id: 'action_plan_people', ...longText },
        { id: 'other_benefits', ...longText, required: false },
        { id: 'working_languages', type: 'multiple_choice', options: WORKING_LANGUAGES, other: true },
      ],
    },
    {
      id: 'local_context',
      questions: [
        { id: 'situation_trends', ...longText },
        { id: 'population', type: 'number', integer: true, min: 0, max: 50_000_000 },
        { id: 'target_groups', ...longText, required: false },
        { id: 'annual_budget', type: 'number', min: 0, required: false },
        { id: 'policy_area_budget', ...longText, required: false },
        { id: 'policies_institutions', ...longText },
        { id: 'other_factors', ...longText, required: false },
      ],
    },
    {
      // Answered together with the municipal association, so every question is optional.
      id: 'national_context',
      questions: [
        { id: 'context_typical', ...longText, required: false },
        { id: 'association_relations', ...longText, required: false },
        { id: 'government_support', ...longText, required: false },
        { id: 'shared_goals', ...longText, required: false },
        { id: 'national_other_factors', ...longText, required: false },
        { id: 'association_exchange', ...longText, required: false },
      ],
    },
  ],
};

/** Handbook (Annex 2) question number → the ids that answer it. */
export const NEEDS_ANALYSIS_HANDBOOK_MAP: Readonly<Record<number, readonly string[]>> = {
  1: ['challenges'],
  2: ['cross_cutting_themes'],
  3: ['reasons'],
  4: ['learning_from_others'],
  5: ['expected_impact'],
  6: ['key_actors'],
  7: ['actor_relations'],
  8: ['resources'],
  9: ['obstacles'],
  10: ['action_plan_people'],
  11: ['other_benefits'],
  12: ['situation_trends'],
  13: ['population', 'target_groups'],
  14: ['annual_budget', 'policy_area_budget'],
  15: ['policies_institutions'],
  16: ['other_factors'],
  17: ['context_typical'],
  18: ['association_relations'],
  19: ['government_support'],
  20: ['shared_goals'],
  21: ['national_other_factors'],
  22: ['association_exchange'],
};
