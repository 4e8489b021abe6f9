/// <reference lib="dom" />
/** What every tab of the console uses: the texts and labels in the coordinator's language, and the status line. */

export interface Labels {
  statuses: Record<string, string>;
  filters: Record<string, string>;
  decisions: Record<string, string>;
  themes: Record<string, string>;
  languages: Record<string, string>;
}

export interface ConsoleContext {
  texts: Record<string, string>;
  labels: Labels;
  locale: string;
  /** Says something to the coordinator (errors, what was done) in the live region. */
  say(text: string, kind?: 'ok' | 'error'): void;
}

/** The API's message, or a plain one for a status without it. */
export function messageOf(ctx: ConsoleContext, result: { status: number; body: any }): string {
  if (typeof result.body?.message === 'string') return result.body.message;
  if (result.status === 401) return ctx.texts.unauthorized ?? '';
  if (result.status === 403) return ctx.texts.forbidden ?? '';
  return ctx.texts.failed ?? '';
}
