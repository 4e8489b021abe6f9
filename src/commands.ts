/**
 * The bot's commands, in the order they appear in Telegram's menu. Every coordinator
 * command is guarded by src/middleware/coordinator-only.ts; test/coordinator-roles.test.ts
 * walks this list to prove it.
 */
export const MEMBER_COMMANDS = [
  'start',
  'apply',
  'myapplication',
  'team',
  'strengths',
  'practices',
  'sessions',
  'schedule',
  'log',
  'progress',
  'plan',
  'events',
  'help',
  'language',
  'mydata',
  'forget',
  'cancel',
] as const;

export const COORDINATOR_COMMANDS = [
  'call',
  'applications',
  'teams',
  'newteam',
  'match',
  'pairs',
  'broadcast',
  'export',
  'stats',
  'report',
  'newevent',
  'reminders',
  'privacy',
  'audit',
  'coordinators',
  'grant',
  'revoke',
] as const;

export type MemberCommand = (typeof MEMBER_COMMANDS)[number];
export type CoordinatorCommand = (typeof COORDINATOR_COMMANDS)[number];

/** Where a person stands in the programme: what decides which commands /help and /start show them. */
export interface Standing {
  coordinator: boolean;
  /** Their mentor application: none yet, started, sent, or withdrawn. */
  application: 'none' | 'draft' | 'submitted' | 'withdrawn';
  mentor: boolean;
  teamMember: boolean;
}

/** Everyone can use these, whatever they do in the programme. */
const EVERYONE: readonly MemberCommand[] = ['help', 'language', 'mydata', 'forget', 'cancel'];
const MENTOR: readonly MemberCommand[] = ['strengths', 'log', 'sessions', 'schedule', 'progress', 'plan', 'practices', 'events'];
const TEAM: readonly MemberCommand[] = ['team', 'plan', 'sessions', 'progress', 'practices', 'events'];
/** Member commands that also show a coordinator the whole programme. */
const COORDINATOR_OVERVIEW: readonly MemberCommand[] = ['sessions', 'schedule', 'progress', 'events'];

/**
 * The commands that make sense for this person now, in menu order: someone who has not
 * applied is shown how to apply, an applicant their application, mentors and team
 * members their work, coordinators also theirs. Every one of them is in the menu.
 */
export function commandsFor(standing: Standing): { member: MemberCommand[]; coordinator: CoordinatorCommand[] } {
  const wanted = new Set<MemberCommand>(EVERYONE);
  const inProgramme = standing.mentor || standing.teamMember;
  if (standing.application === 'none' || standing.application === 'draft' || standing.application === 'withdrawn') {
    // Mentors, team members and coordinators are not looking for the call.
    if (!inProgramme && !standing.coordinator) wanted.add('apply');
  }
  if (standing.application === 'submitted' || standing.application === 'withdrawn') wanted.add('myapplication');
  if (standing.mentor) MENTOR.forEach((c) => wanted.add(c));
  if (standing.teamMember) TEAM.forEach((c) => wanted.add(c));
  if (standing.coordinator) COORDINATOR_OVERVIEW.forEach((c) => wanted.add(c));
  return {
    member: MEMBER_COMMANDS.filter((c) => wanted.has(c)),
    coordinator: standing.coordinator ? [...COORDINATOR_COMMANDS] : [],
  };
}
