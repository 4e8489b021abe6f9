/**
 * Where a mentor application stands in the coordinators' review. Decisions are
 * kept, never deleted: the latest one not undone is the status, and a decision
 * not yet sent to the applicant can still be undone.
 */

export const DECISIONS = ['shortlisted', 'accepted', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export const APPLICATION_STATUSES = ['new', 'shortlisted', 'accepted', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

export interface DecisionRecord {
  id: number;
  decision: string;
  decidedAt: Date;
  sentAt: Date | null;
  undoneAt: Date | null;
}

/** The decision in force: the latest not undone (sent or not), if any. */
export function currentDecision<D extends DecisionRecord>(decisions: readonly D[]): D | undefined {
  let latest: D | undefined;
  for (const d of decisions) {
    if (d.undoneAt) continue;
    if (!latest || d.decidedAt.getTime() > latest.decidedAt.getTime() || (d.decidedAt.getTime() === latest.decidedAt.getTime() && d.id > latest.id)) {
      latest = d;
    }
  }
  return latest;
}

/** A withdrawn application is withdrawn whatever was decided; otherwise the decision in force, or new. */
export function applicationStatus(responseStatus: string, decisions: readonly DecisionRecord[]): ApplicationStatus {
  if (responseStatus === 'withdrawn') return 'withdrawn';
  const current = currentDecision(decisions);
  return current && isDecision(current.decision) ? current.decision : 'new';
}

export type DecisionCheck = 'ok' | 'withdrawn' | 'unchanged' | 'accepted_and_told';

/**
 * Whether a coordinator may decide this now. An acceptance the applicant has been
 * told of is final (they are a mentor from then on); anything else can be revised,
 * and the new decision replaces one not yet sent.
 */
export function checkDecision(responseStatus: string, decisions: readonly DecisionRecord[], decision: Decision): DecisionCheck {
  if (responseStatus !== 'submitted') return 'withdrawn';
  const current = currentDecision(decisions);
  if (current?.decision === 'accepted' && current.sentAt) return 'accepted_and_told';
  if (current?.decision === decision) return 'unchanged';
  return 'ok';
}

/** The i18n key of the standard message an applicant gets for a decision. */
export function defaultMessageKey(decision: Decision): string {
  return `review.messages.${decision}`;
}
