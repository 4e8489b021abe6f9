import type { FormDefinition } from './types.js';

/** One member of a team's local support network (handbook Annex 5). */
export const stakeholderForm: FormDefinition = {
  id: 'stakeholder',
  sections: [
    {
      id: 'stakeholder',
      questions: [
        { id: 'name', type: 'short_text', maxLength: 150 },
        { id: 'organisation', type: 'short_text', maxLength: 200 },
        { id: 'role', type: 'short_text', maxLength: 300 },
      ],
    },
  ],
};
