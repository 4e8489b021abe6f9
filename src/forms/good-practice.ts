import type { FormDefinition } from './types.js';

const longText = { type: 'long_text', multiMessage: true, maxLength: 4000 } as const;

/** A good practice worth sharing with a mentee city: the handbook's Annex 4. */
export const goodPracticeForm: FormDefinition = {
  id: 'good_practice',
  sections: [
    {
      id: 'overview',
      questions: [
        { id: 'name', type: 'short_text', maxLength: 200 },
        { id: 'location', type: 'short_text', maxLength: 200 },
        { id: 'lead_agencies', type: 'long_text', maxLength: 1000 },
        { id: 'context_rationale', ...longText },
        { id: 'description', ...longText },
      ],
    },
    {
      id: 'results',
      questions: [
        { id: 'resources', ...longText },
        { id: 'results', ...longText },
        { id: 'success_factors', ...longText },
        { id: 'risks', ...longText },
        { id: 'transferability', ...longText },
      ],
    },
    {
      id: 'contacts',
      questions: [
        { id: 'contact_person', type: 'short_text', maxLength: 300, required: false },
        { id: 'further_information', type: 'url', required: false },
      ],
    },
  ],
};
