import type { FormDefinition } from './types.js';

/** A short end-of-programme evaluation, the same for mentors and mentee teams. */
export const programmeEvaluationForm: FormDefinition = {
  id: 'programme_evaluation',
  sections: [
    {
      id: 'ratings',
      questions: [
        { id: 'satisfaction', type: 'scale', min: 1, max: 5 },
        { id: 'usefulness', type: 'scale', min: 1, max: 5 },
        {
          id: 'action_plan_status',
          type: 'single_choice',
          options: ['adopted', 'presented', 'in_preparation', 'not_yet'],
        },
        { id: 'would_recommend', type: 'yes_no' },
      ],
    },
    {
      id: 'comments',
      questions: [
        { id: 'what_worked', type: 'long_text', maxLength: 2000, multiMessage: true },
        { id: 'improvements', type: 'long_text', maxLength: 2000, multiMessage: true, required: false },
        { id: 'anything_else', type: 'long_text', maxLength: 2000, required: false },
      ],
    },
  ],
};
