import type { FormDefinition } from './types.js';

/** A coordinator registers a mentee: a municipality's team, or a single person. */
export const teamRegistrationForm: FormDefinition = {
  id: 'team_registration',
  sections: [
    {
      id: 'mentee',
      questions: [
        { id: 'kind', type: 'single_choice', options: ['municipality', 'person'] },
        { id: 'name', type: 'short_text', maxLength: 150 },
        { id: 'country', type: 'short_text', maxLength: 100 },
        { id: 'region', type: 'short_text', maxLength: 100, required: false },
        { id: 'city', type: 'short_text', maxLength: 100, required: false, showIf: (a) => a.kind === 'person' },
        { id: 'population', type: 'number', integer: true, min: 0, max: 50_000_000, required: false, showIf: (a) => a.kind === 'municipality' },
        { id: 'contact_name', type: 'short_text', maxLength: 150 },
        { id: 'contact_email', type: 'email', required: false },
      ],
    },
  ],
};
