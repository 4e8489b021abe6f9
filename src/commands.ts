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
