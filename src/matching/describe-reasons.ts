/**
 * Matching reasons as a coordinator reads them, in their language:
 * "shared themes (3): Grant writing and funding, …; common languages: Ukrainian, English; population 42k vs 38k".
 * Everything here returns plain text: escape it before putting it into HTML.
 */
import { describePopulation, type Reason } from '../domain/matching.js';
import { isTheme, WORKING_LANGUAGES } from '../domain/themes.js';
import { escapeHtml, type Translate } from '../i18n.js';
import { isEndReason } from '../db/pairs.js';

const plain = { interpolation: { escapeValue: false } } as const;

export function themeLabel(theme: string, t: Translate): string {
  return isTheme(theme) ? t(`themes.${theme}`) : theme;
}

export function languageLabel(code: string, t: Translate): string {
  const key = code.trim().toLowerCase();
  return (WORKING_LANGUAGES as readonly string[]).includes(key) ? t(`working_languages.${key}`) : code.trim();
}

/** Theme labels, then the person's own words for "other", comma-separated; empty when there is nothing. */
export function themeList(themes: readonly string[], t: Translate, other?: string): string {
  return [...themes.map((theme) => themeLabel(theme, t)), ...(other ? [other] : [])].join(', ');
}

export function languageList(codes: readonly string[], t: Translate, other?: string): string {
  return [...codes.map((code) => languageLabel(code, t)), ...(other ? [other] : [])].join(', ');
}

export function describeReason(reason: Reason, t: Translate): string {
  switch (reason.kind) {
    case 'no_shared_language':
      return t('matching.reasons.no_shared_language');
    case 'conflict':
      return t('matching.reasons.conflict');
    case 'full':
      return t('matching.reasons.full');
    case 'themes':
      return t('matching.reasons.themes', { number: reason.shared.length, list: themeList(reason.shared, t), ...plain });
    case 'languages':
      return t('matching.reasons.languages', { list: languageList(reason.shared, t), ...plain });
    case 'same_country':
      return t('matching.reasons.same_country');
    case 'same_region':
      return t('matching.reasons.same_region');
    case 'population':
      return t('matching.reasons.population', {
        mentor: describePopulation(reason.mentor),
        team: describePopulation(reason.team),
        ...plain,
      });
    case 'availability':
      return reason.missing.length === 0
        ? t('matching.reasons.fully_available')
        : t('matching.reasons.not_available', {
            list: reason.missing.map((key) => t(`matching.availability.${key}`)).join(', '),
            ...plain,
          });
  }
}

/** All reasons on one line. */
export function describeReasons(reasons: readonly Reason[], t: Translate): string {
  return reasons.map((reason) => describeReason(reason, t)).join('; ');
}

/** Reasons stored with a pair (JSON); nothing when they cannot be read. */
export function storedReasons(json: string | null): Reason[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((r): r is Reason => !!r && typeof r === 'object' && typeof r.kind === 'string') : [];
  } catch {
    return [];
  }
}

/** "41.2", "36": one decimal at most. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return '—';
  return String(Math.round(score * 10) / 10);
}

/** A stored end reason: one of the standard ones in the reader's language, else the coordinator's words. */
export function describeEndReason(reason: string | null, t: Translate): string {
  if (!reason) return '—';
  return isEndReason(reason) ? t(`pairs.end_reasons.${reason}`) : reason;
}

/** One ranked mentor as coordinators read it: rank, name, score, load, then the reasons on their own line. */
export function candidateLines(
  t: Translate,
  rank: number,
  mentor: { name: string; id: number; capacity: number; currentLoad: number },
  ranked: { score: number; reasons: readonly Reason[] },
): string[] {
  return [
    t('matching.candidate_line', {
      rank,
      name: mentor.name,
      id: mentor.id,
      score: formatScore(ranked.score),
      load: mentor.currentLoad,
      capacity: mentor.capacity,
    }),
    `   ${escapeHtml(describeReasons(ranked.reasons, t))}`,
  ];
}
