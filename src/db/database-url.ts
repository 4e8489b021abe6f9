/** Which database a DATABASE_URL points at; the rest of the code never parses URLs itself. */
export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseLocation {
  provider: DatabaseProvider;
  url: string;
  /** For SQLite: the file path (or ":memory:"). */
  file?: string;
}

export function parseDatabaseUrl(url: string): DatabaseLocation | undefined {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length);
    return file.length > 0 ? { provider: 'sqlite', url, file } : undefined;
  }
  if (/^postgres(ql)?:\/\/[^/\s]+\/[^\s]+$/.test(url)) {
    try {
      new URL(url);
      return { provider: 'postgresql', url };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
