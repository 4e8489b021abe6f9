/** The longest programme name a coordinator may set: it heads messages and file names. */
export const MAX_PROGRAMME_NAME_LENGTH = 100;

/** The programme's name in a language: the one set for it, otherwise the programme's main name. */
export function programmeName(programme: { name: string; localizedNames: string | null }, locale: string): string {
  return localizedNamesOf(programme)[locale] ?? programme.name;
}

export function localizedNamesOf(programme: { localizedNames: string | null }): Record<string, string> {
  if (!programme.localizedNames) return {};
  try {
    const parsed = JSON.parse(programme.localizedNames) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The stored names after a coordinator sets one: the main name when no language is given. */
export function withName(
  programme: { name: string; localizedNames: string | null },
  name: string,
  locale?: string,
): { name: string; localizedNames: string | null } {
  if (!locale) return { name, localizedNames: programme.localizedNames };
  return { name: programme.name, localizedNames: JSON.stringify({ ...localizedNamesOf(programme), [locale]: name }) };
}
