/** Where a mentee team is: invited (nobody joined yet), joined, answering the needs analysis, or submitted it. */
export type TeamStatus = 'invited' | 'joined' | 'answering' | 'submitted';

export function teamStatus(team: { members: number; answers: number; needsAnalysis: 'draft' | 'submitted' | 'withdrawn' | 'none' }): TeamStatus {
  if (team.needsAnalysis === 'submitted') return 'submitted';
  if (team.answers > 0) return 'answering';
  return team.members > 0 ? 'joined' : 'invited';
}
