import { CEFR_LEVELS, WORKING_LANGUAGES, type Theme } from '../domain/themes.js';
import type { Answers, FormDefinition } from './types.js';

/** The areas of expertise a call for mentors asks about; each is a theme used for matching. */
export const APPLICATION_EXPERTISE = [
  'international_cooperation',
  'municipal_partnerships',
  'municipal_development',
  'international_projects',
  'project_management',
  'grant_funding',
] as const satisfies readonly Theme[];

export const CV_MIME_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

/** Asked only when the applicant cannot commit to one of the programme's formats. */
const READINESS_QUESTIONS = ['ready_six_months', 'ready_to_travel', 'ready_for_meetings'] as const;
const notFullyAvailable = (answers: Answers) => READINESS_QUESTIONS.some((id) => answers[id] === false);

/** The call for mentors (Cities4Cities-style): who the applicant is, what they know, when they can work. */
export const mentorApplicationForm: FormDefinition = {
  id: 'application',
  sections: [
    {
      id: 'about_you',
      questions: [
        { id: 'full_name', type: 'short_text', maxLength: 200 },
        { id: 'email', type: 'email' },
        { id: 'phone', type: 'phone', required: false },
        { id: 'country', type: 'short_text', maxLength: 100 },
        { id: 'city', type: 'short_text', maxLength: 100 },
        { id: 'organisation', type: 'short_text', maxLength: 300 },
        { id: 'position', type: 'short_text', maxLength: 200 },
      ],
    },
    {
      id: 'expertise',
      questions: [
        { id: 'expertise_areas', type: 'multiple_choice', options: APPLICATION_EXPERTISE, other: true },
        { id: 'experience_years', type: 'number', min: 0, max: 60, integer: true },
        { id: 'experience_description', type: 'long_text', maxLength: 2000, multiMessage: true },
        { id: 'context_knowledge', type: 'scale', min: 1, max: 5 },
        { id: 'context_comment', type: 'long_text', maxLength: 2000, required: false },
        {
          id: 'cv',
          type: 'document',
          mimeTypes: CV_MIME_TYPES,
          maxBytes: 10 * 1024 * 1024,
          acceptUrl: true,
          required: false,
        },
      ],
    },
    {
      id: 'languages',
      questions: [
        { id: 'working_languages', type: 'multiple_choice', options: WORKING_LANGUAGES, other: true },
        { id: 'english_level', type: 'single_choice', options: CEFR_LEVELS },
      ],
    },
    {
      id: 'availability',
      questions: [
        { id: 'ready_six_months', type: 'yes_no' },
        { id: 'ready_to_travel', type: 'yes_no' },
        { id: 'ready_for_meetings', type: 'yes_no' },
        {
          id: 'availability_conditions',
          type: 'short_text',
          maxLength: 500,
          required: false,
          showIf: notFullyAvailable,
        },
      ],
    },
    {
      id: 'motivation_consent',
      questions: [
        { id: 'preferences', type: 'long_text', maxLength: 1000, required: false },
        { id: 'motivation', type: 'long_text', maxLength: 2000, multiMessage: true },
        {
          id: 'heard_from',
          type: 'single_choice',
          options: ['programme_website', 'social_media', 'colleague', 'municipal_association', 'other'],
          required: false,
        },
        { id: 'consent', type: 'consent', required: true },
      ],
    },
  ],
};
