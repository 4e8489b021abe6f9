import { isSessionKind, type SessionKind } from '../db/sessions.js';

/**
 * The sessions feature's buttons, "ss|<action>|…". Every part is checked when a
 * button is pressed: forged or mangled data parses to undefined.
 */
export const SESSION_CALLBACK = /^ss\|/;

export type RsvpChoice = 'yes' | 'no' | 'other';
export type LogAmount = 'h' | 'd';

export type SessionButton =
  | { action: 'pair'; draftId: number; pairId: number }
  | { action: 'page'; draftId: number; page: number }
  | { action: 'kind'; draftId: number; kind: SessionKind }
  | { action: 'duration'; draftId: number; minutes: number }
  | { action: 'skip'; draftId: number }
  | { action: 'confirm'; draftId: number }
  | { action: 'stop'; draftId: number }
  | { action: 'rsvp'; sessionId: number; sequence: number; choice: RsvpChoice }
  | { action: 'move'; sessionId: number }
  | { action: 'cancel'; sessionId: number }
  | { action: 'cancel_yes'; sessionId: number; sequence: number }
  | { action: 'cancel_no'; sessionId: number }
  | { action: 'log'; sessionId: number; amount: LogAmount }
  | { action: 'not_held'; sessionId: number };

export const data = {
  pair: (draftId: number, pairId: number) => `ss|p|${draftId}|${pairId}`,
  page: (draftId: number, page: number) => `ss|pg|${draftId}|${page}`,
  kind: (draftId: number, kind: SessionKind) => `ss|k|${draftId}|${kind}`,
  duration: (draftId: number, minutes: number) => `ss|d|${draftId}|${minutes}`,
  skip: (draftId: number) => `ss|sk|${draftId}`,
  confirm: (draftId: number) => `ss|ok|${draftId}`,
  stop: (draftId: number) => `ss|x|${draftId}`,
  rsvp: (sessionId: number, sequence: number, choice: RsvpChoice) => `ss|rsvp|${sessionId}|${sequence}|${choice}`,
  move: (sessionId: number) => `ss|mv|${sessionId}`,
  cancel: (sessionId: number) => `ss|cx|${sessionId}`,
  cancelYes: (sessionId: number, sequence: number) => `ss|cxy|${sessionId}|${sequence}`,
  cancelNo: (sessionId: number) => `ss|cxn|${sessionId}`,
  log: (sessionId: number, amount: LogAmount) => `ss|log|${sessionId}|${amount}`,
  notHeld: (sessionId: number) => `ss|nh|${sessionId}`,
};

const ID = /^\d{1,9}$/;
const id = (text: string | undefined) => (text !== undefined && ID.test(text) ? Number(text) : undefined);

export function parseSessionButton(raw: string | undefined): SessionButton | undefined {
  if (!raw) return undefined;
  const [prefix, action, a, b, c, ...rest] = raw.split('|');
  if (prefix !== 'ss' || rest.length > 0) return undefined;
  const first = id(a);
  const second = id(b);
  if (first === undefined) return undefined;
  const only = (n: number) => [a, b, c].filter((x) => x !== undefined).length === n;
  switch (action) {
    case 'p':
      return only(2) && second !== undefined ? { action: 'pair', draftId: first, pairId: second } : undefined;
    case 'pg':
      return only(2) && second !== undefined ? { action: 'page', draftId: first, page: second } : undefined;
    case 'k':
      return only(2) && isSessionKind(b) ? { action: 'kind', draftId: first, kind: b } : undefined;
    case 'd':
      return only(2) && second !== undefined ? { action: 'duration', draftId: first, minutes: second } : undefined;
    case 'sk':
      return only(1) ? { action: 'skip', draftId: first } : undefined;
    case 'ok':
      return only(1) ? { action: 'confirm', draftId: first } : undefined;
    case 'x':
      return only(1) ? { action: 'stop', draftId: first } : undefined;
    case 'rsvp':
      return only(3) && second !== undefined && (c === 'yes' || c === 'no' || c === 'other')
        ? { action: 'rsvp', sessionId: first, sequence: second, choice: c }
        : undefined;
    case 'mv':
      return only(1) ? { action: 'move', sessionId: first } : undefined;
    case 'cx':
      return only(1) ? { action: 'cancel', sessionId: first } : undefined;
    case 'cxy':
      return only(2) && second !== undefined ? { action: 'cancel_yes', sessionId: first, sequence: second } : undefined;
    case 'cxn':
      return only(1) ? { action: 'cancel_no', sessionId: first } : undefined;
    case 'log':
      return only(2) && (b === 'h' || b === 'd') ? { action: 'log', sessionId: first, amount: b } : undefined;
    case 'nh':
      return only(1) ? { action: 'not_held', sessionId: first } : undefined;
    default:
      return undefined;
  }
}
