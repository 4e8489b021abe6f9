import { goodPracticeForm } from './good-practice.js';
import { mentorApplicationForm } from './mentor-application.js';
import { needsAnalysisForm } from './needs-analysis.js';
import { programmeEvaluationForm } from './programme-evaluation.js';
import { stakeholderForm } from './stakeholder.js';
import { strengthsProfileForm } from './strengths-profile.js';
import { teamRegistrationForm } from './team-registration.js';
import type { FormDefinition } from './types.js';

/** Every questionnaire of the bot, by its id (which is also its i18n namespace `forms.<id>`). */
export const FORMS = {
  application: mentorApplicationForm,
  needs_analysis: needsAnalysisForm,
  strengths_profile: strengthsProfileForm,
  good_practice: goodPracticeForm,
  programme_evaluation: programmeEvaluationForm,
  team_registration: teamRegistrationForm,
  stakeholder: stakeholderForm,
} as const satisfies Record<string, FormDefinition>;

export type FormId = keyof typeof FORMS;

export function isFormId(value: unknown): value is FormId {
  return typeof value === 'string' && Object.hasOwn(FORMS, value);
}
