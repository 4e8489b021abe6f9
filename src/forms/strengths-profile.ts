import { THEMES } from '../domain/themes.js';
import type { FormDefinition } from './types.js';

const longText = { type: 'long_text', multiMessage: true, maxLength: 4000 } as const;

/**
 * The mentor's strengths and experience: the handbook's Annex 3, filled in after
 * acceptance. `policy_areas` uses the same themes as the needs analysis, for matching.
 * Handbook: 1 policy_areas, 2 good_practice, 3 other_actors; then the local context
 * (12 situation_trends, 13 population, 15 policies_institutions, 16 other_factors)
 * and the national context (17 context_typical, 18 government_relations, 19 supportive_framework).
 */
export const strengthsProfileForm: FormDefinition = {
  id: 'strengths_profile',
  sections: [
    {
      id: 'strengths',
      questions: [
        { id: 'policy_areas', type: 'multiple_choice', options: THEMES, other: true },
        { id: 'good_practice', ...longText },
        { id: 'other_actors', ...longText },
      ],
    },
    {
      id: 'local_context',
      questions: [
        { id: 'situation_trends', ...longText, required: false },
        { id: 'population', type: 'number', integer: true, min: 0, max: 50_000_000, required: false },
        { id: 'policies_institutions', ...longText },
        { id: 'other_factors', ...longText, required: false },
      ],
    },
    {
      id: 'national_context',
      questions: [
        { id: 'context_typical', ...longText, required: false },
        { id: 'government_relations', ...longText, required: false },
        { id: 'supportive_framework', ...longText, required: false },
      ],
    },
  ],
};
