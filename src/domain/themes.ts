/**
 * Policy themes shared by the mentors' side (expertise in the application,
 * policy areas in the strengths profile) and the mentee teams' side (the themes
 * of the needs analysis). Matching compares these ids, so never rename one.
 * Labels: `themes.<theme>` in locales/<lng>/themes.json.
 */
export const THEMES = [
  // The Cities4Cities tasks for communities without active partnerships yet.
  'international_cooperation_office',
  'partnership_processes',
  'cooperation_strategy',
  'first_international_contacts',
  // The broad areas of expertise asked of mentor applicants.
  'international_cooperation',
  'municipal_partnerships',
  'international_projects',
  'grant_funding',
  'project_management',
  'municipal_development',
  // Policy areas of the handbook and of the training programmes.
  'integration',
  'participation',
  'communication',
  'sustainable_development',
  'municipal_finance',
] as const;

export type Theme = (typeof THEMES)[number];

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/**
 * Broad themes (what a mentor applicant ticks) and the narrower themes a mentee
 * team may ask for that they cover, so matching can treat e.g. a mentor's
 * "international cooperation" as experience with a team's "cooperation strategy".
 */
export const THEME_INCLUDES: Readonly<Partial<Record<Theme, readonly Theme[]>>> = {
  international_cooperation: [
    'international_cooperation_office',
    'partnership_processes',
    'cooperation_strategy',
    'first_international_contacts',
    'municipal_partnerships',
  ],
  municipal_partnerships: ['partnership_processes', 'first_international_contacts'],
  international_projects: ['grant_funding', 'project_management'],
};

/** The themes given plus every narrower theme they include. */
export function expandThemes(themes: Iterable<string>): Set<Theme> {
  const out = new Set<Theme>();
  for (const theme of themes) {
    if (!isTheme(theme)) continue;
    out.add(theme);
    for (const narrower of THEME_INCLUDES[theme] ?? []) out.add(narrower);
  }
  return out;
}

/** Languages a mentor or a team can work in. Labels: `working_languages.<code>`. */
export const WORKING_LANGUAGES = ['uk', 'en', 'pl', 'lv', 'ru', 'de', 'fr'] as const;
export type WorkingLanguage = (typeof WORKING_LANGUAGES)[number];

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];
