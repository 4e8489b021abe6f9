import { deadlineStatus } from './deadline.js';

export type ApplicationAccess =
  | { state: 'not_open' }
  | { state: 'closed' }
  | { state: 'open'; closingSoon: boolean };

/**
 * Whether mentors may apply (or change or withdraw an application) right now: the
 * coordinator must have opened the call, and its deadline must not have passed.
 */
export function applicationAccess(call: { callOpen: boolean; applicationDeadline: Date | null }, now: Date): ApplicationAccess {
  if (!call.callOpen) return { state: 'not_open' };
  const deadline = deadlineStatus(call.applicationDeadline, now);
  if (deadline.state === 'closed') return { state: 'closed' };
  return { state: 'open', closingSoon: deadline.state === 'closing_soon' };
}
